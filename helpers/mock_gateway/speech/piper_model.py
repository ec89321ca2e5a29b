"""The Piper voice's ONNX model cut in two, so a sentence's audio can stream before it is all made.

The front half turns phoneme ids into the decoder's latent frames and says how many frames each id
lasts (Piper's own alignment output); the back half, a convolutional vocoder, turns frames into
audio. The back half needs only a few frames either side of a span, so the first part of a
sentence is heard after its front half and a short decode, not after the whole decode (measured
here: 58 ms + 27 ms for the first 0.37 s, against 147 ms for the bench's nine-word sentence).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import onnx
import onnxruntime
from onnx.utils import Extractor
from piper.patch_voice_with_alignment import add_alignment_output

from .cpu_slots import SLOTS, cpu_slot

# Piper's two noise scales are off. With noise_w_scale (random phoneme lengths) on, the same text
# would last a different time at each request; with noise_scale (random intonation and timbre) on,
# the mock's own recognizer misheard about one in five short phrases ("Under a prefix." as "And
# our prefix."), and the round-trip WER over bench/speech_engines.py's sentences was 5.5%, against
# 4.4% with it off.
PHONEME_LENGTH_NOISE = 0.0
INTONATION_NOISE = 0.0
FIRST_PART_FRAMES = 32  # decoded on their own first: about 0.37 s of audio at 22,050 Hz
CONTEXT_FRAMES = 16  # frames decoded beyond each cut: the two sides then differ by < 1e-6
_DECODER_FIRST_NODE = "/dec/conv_pre/Conv"


def _session(model: onnx.ModelProto) -> onnxruntime.InferenceSession:
    """A session on every core whose threads sleep rather than spin when idle."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = SLOTS
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(
        model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
    )


class PiperModel:
    """The two halves of one Piper model (thread-safe; every run holds a CPU slot).

    Each run may use every core (measured here on 2 cores: a nine-word sentence in about 150 ms
    instead of 250 on one thread). One session per half serves every run, so the same text always
    gives the same samples, however many runs go at once.
    """

    def __init__(self, model: onnx.ModelProto, hop_length: int) -> None:
        durations = add_alignment_output(model)
        decoder = next((n for n in model.graph.node if n.name == _DECODER_FIRST_NODE), None)
        if decoder is None:
            raise RuntimeError(f"this Piper model has no {_DECODER_FIRST_NODE} node to cut at")
        latent = decoder.input[0]
        inputs = [i.name for i in model.graph.input]
        extractor = Extractor(model)
        self.front = _session(extractor.extract_model(inputs, [latent, durations]))
        self._back = _session(extractor.extract_model([latent], [model.graph.output[0].name]))
        self._latent = latent
        self.hop_length = hop_length

    def frames(self, phoneme_ids: list[int], length_scale: float) -> tuple[np.ndarray, np.ndarray]:
        """The latent frames of phoneme_ids, and the audio samples each id lasts."""
        ids = np.array([phoneme_ids], dtype=np.int64)
        scales = [INTONATION_NOISE, length_scale, PHONEME_LENGTH_NOISE]
        feed = {
            "input": ids,
            "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
            "scales": np.array(scales, dtype=np.float32),
        }
        with cpu_slot:
            latent, durations = self.front.run(None, feed)
        return latent, (durations.reshape(-1) * self.hop_length).astype(np.int64)

    def audio_parts(self, latent: np.ndarray) -> Iterator[tuple[np.ndarray, bool]]:
        """The audio of the latent frames, the first FIRST_PART_FRAMES then the rest, each with
        whether it is the last."""
        total = latent.shape[2]
        cuts = [0, FIRST_PART_FRAMES, total] if total > 2 * FIRST_PART_FRAMES else [0, total]
        for start, end in zip(cuts, cuts[1:], strict=False):
            before, after = min(start, CONTEXT_FRAMES), min(total - end, CONTEXT_FRAMES)
            window = latent[:, :, start - before : end + after]
            with cpu_slot:
                (audio,) = self._back.run(None, {self._latent: window})
            audio = audio.reshape(-1)
            yield (
                audio[before * self.hop_length : len(audio) - after * self.hop_length],
                end == total,
            )
