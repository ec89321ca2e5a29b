"""Speech as the engines produce it: samples plus the time span of every word and phoneme."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .. import undocumented as guess


@dataclass(frozen=True)
class WordTiming:
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class PhonemeTiming:
    phoneme: str  # IPA, e.g. "oʊ"
    start: float
    end: float


@dataclass(frozen=True)
class Speech:
    """Mono float32 samples in [-1, 1], the time span of every word of the transcript and, when
    the engine aligns them (Piper), of every phoneme."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[WordTiming, ...]
    phonemes: tuple[PhonemeTiming, ...] = ()

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def spoken_word(token: str) -> str:
    """A word of the transcript as word timestamps show it (punctuation kept or stripped)."""
    return token if guess.TIMESTAMP_WORDS_KEEP_PUNCTUATION else re.sub(r"^\W+|\W+$", "", token)


def shift_words(words: Iterable[WordTiming], seconds: float) -> tuple[WordTiming, ...]:
    """The words moved by `seconds` (never before 0), to the millisecond."""
    return tuple(
        WordTiming(
            w.word, round(max(0.0, w.start + seconds), 3), round(max(0.0, w.end + seconds), 3)
        )
        for w in words
    )


def shifted(speech: Speech, seconds: float) -> Speech:
    """The same speech with its word and phoneme times moved by `seconds`."""
    phonemes = tuple(
        PhonemeTiming(p.phoneme, round(max(0.0, p.start + seconds), 3), round(p.end + seconds, 3))
        for p in speech.phonemes
    )
    words = shift_words(speech.words, seconds)
    return Speech(speech.samples, speech.sample_rate, words, phonemes)


def join_speech(pieces: Sequence[Speech], sample_rate: int) -> Speech:
    """One Speech from consecutive pieces whose word and phoneme times already run on."""
    if not pieces:
        return Speech(np.zeros(0, np.float32), sample_rate, ())
    samples = np.concatenate([piece.samples for piece in pieces])
    words = tuple(w for p in pieces for w in p.words)
    phonemes = tuple(x for p in pieces for x in p.phonemes)
    return Speech(samples, pieces[0].sample_rate, words, phonemes)
