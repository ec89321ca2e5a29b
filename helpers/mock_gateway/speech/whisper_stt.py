"""Speech recognition with Whisper (faster-whisper): whole files, and streams that grow.

English goes to Whisper tiny.en; other languages to the multilingual Whisper base. Both load
once per process (see ENGINE) and every call holds a CPU slot while the model runs: every slot,
and every core, when no other model run is going.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import soxr
from faster_whisper import WhisperModel
from faster_whisper.tokenizer import _LANGUAGE_CODES

from . import model_files
from .cpu_slots import SLOTS, cpu_slot
from .loading import LoadOnce
from .timed_speech import WordTiming

RATE = 16000  # Whisper listens at 16 kHz
WHISPER_LANGUAGES = frozenset(_LANGUAGE_CODES)
_DECODING = {"beam_size": 1, "temperature": 0.0, "condition_on_previous_text": False}
PAD_SECONDS = 0.5  # silence put around the audio: Whisper misses words that start at once


@dataclass(frozen=True)
class Transcript:
    """What was said, each word's time span (seconds), the language, the audio's length."""

    text: str
    words: tuple[WordTiming, ...]
    language: str
    duration: float


def to_rate(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 samples at Whisper's 16 kHz."""
    samples = np.asarray(samples, dtype=np.float32).ravel()
    if sample_rate == RATE or len(samples) == 0:
        return samples
    return soxr.resample(samples, sample_rate, RATE).astype(np.float32)


@dataclass(frozen=True)
class Whisper:
    """One Whisper model on one core, and on every core for when nothing else runs (tiny.en is
    opened twice; Whisper base's one copy serves both).

    Measured on 2 cores: the 4 s sample in 0.50 s on both instead of 0.83 on one; but two runs at
    once on both cores each were slower than on one core each, so a run takes both only when the
    other slot is free.
    """

    one_core: WhisperModel
    every_core: WhisperModel

    @contextmanager
    def running(self) -> Iterator[WhisperModel]:
        """The model to run now, its CPU slots held until the run is done."""
        with cpu_slot.every_core_if_idle() as every_core:
            yield self.every_core if every_core else self.one_core


class WhisperEngine:
    """Whisper tiny.en for English and Whisper base for every other language (thread-safe)."""

    def __init__(self, english: Whisper, multilingual: LoadOnce[Whisper]) -> None:
        self._english = english
        self._multilingual = multilingual

    @classmethod
    def load(cls) -> WhisperEngine:
        """Load tiny.en now; Whisper base (joined from its two packages) loads in the background."""
        for file in model_files.WHISPER_TINY_EN_FILES:
            model_files.verified(file)
        folder = model_files.WHISPER_TINY_EN_FILES[0].path().parent
        multilingual = LoadOnce("whisper-base", lambda: _open(model_files.whisper_base_dir()))
        multilingual.start()
        return cls(_open(folder, every_core=True), multilingual)

    def model_for(self, language: str) -> Whisper:
        """The model that hears this language; ValueError (one line) for one Whisper lacks."""
        if language not in WHISPER_LANGUAGES:
            raise ValueError(f"language {language!r} cannot be recognized; use e.g. 'en' or 'fr'")
        return self._english if language == "en" else self._multilingual.get()

    def transcribe(self, samples: np.ndarray, sample_rate: int, language: str = "en") -> Transcript:
        """Every word of the audio with its time span."""
        audio = to_rate(samples, sample_rate)
        words = self.words(audio, language)
        text = " ".join(w.word for w in words)
        return Transcript(text, words, language, round(len(audio) / RATE, 3))

    def words(
        self, audio: np.ndarray, language: str, offset: float = 0.0
    ) -> tuple[WordTiming, ...]:
        """Recognized words of 16 kHz audio, timed from offset seconds."""
        if len(audio) == 0:
            return ()
        with self.model_for(language).running() as model:
            segments, _ = model.transcribe(
                _padded(audio),
                language=language,
                word_timestamps=True,
                vad_filter=True,  # Silero skips the silences: no words invented there
                **_DECODING,
            )
            found = [w for segment in segments for w in (segment.words or ())]
        length = len(audio) / RATE

        def heard(second: float) -> float:
            return round(offset + min(max(second - PAD_SECONDS, 0.0), length), 3)

        spoken = [w for w in found if w.word.strip()]
        return tuple(WordTiming(w.word.strip(), heard(w.start), heard(w.end)) for w in spoken)

    def text(self, audio: np.ndarray, language: str) -> str:
        """Just the text of 16 kHz audio: the quick decode behind partial transcripts."""
        if len(audio) == 0:
            return ""
        with self.model_for(language).running() as model:
            segments, _ = model.transcribe(
                _padded(audio), language=language, without_timestamps=True, **_DECODING
            )
            return " ".join(s.text.strip() for s in segments if s.text.strip())


def _padded(audio: np.ndarray) -> np.ndarray:
    silence = np.zeros(int(PAD_SECONDS * RATE), np.float32)
    return np.concatenate([silence, audio, silence])


def _open(folder, every_core: bool = False) -> Whisper:
    """The model on one core, and (every_core) opened again on every core; else one copy serves
    both (Whisper base, for the rarer other languages, is not loaded twice in every mock)."""

    def model(threads: int) -> WhisperModel:
        return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)

    one_core = model(1)
    return Whisper(one_core, model(SLOTS) if every_core else one_core)


ENGINE: LoadOnce[WhisperEngine] = LoadOnce("whisper", WhisperEngine.load)
