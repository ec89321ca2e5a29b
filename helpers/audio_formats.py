"""Cartesia's audio formats in one table, and `OutputFormat`, parsed once from a request.

Shared by the client side (`helpers.audio`) and the mock gateway; it imports neither the mock
nor Starlette. The values are those of the installed cartesia SDK's types (a test compares them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CONTAINERS = ("raw", "wav", "mp3")  # cartesia.types.OutputFormatContainer
ENCODINGS = ("pcm_f32le", "pcm_s16le", "pcm_mulaw", "pcm_alaw")  # cartesia.types.RawEncoding
SAMPLE_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
MP3_BIT_RATES = (32000, 64000, 96000, 128000, 192000)
# Uploads (STT) may also be raw PCM in these encodings (cartesia.types.STTEncoding).
UPLOAD_ENCODINGS = ("pcm_s16le", "pcm_s32le", "pcm_f16le", "pcm_f32le", "pcm_mulaw", "pcm_alaw")

# soundfile's subtype and the bytes per sample of each output encoding.
SUBTYPES = {"pcm_s16le": "PCM_16", "pcm_f32le": "FLOAT", "pcm_mulaw": "ULAW", "pcm_alaw": "ALAW"}
SAMPLE_WIDTHS = {"pcm_s16le": 2, "pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}
# The registered media type of each audio file format (by soundfile's format name, lower case).
MEDIA_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg"}


@dataclass(frozen=True)
class OutputFormat:
    """A valid Cartesia output_format: raw and wav have an encoding, mp3 a bit rate."""

    container: str
    sample_rate: int
    encoding: str | None = None
    bit_rate: int | None = None

    @property
    def sample_width(self) -> int:
        """Bytes per sample of raw and wav audio."""
        if self.encoding is None:
            raise ValueError("mp3 audio has no fixed sample width")
        return SAMPLE_WIDTHS[self.encoding]

    @property
    def subtype(self) -> str:
        """The libsndfile subtype of raw and wav audio."""
        if self.encoding is None:
            raise ValueError("mp3 audio has no PCM subtype")
        return SUBTYPES[self.encoding]

    def as_raw(self) -> OutputFormat:
        """The headerless PCM format of this format's streamed pieces."""
        if self.encoding is None:
            raise ValueError("streamed audio needs output_format.container 'raw' (or 'wav')")
        return OutputFormat("raw", self.sample_rate, encoding=self.encoding)


def parse_output_format(value: Any, *, containers: tuple[str, ...] = CONTAINERS) -> OutputFormat:
    """The OutputFormat of a request's output_format; ValueError names the allowed values."""
    if not isinstance(value, Mapping):
        raise ValueError("output_format must be an object with container, encoding, sample_rate")
    container = _choice(value, "container", containers)
    sample_rate = _choice(value, "sample_rate", SAMPLE_RATES)
    if container == "mp3":
        return OutputFormat("mp3", sample_rate, bit_rate=_choice(value, "bit_rate", MP3_BIT_RATES))
    return OutputFormat(container, sample_rate, encoding=_choice(value, "encoding", ENCODINGS))


def _choice(output_format: Mapping[str, Any], key: str, allowed: tuple[Any, ...]) -> Any:
    value = output_format.get(key)
    if isinstance(value, bool) or value not in allowed:
        shown = ", ".join(str(a) for a in allowed)
        raise ValueError(f"output_format.{key} must be one of {shown}; got {value!r}")
    return int(value) if isinstance(value, float) else value  # 16000.0 is JSON for 16000
