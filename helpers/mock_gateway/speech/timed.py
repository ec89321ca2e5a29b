"""A word or phoneme with the time span it is heard in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timed:
    """A word or phoneme and when it is heard, in seconds."""

    text: str
    start: float
    end: float
