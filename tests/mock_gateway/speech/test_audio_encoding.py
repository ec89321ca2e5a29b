"""Every Cartesia output format, and decoding of uploads, checked from the bytes a user receives."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
import soundfile

from helpers.audio_formats import (
    ENCODINGS,
    MP3_BIT_RATES,
    SAMPLE_RATES,
    OutputFormat,
)
from helpers.mock_gateway.speech.audio_encoding import (
    AudioDecodeError,
    decode,
    encode,
    encode_raw_chunk,
    media_type,
)

SOURCE_RATE = 22050
WAV_FORMAT_TAGS = {"pcm_s16le": 1, "pcm_f32le": 3, "pcm_alaw": 6, "pcm_mulaw": 7}
BYTES_PER_SAMPLE = {"pcm_s16le": 2, "pcm_f32le": 4, "pcm_alaw": 1, "pcm_mulaw": 1}
MP3_KBPS = {  # (MPEG version 1 / 2 / 2.5, bit-rate index) -> kbps
    1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}


@pytest.fixture(scope="module")
def tone() -> np.ndarray:
    """1.5 s of a 440 Hz tone with a rising envelope, at 22050 Hz (the engine's rate)."""
    t = np.arange(int(1.5 * SOURCE_RATE)) / SOURCE_RATE
    return (0.5 * np.sin(2 * np.pi * 440 * t) * np.linspace(0.2, 1.0, len(t))).astype(np.float32)


def resampled_close(got: np.ndarray, rate: int, want: np.ndarray, tolerance: float) -> None:
    """got (at rate) matches want (at 22050 Hz) sample by sample, after interpolation."""
    times = np.arange(len(got)) / rate
    reference = np.interp(times, np.arange(len(want)) / SOURCE_RATE, want)
    middle = slice(len(got) // 10, -len(got) // 10)  # skip resampler edges
    assert np.max(np.abs(got[middle] - reference[middle])) < tolerance


def g711_decode(data: bytes, encoding: str) -> np.ndarray:
    """ITU-T G.711 mu-law / A-law bytes to floats, written out here to check the encoder."""
    code = np.frombuffer(data, np.uint8).astype(np.int32)
    if encoding == "pcm_mulaw":
        code = ~code & 0xFF
        magnitude = (((code & 0x0F) << 3) + 0x84 << ((code >> 4) & 7)) - 0x84
        value = np.where(code & 0x80, -magnitude, magnitude)
    else:
        code = code ^ 0x55
        exponent, mantissa = (code >> 4) & 7, code & 0x0F
        magnitude = np.where(
            exponent == 0,
            (mantissa << 4) + 8,
            ((mantissa << 4) + 0x108) << np.maximum(exponent - 1, 0),
        )
        value = np.where(code & 0x80, magnitude, -magnitude)
    return value / 32768.0


@pytest.mark.parametrize("rate", SAMPLE_RATES)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_wav_header_rate_encoding_and_duration(tone, encoding, rate):
    data = encode(tone, SOURCE_RATE, OutputFormat("wav", rate, encoding=encoding))
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    tag, channels, header_rate = struct.unpack("<HHI", data[20:28])
    assert (tag, channels, header_rate) == (WAV_FORMAT_TAGS[encoding], 1, rate)
    samples, read_rate = soundfile.read(io.BytesIO(data), dtype="float32")
    assert read_rate == rate
    assert len(samples) / rate == pytest.approx(1.5, abs=1 / rate)
    resampled_close(samples, rate, tone, 0.05 if encoding in ("pcm_mulaw", "pcm_alaw") else 0.01)


@pytest.mark.parametrize("rate", SAMPLE_RATES)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_raw_pcm_is_headerless_samples_of_the_encoding(tone, encoding, rate):
    data = encode(tone, SOURCE_RATE, OutputFormat("raw", rate, encoding=encoding))
    assert len(data) / BYTES_PER_SAMPLE[encoding] == pytest.approx(1.5 * rate, abs=1)
    if encoding in ("pcm_mulaw", "pcm_alaw"):
        samples = g711_decode(data, encoding)
    else:
        samples = np.frombuffer(data, {"pcm_s16le": "<i2", "pcm_f32le": "<f4"}[encoding])
        samples = samples / 32768.0 if encoding == "pcm_s16le" else samples
    resampled_close(samples, rate, tone, 0.05 if encoding in ("pcm_mulaw", "pcm_alaw") else 0.01)
    decoded, decoded_rate = decode(data, encoding=encoding, sample_rate=rate)
    assert decoded_rate == rate
    np.testing.assert_allclose(decoded, samples, atol=1e-4)


def mp3_frame_header(data: bytes) -> tuple[int, int]:
    """(MPEG version table, kbps) of the first MPEG audio frame after any ID3 tag."""
    start = 0
    if data[:3] == b"ID3":
        start = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    while not (data[start] == 0xFF and data[start + 1] & 0xE0 == 0xE0):
        start += 1
    version = 1 if (data[start + 1] >> 3) & 3 == 3 else 2
    return version, MP3_KBPS[version][data[start + 2] >> 4]


@pytest.mark.parametrize("bit_rate", MP3_BIT_RATES)
@pytest.mark.parametrize("rate", SAMPLE_RATES)
def test_mp3_rate_bit_rate_and_duration(tone, rate, bit_rate):
    data = encode(tone, SOURCE_RATE, OutputFormat("mp3", rate, bit_rate=bit_rate))
    version, kbps = mp3_frame_header(data)
    highest = 320 if rate >= 32000 else 160 if rate >= 16000 else 64
    assert version == (1 if rate >= 32000 else 2)
    assert kbps == min(bit_rate // 1000, highest), "the bit rate asked for, where MPEG allows it"
    samples, read_rate = soundfile.read(io.BytesIO(data), dtype="float32")
    assert read_rate == rate
    assert len(samples) / rate == pytest.approx(1.5, abs=0.1)


def test_media_types():
    assert media_type(OutputFormat("wav", 8000, encoding="pcm_s16le")) == "audio/wav"
    assert media_type(OutputFormat("mp3", 44100, bit_rate=128000)) == "audio/mpeg"
    raw = OutputFormat("raw", 44100, encoding="pcm_f32le")
    assert media_type(raw) == "application/octet-stream"


def test_streamed_chunks_join_into_the_whole(tone):
    output_format = OutputFormat("raw", 16000, encoding="pcm_s16le")
    halves = np.array_split(tone, 2)
    joined = b"".join(encode_raw_chunk(half, SOURCE_RATE, output_format) for half in halves)
    whole = encode(tone, SOURCE_RATE, output_format)
    assert abs(len(joined) - len(whole)) <= 2 * 2
    wav_format = OutputFormat("wav", 8000, encoding="pcm_mulaw")
    assert encode_raw_chunk(tone, SOURCE_RATE, wav_format)[:4] != b"RIFF", "chunks have no header"
    with pytest.raises(ValueError, match="container 'raw'"):
        encode_raw_chunk(tone, SOURCE_RATE, OutputFormat("mp3", 8000, bit_rate=32000))


@pytest.mark.parametrize(
    ("file_format", "subtype"), [("WAV", "PCM_24"), ("FLAC", "PCM_16"), ("OGG", "VORBIS")]
)
def test_decode_detects_files_and_mixes_stereo_down(tone, file_format, subtype):
    stereo = np.stack([tone, tone * 0.5], axis=1)
    buffer = io.BytesIO()
    soundfile.write(buffer, stereo, 24000, format=file_format, subtype=subtype)
    samples, rate = decode(buffer.getvalue())
    assert rate == 24000 and samples.ndim == 1
    assert len(samples) == len(tone)
    assert np.abs(samples).max() == pytest.approx(0.75 * np.abs(tone).max(), rel=0.05)


def test_decode_reads_mp3(tone):
    data = encode(tone, SOURCE_RATE, OutputFormat("mp3", 44100, bit_rate=128000))
    samples, rate = decode(data)
    assert rate == 44100 and len(samples) / rate == pytest.approx(1.5, abs=0.1)


@pytest.mark.parametrize(
    ("encoding", "dtype", "scale"),
    [
        ("pcm_s16le", "<i2", 32768),
        ("pcm_s32le", "<i4", 2**31),
        ("pcm_f16le", "<f2", 1),
        ("pcm_f32le", "<f4", 1),
    ],
)
def test_decode_raw_upload_encodings(tone, encoding, dtype, scale):
    data = (tone * (scale - 1 if scale > 1 else 1)).astype(dtype).tobytes()
    samples, rate = decode(data, encoding=encoding, sample_rate=SOURCE_RATE)
    assert rate == SOURCE_RATE
    np.testing.assert_allclose(samples, tone, atol=1e-3)


def wav_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        (b"", {}, "empty"),
        (b"this is not audio at all, just text" * 10, {}, "WAV, MP3, FLAC or OGG"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", {}, "WAV, MP3, FLAC or OGG"),
        (b"\x00\x01\x02", {"encoding": "pcm_s16le", "sample_rate": 16000}, "whole samples"),
        (b"\x00\x01", {"encoding": "pcm_s24le", "sample_rate": 16000}, "encoding must be one of"),
        (b"\x00\x01", {"encoding": "pcm_s16le"}, "sample_rate"),
    ],
    ids=["empty", "garbage", "truncated-header", "partial-sample", "bad-encoding", "no-rate"],
)
def test_decode_errors_are_one_line_and_name_the_fix(data, options, message):
    with pytest.raises(AudioDecodeError, match=message) as caught:
        decode(data, **options)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_decode_rejects_a_wav_without_samples_and_reads_a_cut_one(tone):
    with pytest.raises(AudioDecodeError, match="no samples"):
        decode(wav_bytes(np.zeros(0, np.float32)))
    whole = wav_bytes(tone)
    samples, _ = decode(whole[: len(whole) // 2])  # a download cut short: what arrived is read
    assert 0 < len(samples) < len(tone)
