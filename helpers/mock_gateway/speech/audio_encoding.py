"""Cartesia output formats (WAV, raw PCM, MP3) and decoding of uploads, with soundfile and soxr.

MP3 is constant bit rate (LAME inside libsndfile). MPEG has no rate above 160 kbps below
32 kHz, nor above 64 kbps at 8 kHz: there the bit rate asked for is lowered to that maximum.
"""

from __future__ import annotations

import io
import struct

import numpy as np
import soundfile
import soxr

from ...audio_formats import MEDIA_TYPES, SUBTYPES, UPLOAD_ENCODINGS, OutputFormat
from .. import undocumented as guess

_NUMPY_TYPES = {"pcm_s16le": "<i2", "pcm_s32le": "<i4", "pcm_f16le": "<f2", "pcm_f32le": "<f4"}
_FILE_SIGNATURES = (b"RIFF", b"RF64", b"fLaC", b"OggS", b"ID3", b"FORM")


class AudioDecodeError(ValueError):
    """Uploaded bytes that are not audio this module can read."""


def _listed(values: tuple) -> str:
    return ", ".join(str(v) for v in values)


def media_type(output_format: OutputFormat) -> str:
    """The Content-Type of TTS audio in this output format."""
    if output_format.container == "raw":
        return guess.RAW_MEDIA_TYPE
    return MEDIA_TYPES[output_format.container]


def resample(samples: np.ndarray, sample_rate: int, target_rate: int) -> np.ndarray:
    """Mono float32 samples at target_rate (soxr, high quality)."""
    samples = np.asarray(samples, dtype=np.float32)
    if sample_rate == target_rate or len(samples) == 0:
        return samples
    return soxr.resample(samples, sample_rate, target_rate).astype(np.float32, copy=False)


def encode(samples: np.ndarray, sample_rate: int, fmt: OutputFormat) -> bytes:
    """A whole audio file (or raw PCM stream) of mono float samples, in the output format."""
    data = np.clip(resample(samples, sample_rate, fmt.sample_rate), -1.0, 1.0)
    buffer = io.BytesIO()
    if fmt.container == "mp3":
        # libsndfile drives LAME from a "compression level" in [0, 1], mapped linearly onto
        # the bit rates of the MPEG version the sample rate needs; ask for the level that
        # lands on bit_rate (LAME rounds to a legal rate; clamped where the rate allows less).
        low, high = _mp3_kbps_limits(fmt.sample_rate)
        kbps = min(max((fmt.bit_rate or high * 1000) // 1000, low), high)
        level = min(max((high - kbps - 0.25) / (high - low), 0.0), 1.0)
        soundfile.write(
            buffer, data, fmt.sample_rate, format="MP3", subtype="MPEG_LAYER_III",
            compression_level=level, bitrate_mode="CONSTANT",
        )  # fmt: skip
    else:
        file_format = "WAV" if fmt.container == "wav" else "RAW"
        soundfile.write(buffer, data, fmt.sample_rate, format=file_format, subtype=fmt.subtype)
    return buffer.getvalue()


def _mp3_kbps_limits(sample_rate: int) -> tuple[int, int]:
    """Bit rates (kbps) libsndfile offers at this sample rate: MPEG-1, MPEG-2, MPEG-2.5."""
    if sample_rate >= 32000:
        return 32, 320
    if sample_rate >= 16000:
        return 8, 160
    return 8, 64


def encode_raw_chunk(samples: np.ndarray, sample_rate: int, fmt: OutputFormat) -> bytes:
    """Headerless PCM of one streamed piece (SSE/WebSocket chunk) in the format's encoding."""
    return encode(samples, sample_rate, fmt.as_raw())


def decode(
    data: bytes, *, encoding: str | None = None, sample_rate: int | None = None
) -> tuple[np.ndarray, int]:
    """Mono float32 samples and sample rate of an upload: a WAV/MP3/FLAC/OGG file, or raw PCM
    when encoding and sample_rate are given."""
    if not data:
        raise AudioDecodeError("the audio file is empty; upload a WAV, MP3, FLAC or OGG file")
    if encoding is not None and not data.startswith(_FILE_SIGNATURES):
        return _decode_raw(data, encoding, sample_rate)
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as error:
        raise AudioDecodeError(
            "could not read the audio file; upload WAV, MP3, FLAC or OGG audio, or raw PCM "
            "with the encoding and sample_rate query parameters"
        ) from error
    if len(samples) == 0:
        raise AudioDecodeError("the audio file holds no samples; upload a recording with sound")
    return samples.mean(axis=1, dtype=np.float32), int(rate)


def _decode_raw(data: bytes, encoding: str, sample_rate: int | None) -> tuple[np.ndarray, int]:
    if encoding not in UPLOAD_ENCODINGS:
        raise AudioDecodeError(f"encoding must be one of {_listed(UPLOAD_ENCODINGS)}")
    if not isinstance(sample_rate, int) or isinstance(sample_rate, bool) or sample_rate <= 0:
        raise AudioDecodeError("raw PCM needs a positive integer sample_rate, e.g. 16000")
    if encoding in ("pcm_mulaw", "pcm_alaw"):
        samples = soundfile.read(
            io.BytesIO(data), dtype="float32", format="RAW", subtype=SUBTYPES[encoding],
            samplerate=sample_rate, channels=1,
        )[0]  # fmt: skip
        return samples, sample_rate
    width = np.dtype(_NUMPY_TYPES[encoding]).itemsize
    if len(data) % width:
        raise AudioDecodeError(
            f"{encoding} audio is {width} bytes per sample but {len(data)} bytes were sent; "
            "send whole samples"
        )
    values = np.frombuffer(data, dtype=_NUMPY_TYPES[encoding])
    if values.dtype.kind == "i":
        samples = values.astype(np.float32) / float(np.iinfo(values.dtype).max + 1)
    else:
        samples = np.nan_to_num(values.astype(np.float32), posinf=1.0, neginf=-1.0)
    return np.clip(samples, -1.0, 1.0), sample_rate


def wav_stream_header(fmt: OutputFormat) -> bytes:
    """A WAV header for audio of unknown length (sizes set to the streaming placeholder)."""
    buffer = io.BytesIO()
    empty = np.zeros(0, np.float32)
    soundfile.write(
        buffer, empty, fmt.sample_rate, format="WAV", subtype=fmt.subtype,
    )  # fmt: skip
    header = bytearray(buffer.getvalue())
    unknown = struct.pack("<I", guess.WAV_STREAM_SIZE_PLACEHOLDER)
    header[4:8] = unknown  # RIFF chunk size
    data = header.rfind(b"data")
    header[data + 4 : data + 8] = unknown
    fact = header.find(b"fact")
    if fact >= 0:  # non-PCM encodings also count their samples in a fact chunk
        header[fact + 8 : fact + 12] = unknown
    return bytes(header)
