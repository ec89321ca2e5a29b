"""Uploads in the formats people record in, encoded here with PyAV, transcribed by the real SDK."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest
import soundfile
from cartesia import AsyncCartesia, BadRequestError

SPOKEN = "Please call Stella. Ask her to bring these things with her from the store."
VOICE = {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"}

# name: (file name, PyAV container, codec, sample rate, channel layout of the encoded file)
FORMATS = {
    "m4a-aac": ("memo.m4a", "mp4", "aac", 44100, "mono"),
    "webm-opus": ("browser.webm", "webm", "libopus", 48000, "mono"),
    "ogg-vorbis": ("clip.ogg", "ogg", "vorbis", 44100, "stereo"),  # FFmpeg's Vorbis: stereo
    "ogg-opus": ("clip.opus", "ogg", "libopus", 48000, "mono"),
    "mp3": ("clip.mp3", "mp3", "libmp3lame", 44100, "mono"),
    "flac": ("clip.flac", "flac", "flac", 16000, "stereo"),
    "wav": ("clip.wav", "wav", "pcm_s16le", 16000, "mono"),
}


@pytest.fixture
async def speech_samples(tts: AsyncCartesia) -> tuple[np.ndarray, int]:
    """Mono float samples of SPOKEN as the mock synthesizes it (24 kHz WAV, real SDK)."""
    response = await tts.tts.generate(
        model_id="sonic-3.5",
        transcript=SPOKEN,
        voice=VOICE,
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 24000},
    )
    samples, rate = soundfile.read(io.BytesIO(await response.read()), dtype="float32")
    return samples, rate


def encode(
    samples: np.ndarray, rate: int, container: str, codec: str, out_rate: int, layout: str = "mono"
) -> bytes:
    """A recording in container/codec at out_rate, the way a recorder app writes one."""
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=out_rate, layout=layout)
        if codec == "vorbis":
            stream.codec_context.options = {"strict": "experimental"}
        stream.codec_context.open()
        resampler = av.AudioResampler(
            format=stream.codec_context.format.name,
            layout=layout,
            rate=out_rate,
            frame_size=stream.codec_context.frame_size or None,
        )
        channels = np.tile(samples, (2 if layout == "stereo" else 1, 1))
        frame = av.AudioFrame.from_ndarray(channels, format="fltp", layout=layout)
        frame.sample_rate = rate
        for piece in [*resampler.resample(frame), *resampler.resample(None)]:
            output.mux(stream.encode(piece))
        output.mux(stream.encode(None))
    return buffer.getvalue()


@pytest.mark.slow  # seconds of real speech work: not in test-fast
@pytest.mark.parametrize("name", FORMATS)
async def test_recording_formats_are_transcribed(
    stt: AsyncCartesia, speech_samples: tuple[np.ndarray, int], name: str, word_error_rate
) -> None:
    filename, container, codec, out_rate, layout = FORMATS[name]
    samples, rate = speech_samples
    data = encode(samples, rate, container, codec, out_rate, layout)
    with av.open(io.BytesIO(data)) as check:  # the file really is what its name says
        assert container in check.format.name.split(",")
        assert check.streams.audio[0].codec.id == av.Codec(codec, "w").id
    result = await stt.stt.transcribe(file=(filename, data), model="ink-whisper", language="en")
    assert word_error_rate([SPOKEN], [result.text]) <= 0.15, result.text
    assert result.duration == pytest.approx(len(samples) / rate, abs=0.1)


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_a_cut_short_recording_gives_what_arrived(
    stt: AsyncCartesia, speech_samples: tuple[np.ndarray, int]
) -> None:
    samples, rate = speech_samples
    data = encode(samples, rate, "mp3", "libmp3lame", 44100)
    result = await stt.stt.transcribe(file=("cut.mp3", data[: len(data) // 2]), model="ink-whisper")
    assert 0 < result.duration < len(samples) / rate * 0.75


@pytest.mark.parametrize(
    ("upload", "needle"),
    [
        (b"\x00\x01garbage, not a recording\xff" * 64, "could not read"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40, "could not read"),
        (b"\x00\x00\x00\x18ftypM4A " + b"\x07" * 500, "could not read"),
    ],
    ids=["garbage", "broken-wav-header", "broken-m4a"],
)
async def test_undecodable_upload_is_a_clear_400(
    stt: AsyncCartesia, upload: bytes, needle: str
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await stt.stt.transcribe(file=("upload.m4a", upload), model="ink-whisper")
    assert caught.value.status_code == 400
    assert caught.value.body["error_code"] == "invalid_audio"
    assert needle in caught.value.body["message"]
