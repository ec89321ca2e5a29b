"""Hear, describe, save and plot the audio that comes back from Cartesia."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from helpers.audio_formats import MEDIA_TYPES, SAMPLE_WIDTHS, SUBTYPES

SUBTYPE_ENCODINGS = {subtype: encoding for encoding, subtype in SUBTYPES.items()}


@dataclass(frozen=True)
class AudioInfo:
    """What a piece of audio is: container, encoding, rate, channels and length."""

    container: str
    encoding: str
    sample_rate: int
    channels: int
    frames: int

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    def __str__(self) -> str:
        return (
            f"{self.container} {self.encoding} {self.sample_rate} Hz "
            f"{'mono' if self.channels == 1 else f'{self.channels} ch'}, {self.duration:.2f} s"
        )


def describe_audio(data: bytes, output_format: Mapping[str, Any] | None = None) -> AudioInfo:
    """Describe WAV/MP3/FLAC/OGG bytes, or raw PCM given the `output_format` it was made with."""
    if output_format is not None and output_format.get("container") == "raw":
        frames = len(data) // SAMPLE_WIDTHS[output_format["encoding"]]
        return AudioInfo("raw", output_format["encoding"], output_format["sample_rate"], 1, frames)
    info = sf.info(io.BytesIO(data))
    encoding = SUBTYPE_ENCODINGS.get(info.subtype, info.subtype.lower())
    return AudioInfo(info.format.lower(), encoding, info.samplerate, info.channels, info.frames)


def read_samples(
    data: bytes, output_format: Mapping[str, Any] | None = None
) -> tuple[np.ndarray, int]:
    """Decode audio bytes to float samples in [-1, 1] (mono: first channel) and the sample rate."""
    if output_format is not None and output_format.get("container") == "raw":
        samples, rate = sf.read(
            io.BytesIO(data),
            format="RAW",
            subtype=SUBTYPES[output_format["encoding"]],
            samplerate=output_format["sample_rate"],
            channels=1,
            dtype="float32",
        )
    else:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32")
    return (samples if samples.ndim == 1 else samples[:, 0]), rate


def play(data: bytes, output_format: Mapping[str, Any] | None = None, *, autoplay: bool = False):
    """An audio player for a notebook (raw PCM is wrapped in WAV first so browsers can play it)."""
    from IPython.display import Audio

    if output_format is not None and output_format.get("container") == "raw":
        samples, rate = read_samples(data, output_format)
        return Audio(samples, rate=rate, autoplay=autoplay, normalize=False)
    player = Audio(data=data, autoplay=autoplay)
    # IPython assumes audio/wav; tell the browser what the bytes really are
    player.mimetype = MEDIA_TYPES.get(sf.info(io.BytesIO(data)).format.lower(), "audio/wav")
    return player


def save(data: bytes, path: str | Path) -> Path:
    """Write audio bytes to `path` (folders created as needed) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def plot_waveform(
    data: bytes,
    words: Iterable[tuple[str, float, float]] | None = None,
    *,
    output_format: Mapping[str, Any] | None = None,
    title: str | None = None,
):
    """Plot the waveform, with each `(word, start, end)` shaded and labelled at its time."""
    import matplotlib.pyplot as plt

    samples, rate = read_samples(data, output_format)
    times = np.arange(len(samples)) / rate
    figure, axes = plt.subplots(figsize=(10, 2.6))
    axes.plot(times, samples, linewidth=0.6, color="#4a6fa5")
    for index, (word, start, end) in enumerate(words or ()):
        axes.axvspan(start, end, alpha=0.15, color="#f28e2b" if index % 2 else "#59a14f")
        axes.text(
            (start + end) / 2,
            0.92,
            word,
            ha="center",
            va="top",
            fontsize=8,
            transform=axes.get_xaxis_transform(),
        )
    axes.set(xlabel="seconds", ylabel="amplitude", xlim=(0, max(len(samples) / rate, 1e-3)))
    if title:
        axes.set_title(title)
    figure.tight_layout()
    plt.close(figure)
    return figure
