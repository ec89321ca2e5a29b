"""Neural English text to speech with Piper, timed word by word and phoneme by phoneme.

One bundled Piper voice plays every English catalog voice, each with its own pitch and pace.
Times come from Piper's own alignments: the samples the model spent on each phoneme. Speech is
deterministic: the same text in the same voice gives the same samples, so every check can be
repeated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import onnx
import onnxruntime
import soxr
from piper import PiperVoice, SynthesisConfig
from piper.config import PiperConfig
from piper.patch_voice_with_alignment import add_alignment_output

from . import model_files
from .cpu_slots import SLOTS, cpu_slot
from .loading import LoadOnce
from .phonemes import phoneme_timings, word_groups
from .timed_speech import PhonemeTiming, WordTiming

# Piper's two noise scales are off. With noise_w_scale (random phoneme lengths) on, the same text
# would last a different time at each request; with noise_scale (random intonation and timbre) on,
# the mock's own recognizer misheard about one in five short phrases ("Under a prefix." as "And
# our prefix."), and the round-trip WER over bench/speech_engines.py's sentences was 5.5%, against
# 4.4% with it off.
PHONEME_LENGTH_NOISE = 0.0
INTONATION_NOISE = 0.0
SENTENCE_PAUSE = 0.15  # seconds of silence after each sentence at speed 1.0
MAX_WORDS_UNSPLIT = 12  # longer sentences are spoken clause by clause (sooner first audio)
MIN_CLAUSE_WORDS = 4
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Character:
    """How one catalog voice sounds through the single Piper voice."""

    pitch: float = 1.0  # frequency factor (formants move with it: a smaller or larger voice)
    pace: float = 1.0  # > 1 speaks slower


@dataclass(frozen=True)
class Sentence:
    """One spoken sentence: mono float32 samples, and when each word and phoneme is heard."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[WordTiming, ...]
    phonemes: tuple[PhonemeTiming, ...]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def split_for_speech(sentence: str) -> list[str]:
    """A sentence, or its clauses when it is long (each clause is synthesized on its own)."""
    if len(_WORD.findall(sentence)) <= MAX_WORDS_UNSPLIT:
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        if pieces and len(_WORD.findall(pieces[-1])) < MIN_CLAUSE_WORDS:
            pieces[-1] = f"{pieces[-1]} {clause}"  # too short to stand alone
        else:
            pieces.append(clause)
    return pieces


# How each English voice of the catalog sounds (by Cartesia voice id). Any character
# would do: the mock emulates voices with one neural voice, it cannot sound like Cartesia's.
# Pitch stays within about 20% of the voice's own: further shifts cost intelligibility
# (measured: round-trip WER about doubles at 1.3).
VOICE_CHARACTERS: dict[str, Character] = {
    # Barbershop Man: smooth and relaxing, a low, unhurried, even voice
    "a0e99841-438c-4a64-b679-ae501e7d6091": Character(0.92, 1.05),
    # Tessa: emotive, the highest voice
    "6ccbfb76-1fc6-48f7-b71d-91ac6298247b": Character(1.2, 1.0),
    # Helpful Woman: friendly and conversational, high and quick
    "156fb8d2-335b-4950-9cb3-a2d33befec77": Character(1.12, 0.92),
    # Newsman: neutral and educational, brisk and steady
    "d46abd1d-2d02-43e8-819f-51fb652c1c61": Character(1.0, 0.95),
    # British Lady: elegant storytelling, high and slow
    "79a125e8-cd45-4c13-8a67-188112f4dd22": Character(1.16, 1.12),
}


class PiperEngine:
    """The loaded Piper voice (thread-safe; inference holds a CPU slot).

    Each run may use every core (measured here on 2 cores: a nine-word sentence in about 150 ms
    instead of 250 on one thread). One session serves every run, so the same text always gives
    the same samples, however many runs go at once; its threads sleep rather than spin when idle.
    """

    def __init__(self, voice: PiperVoice) -> None:
        self._voice = voice
        self.sample_rate = voice.config.sample_rate

    @classmethod
    def load(cls) -> PiperEngine:
        """Check the voice's files, patch the model for alignments, open it on every core."""
        config = json.loads(model_files.verified_bytes(model_files.PIPER_CONFIG))
        model = onnx.load_from_string(model_files.verified_bytes(model_files.PIPER_MODEL))
        add_alignment_output(model)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = SLOTS
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(
            model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return cls(PiperVoice(session=session, config=PiperConfig.from_dict(config)))

    def speak(
        self,
        text: str,
        character: Character = Character(),
        *,
        speed: float = 1.0,
        volume: float = 1.0,
        offset: float = 0.0,
    ) -> Sentence:
        """Speak one sentence (or clause); times start at offset seconds."""
        voice = self._voice
        tokens = [m.group() for m in _WORD.finditer(text)]
        groups = word_groups(voice, text, tokens)
        phonemes = " ".join(group for group in groups if group)
        if not phonemes:
            return Sentence(np.zeros(0, np.float32), self.sample_rate, (), ())  # nothing to say
        config = SynthesisConfig(
            length_scale=character.pace * character.pitch / speed,
            noise_scale=INTONATION_NOISE,
            noise_w_scale=PHONEME_LENGTH_NOISE,
            volume=volume,
        )
        with cpu_slot:
            chunks = list(voice.synthesize(f"[[{phonemes}]]", config, include_alignments=True))
        audio = np.concatenate([c.audio_float_array for c in chunks]) if chunks else np.zeros(0)
        alignments = []
        for chunk in chunks:
            if chunk.phoneme_alignments is None:
                raise RuntimeError(f"Piper could not align the phonemes of {text!r}")
            alignments += chunk.phoneme_alignments
        scale = 1.0 / (self.sample_rate * character.pitch)  # seconds per synthesized sample
        words, phones = phoneme_timings(alignments, tokens, groups, scale, offset)
        samples = self._repitch(audio.astype(np.float32), character.pitch)
        pause = np.zeros(int(self.sample_rate * SENTENCE_PAUSE / speed), np.float32)
        return Sentence(np.concatenate([samples, pause]), self.sample_rate, words, phones)

    def _repitch(self, audio: np.ndarray, pitch: float) -> np.ndarray:
        """Play audio pitch times faster at the same rate: higher (or lower) and shorter."""
        if pitch == 1.0 or len(audio) == 0:
            return audio
        resampled = soxr.resample(audio, self.sample_rate * pitch, self.sample_rate)
        return np.clip(resampled, -1.0, 1.0).astype(np.float32)


ENGINE: LoadOnce[PiperEngine] = LoadOnce("piper", PiperEngine.load)
