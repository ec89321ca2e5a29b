"""What pocketsphinx is given and what it gives back: trimmed 16-bit audio in, clean words out."""

from __future__ import annotations

import numpy as np
from pocketsphinx import Decoder

from .fingerprints import SILENCE_DB
from .timed_speech import WordTiming

_DECODE_MARGIN = 0.3  # seconds of silence kept around speech for pocketsphinx


def speech_span(audio: np.ndarray, rate: int) -> tuple[int, int]:
    """Sample range of audio without its leading and trailing silence (kept: a margin)."""
    frame = rate // 100
    count = len(audio) // frame
    if count == 0:
        return 0, 0
    energy = np.square(audio[: count * frame], dtype=np.float64).reshape(count, frame).mean(axis=1)
    decibels = 10.0 * np.log10(energy + 1e-12)
    loud = np.flatnonzero((decibels > decibels.max() - SILENCE_DB) & (decibels > -75.0))
    if len(loud) == 0:
        return 0, 0
    margin = int(_DECODE_MARGIN * rate)
    return max(0, loud[0] * frame - margin), min(len(audio), (loud[-1] + 1) * frame + margin)


def to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def clean_word(word: str) -> str | None:
    """A dictionary word without its "(2)" variant mark; None for silences and fillers."""
    if word.startswith(("<", "[", "+")):
        return None
    return word.split("(")[0]


def clean_text(hypothesis: str) -> str:
    return " ".join(w for w in (clean_word(word) for word in hypothesis.split()) if w)


def decoded_words(decoder: Decoder) -> tuple[WordTiming, ...]:
    """The words of the decoder's last utterance with their times."""
    rate = float(decoder.config["frate"])
    words = []
    for segment in decoder.seg() or ():  # None when nothing was recognized
        word = clean_word(segment.word)
        if word:
            words.append(
                WordTiming(
                    word,
                    round(segment.start_frame / rate, 3),
                    round((segment.end_frame + 1) / rate, 3),
                )
            )
    return tuple(words)
