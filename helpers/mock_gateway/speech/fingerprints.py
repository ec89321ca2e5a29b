"""Audio fingerprints: how the recognizer knows the mock's own speech again after any round trip.

Band energies of 20 ms frames every 10 ms, at telephone bandwidth (8 kHz, what mu-law and A-law
keep), in dB relative to the loudest frame, leading and trailing silence trimmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import soxr

from .audio_encoding import resample

_RATE = 8000
_WINDOW, _HOP = 160, 80
_BAND_EDGES = (2, 10, 20, 35, 55, 80, 128)  # FFT bins of 31.25 Hz: 60 Hz .. 4 kHz
_SILENCE_DB = 40.0  # frames this far below the loudest are silence
_FLOOR_DB = 45.0  # band energies are floored this far below the loudest
_MAX_LAG = 5  # frames (50 ms) an encoder may shift the audio by
_MATCH = 0.8  # correlation over the whole span
_WINDOW_MATCH = 0.85  # and over every half second of it (a changed word fails this)
_CHECK_WINDOW = 50  # frames
FRAME_SECONDS = _HOP / _RATE
SILENCE_DB = _SILENCE_DB


@dataclass(frozen=True)
class Fingerprint:
    bands: np.ndarray  # frames x bands, dB, trimmed to the speech span
    lead: float  # seconds of silence trimmed from the start


def fingerprint(samples: np.ndarray, sample_rate: int) -> Fingerprint:
    return _asfingerprint(_band_power(resample(samples, sample_rate, _RATE)))


def _band_power(audio: np.ndarray) -> np.ndarray:
    """Power in each band of each whole frame of 8 kHz audio (frames x bands)."""
    count = max(0, (len(audio) - _WINDOW) // _HOP + 1)
    frames = audio[np.arange(_WINDOW)[None, :] + _HOP * np.arange(count)[:, None]]
    power = np.abs(np.fft.rfft(frames * np.hanning(_WINDOW), 256, axis=1)) ** 2
    bands = [power[:, lo:hi].sum(axis=1) for lo, hi in pairwise(_BAND_EDGES)]
    return np.stack(bands, axis=1).reshape(count, len(bands))


def _asfingerprint(bands: np.ndarray) -> Fingerprint:
    if len(bands) == 0:
        return Fingerprint(np.zeros((0, len(_BAND_EDGES) - 1), np.float32), 0.0)
    total = 10.0 * np.log10(bands.sum(axis=1) + 1e-10)
    loud = np.flatnonzero(total > total.max() - _SILENCE_DB)
    decibels = 10.0 * np.log10(bands[loud[0] : loud[-1] + 1] + 1e-10)
    decibels = np.maximum(decibels, decibels.max() - _FLOOR_DB)  # codec noise reads as silence
    return Fingerprint(decibels.astype(np.float32), loud[0] * _HOP / _RATE)


class BandMeter:
    """_band_power of audio that arrives piece by piece (any rate), kept up to date cheaply."""

    def __init__(self, sample_rate: int) -> None:
        self._resampler = soxr.ResampleStream(sample_rate, _RATE, 1, np.float32)
        self._tail = np.zeros(0, np.float32)
        self._power: list[np.ndarray] = []
        self.frames = 0

    def add(self, samples: np.ndarray) -> None:
        audio = np.concatenate([self._tail, self._resampler.resample_chunk(samples)])
        power = _band_power(audio)
        self._tail = audio[len(power) * _HOP :]
        self._power.append(power)
        self.frames += len(power)

    def fingerprint(self) -> Fingerprint:
        return _asfingerprint(np.concatenate(self._power))


def _correlations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of a with the same row of b (-1 where one is flat)."""
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    scale = np.sqrt(np.einsum("ij,ij->i", a, a) * np.einsum("ij,ij->i", b, b))
    dot = np.einsum("ij,ij->i", a, b)
    return np.where(scale > 0, dot / np.where(scale > 0, scale, 1.0), -1.0)


def align(heard: np.ndarray, known: np.ndarray) -> tuple[float, int] | None:
    """(score, lag in frames) when two band-energy sequences are the same sound, else None.

    Compared on their common length, so a prefix of a known sound matches it too.
    """
    scores = []
    for lag in range(-_MAX_LAG, _MAX_LAG + 1):
        x, y = _overlap(heard, known, lag)
        scores.append((float(_correlations(x.reshape(1, -1), y.reshape(1, -1))[0]), lag))
    best, lag = max(scores)
    if best < _MATCH:
        return None
    x, y = _overlap(heard, known, lag)
    if len(x) > _CHECK_WINDOW:  # every half second, windows overlapping by half
        starts = np.arange(0, len(x) - _CHECK_WINDOW + 1, _CHECK_WINDOW // 2)
        rows = starts[:, None] + np.arange(_CHECK_WINDOW)[None, :]
        x, y = x[rows].reshape(len(starts), -1), y[rows].reshape(len(starts), -1)
    else:
        x, y = x.reshape(1, -1), y.reshape(1, -1)
    if _correlations(x, y).min() < _WINDOW_MATCH:
        return None
    return best, lag


def _overlap(a: np.ndarray, b: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = (a[lag:], b) if lag >= 0 else (a, b[-lag:])
    n = min(len(x), len(y))
    return x[:n], y[:n]
