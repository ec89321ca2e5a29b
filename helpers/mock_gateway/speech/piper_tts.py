"""Neural English text to speech with Piper, timed word by word and phoneme by phoneme.

One bundled Piper voice plays every English catalog voice, each with its own pitch and pace.
Times come from Piper's own alignments: the samples the model spent on each phoneme. Speech is
deterministic: the same text in the same voice gives the same samples, so every check can be
repeated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import onnx
import soxr
from piper import PiperVoice
from piper.config import PiperConfig

from . import model_files
from .loading import LoadOnce
from .phonemes import id_alignments, phoneme_timings, word_groups
from .piper_model import PiperModel
from .timed_speech import Speech, join_speech

# Piper normalizes each sentence to full scale, which needs the whole sentence before any audio.
# A fixed gain instead: the model's own peaks were 0.43-0.77 over bench's ten sentences.
OUTPUT_GAIN = 1.25
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
    """The loaded Piper voice, its model cut in two (see piper_model); thread-safe."""

    def __init__(self, model: PiperModel, voice: PiperVoice) -> None:
        self._model = model
        self._voice = voice  # its phonemizer and config: the inference is the model's
        self.sample_rate = voice.config.sample_rate

    @classmethod
    def load(cls) -> PiperEngine:
        """Check the voice's files, then open its model's two halves on every core."""
        config = json.loads(model_files.verified_bytes(model_files.PIPER_CONFIG))
        voice_config = PiperConfig.from_dict(config)
        onnx_model = onnx.load_from_string(model_files.verified_bytes(model_files.PIPER_MODEL))
        model = PiperModel(onnx_model, voice_config.hop_length)
        return cls(model, PiperVoice(session=model.front, config=voice_config))

    def speak(
        self,
        text: str,
        character: Character = Character(),
        *,
        speed: float = 1.0,
        volume: float = 1.0,
        offset: float = 0.0,
    ) -> Speech:
        """Speak one sentence (or clause) whole; times start at offset seconds."""
        parts = self.speak_parts(text, character, speed=speed, volume=volume, offset=offset)
        return join_speech(list(parts), self.sample_rate)

    def speak_parts(
        self,
        text: str,
        character: Character = Character(),
        *,
        speed: float = 1.0,
        volume: float = 1.0,
        offset: float = 0.0,
    ) -> Iterator[Speech]:
        """Speak one sentence (or clause) part by part as it is decoded, each part with the
        words and phonemes that end in it; times start at offset seconds."""
        tokens = [m.group() for m in _WORD.finditer(text)]
        groups = word_groups(self._voice, text, tokens)
        symbols = list(" ".join(group for group in groups if group))
        if not symbols:
            yield Speech(np.zeros(0, np.float32), self.sample_rate, ())  # nothing to say
            return
        ids = self._voice.phonemes_to_ids(symbols)
        latent, id_samples = self._model.frames(ids, character.pace * character.pitch / speed)
        alignments = id_alignments(symbols, id_samples, self._voice.config.phoneme_id_map)
        scale = 1.0 / (self.sample_rate * character.pitch)  # seconds per synthesized sample
        words, phonemes = phoneme_timings(alignments, tokens, groups, scale, offset)
        repitch = _Repitch(character.pitch, self.sample_rate)
        pause = np.zeros(int(self.sample_rate * SENTENCE_PAUSE / speed), np.float32)
        start = offset
        for audio, last in self._model.audio_parts(latent):
            samples = repitch.push(audio * (OUTPUT_GAIN * volume), last)
            if last:
                samples = np.concatenate([samples, pause])
            end = start + len(samples) / self.sample_rate
            heard = len(words) if last else sum(1 for w in words if w.end <= end)
            said = len(phonemes) if last else sum(1 for p in phonemes if p.end <= end)
            part_words, words = words[:heard], words[heard:]
            part_phonemes, phonemes = phonemes[:said], phonemes[said:]
            clipped = np.clip(samples, -1.0, 1.0).astype(np.float32)
            yield Speech(clipped, self.sample_rate, part_words, part_phonemes)
            start = end


class _Repitch:
    """Audio played pitch times faster at the same rate, part by part: higher (or lower)."""

    def __init__(self, pitch: float, sample_rate: int) -> None:
        self._stream = (
            None if pitch == 1.0 else soxr.ResampleStream(sample_rate * pitch, sample_rate, 1)
        )

    def push(self, audio: np.ndarray, last: bool) -> np.ndarray:
        """The next part's audio, repitched; last: the end of the sentence (flush the filter)."""
        audio = audio.astype(np.float32)
        return audio if self._stream is None else self._stream.resample_chunk(audio, last=last)


ENGINE: LoadOnce[PiperEngine] = LoadOnce("piper", PiperEngine.load)
