"""Decoding of STT uploads with PyAV (FFmpeg): M4A/AAC, WebM/Opus, OGG, MP3, FLAC, WAV and more.

Raw PCM (the `encoding` and `sample_rate` query parameters, no container) is left to
`audio_encoding.decode`; every file a recorder or browser makes is read here.
"""

from __future__ import annotations

import io

import av
import numpy as np

from .audio_encoding import AudioDecodeError
from .audio_encoding import decode as decode_raw

# Container signatures: an upload starting with one is a file even when `encoding` is given.
_FILE_SIGNATURES = (b"RIFF", b"RF64", b"fLaC", b"OggS", b"ID3", b"FORM", b"\x1a\x45\xdf\xa3")
_MP4_BOX = b"ftyp"  # ISO base media (M4A, MP4): the first box's type, at offset 4

UNREADABLE = (
    "could not read the audio file; upload M4A, WebM, OGG, MP3, FLAC or WAV audio, or raw PCM "
    "with the encoding and sample_rate query parameters"
)


def decode_upload(
    data: bytes, *, encoding: str | None = None, sample_rate: int | None = None
) -> tuple[np.ndarray, int]:
    """Mono float32 samples and sample rate of an uploaded recording, or of raw PCM when
    encoding is given and the bytes are not a file."""
    if not data:
        raise AudioDecodeError("the audio file is empty; upload a recording (M4A, MP3, WAV, ...)")
    if encoding is not None and not _is_file(data):
        return decode_raw(data, encoding=encoding, sample_rate=sample_rate)
    samples, rate = _decode_file(data)
    if len(samples) == 0:
        raise AudioDecodeError("the audio file holds no samples; upload a recording with sound")
    return samples, rate


def _is_file(data: bytes) -> bool:
    return data.startswith(_FILE_SIGNATURES) or data[4:8] == _MP4_BOX


def _decode_file(data: bytes) -> tuple[np.ndarray, int]:
    """The first audio track, channels averaged; a file cut short gives what arrived."""
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except av.FFmpegError:
        raise AudioDecodeError(UNREADABLE) from None
    with container:
        if not container.streams.audio:
            raise AudioDecodeError("the file holds no audio track; upload a sound recording")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", rate=stream.rate)
        chunks: list[np.ndarray] = []
        try:
            for frame in container.decode(stream):
                chunks.extend(out.to_ndarray() for out in resampler.resample(frame))
        except av.FFmpegError:
            if not chunks:
                raise AudioDecodeError(UNREADABLE) from None
        chunks.extend(out.to_ndarray() for out in resampler.resample(None))
    if not chunks:
        return np.zeros(0, np.float32), stream.rate
    samples = np.concatenate(chunks, axis=1).mean(axis=0, dtype=np.float32)
    return np.clip(samples, -1.0, 1.0), int(stream.rate)
