"""Speech as the engines produce it: samples plus the time span of every word."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class WordTiming:
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class Speech:
    """Mono float32 samples in [-1, 1] and the time span of every word of the transcript."""

    samples: np.ndarray
    sample_rate: int
    words: tuple[WordTiming, ...]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


def shift_words(words: Iterable[WordTiming], seconds: float) -> tuple[WordTiming, ...]:
    """The words moved by `seconds` (never before 0), to the millisecond."""
    return tuple(
        WordTiming(
            w.word, round(max(0.0, w.start + seconds), 3), round(max(0.0, w.end + seconds), 3)
        )
        for w in words
    )


def join_speech(pieces: Sequence[Speech], sample_rate: int) -> Speech:
    """One Speech from consecutive pieces whose word times already run on."""
    if not pieces:
        return Speech(np.zeros(0, np.float32), sample_rate, ())
    samples = np.concatenate([piece.samples for piece in pieces])
    return Speech(samples, pieces[0].sample_rate, tuple(w for p in pieces for w in p.words))
