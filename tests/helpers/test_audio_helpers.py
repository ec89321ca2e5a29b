"""helpers.audio: describe, decode, play, save and plot what Cartesia returns."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from helpers.audio import describe_audio, play, plot_waveform, read_samples, save

RATE = 16000
TONE = (0.5 * np.sin(2 * np.pi * 440 * np.arange(RATE // 2) / RATE)).astype(np.float32)


def encode(container: str, subtype: str) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, TONE, RATE, format=container, subtype=subtype)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("subtype", "encoding"),
    [("PCM_16", "pcm_s16le"), ("FLOAT", "pcm_f32le"), ("ULAW", "pcm_mulaw"), ("ALAW", "pcm_alaw")],
)
def test_describes_wav_in_cartesia_terms(subtype: str, encoding: str) -> None:
    info = describe_audio(encode("WAV", subtype))
    assert (info.container, info.encoding, info.sample_rate, info.channels) == (
        "wav",
        encoding,
        RATE,
        1,
    )
    assert info.duration == pytest.approx(0.5)
    assert str(info) == f"wav {encoding} 16000 Hz mono, 0.50 s"


@pytest.mark.parametrize(
    ("subtype", "encoding"),
    [("PCM_16", "pcm_s16le"), ("FLOAT", "pcm_f32le"), ("ULAW", "pcm_mulaw"), ("ALAW", "pcm_alaw")],
)
def test_raw_pcm_is_described_and_decoded_with_its_output_format(subtype, encoding) -> None:
    output_format = {"container": "raw", "encoding": encoding, "sample_rate": RATE}
    data = encode("RAW", subtype)
    assert describe_audio(data, output_format).duration == pytest.approx(0.5)
    samples, rate = read_samples(data, output_format)
    assert rate == RATE
    assert np.max(np.abs(samples - TONE)) < 0.03


def test_play_wraps_raw_pcm_in_wav_for_the_browser() -> None:
    output_format = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": RATE}
    player = play(encode("RAW", "FLOAT"), output_format)
    assert player.data[:4] == b"RIFF"
    assert describe_audio(player.data).sample_rate == RATE


@pytest.mark.parametrize(
    ("container", "subtype", "mimetype"),
    [
        ("WAV", "PCM_16", "audio/wav"),
        ("MP3", "MPEG_LAYER_III", "audio/mpeg"),
        ("FLAC", "PCM_16", "audio/flac"),
    ],
)
def test_play_tells_the_browser_the_real_media_type(container, subtype, mimetype) -> None:
    assert play(encode(container, subtype)).mimetype == mimetype


def test_save_creates_folders(tmp_path) -> None:
    path = save(b"RIFF....", tmp_path / "out" / "hello.wav")
    assert path.read_bytes() == b"RIFF...."


@pytest.mark.slow
def test_plot_marks_each_word() -> None:
    figure = plot_waveform(encode("WAV", "PCM_16"), [("hello", 0.0, 0.2), ("world", 0.25, 0.5)])
    labels = [text.get_text() for text in figure.axes[0].texts]
    assert labels == ["hello", "world"]
    assert figure.axes[0].get_xlim() == pytest.approx((0, 0.5))
