"""Contract tests of the mock's TTS bytes route (every output format, voice, speed), strict SDK."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from cartesia import AsyncCartesia, BadRequestError, NotFoundError
from support import VOICE_ID

TEXT = "Good morning to you all."  # short: these tests check formats, not words
SAMPLE_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
SUBTYPES = {"pcm_s16le": "PCM_16", "pcm_f32le": "FLOAT", "pcm_mulaw": "ULAW", "pcm_alaw": "ALAW"}
WIDTHS = {"pcm_s16le": 2, "pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}
VOICE = {"mode": "id", "id": VOICE_ID}


async def generate(client: AsyncCartesia, output_format: dict, **options) -> bytes:
    options.setdefault("transcript", TEXT)
    options.setdefault("voice", VOICE)
    response = await client.tts.generate(
        model_id="sonic-3.5", output_format=output_format, **options
    )
    return await response.read()


def wav_info(data: bytes) -> soundfile._SoundFileInfo:
    return soundfile.info(io.BytesIO(data))


@pytest.fixture(scope="module")
def reference_seconds(gateway) -> float:
    """Duration of TEXT at the native settings, from a 44.1 kHz float WAV."""
    import httpx

    response = httpx.post(
        f"{gateway.url}/tts/cartesia-main/tts/bytes",
        headers={"x-tfy-api-key": "tfy-mock-learner-key"},
        json={
            "model_id": "sonic-3.5",
            "transcript": TEXT,
            "voice": VOICE,
            "output_format": {"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
        },
    )
    response.raise_for_status()
    seconds = wav_info(response.content).duration
    assert 1.0 < seconds < 6.0
    return seconds


@pytest.mark.parametrize("encoding", list(SUBTYPES))
@pytest.mark.parametrize("rate", SAMPLE_RATES)
async def test_wav_header_matches_the_requested_format(
    tts: AsyncCartesia, reference_seconds: float, encoding: str, rate: int
) -> None:
    fmt = {"container": "wav", "encoding": encoding, "sample_rate": rate}
    response = await tts.tts.generate(
        model_id="sonic-3.5", output_format=fmt, transcript=TEXT, voice=VOICE
    )
    assert response.headers["content-type"] == "audio/wav"
    info = wav_info(await response.read())
    assert (info.format, info.subtype, info.samplerate, info.channels) == (
        "WAV",
        SUBTYPES[encoding],
        rate,
        1,
    )
    assert info.duration == pytest.approx(reference_seconds, abs=0.01)


@pytest.mark.parametrize("encoding", list(SUBTYPES))
@pytest.mark.parametrize("rate", SAMPLE_RATES)
async def test_raw_length_matches_encoding_rate_and_duration(
    tts: AsyncCartesia, reference_seconds: float, encoding: str, rate: int
) -> None:
    data = await generate(tts, {"container": "raw", "encoding": encoding, "sample_rate": rate})
    assert len(data) % WIDTHS[encoding] == 0
    samples = len(data) // WIDTHS[encoding]
    assert samples / rate == pytest.approx(reference_seconds, abs=0.01)


def test_raw_is_the_wav_without_its_header(gateway) -> None:
    """Same samples count and sample format; eSpeak varies a few samples from call to call."""
    import httpx

    def fetch(container: str) -> bytes:
        fmt = {"container": container, "encoding": "pcm_s16le", "sample_rate": 16000}
        body = {"model_id": "sonic-3", "transcript": TEXT, "voice": VOICE_ID, "output_format": fmt}
        headers = {"x-tfy-api-key": "tfy-mock-learner-key"}
        url = f"{gateway.url}/tts/cartesia-main/tts/bytes"
        return httpx.post(url, json=body, headers=headers).content

    wav, _ = soundfile.read(io.BytesIO(fetch("wav")), dtype="int16")
    raw = fetch("raw")
    assert not raw.startswith(b"RIFF")
    assert len(raw) // 2 == pytest.approx(len(wav), abs=160)  # within 10 ms


@pytest.mark.parametrize(
    ("rate", "bit_rate"),
    [(rate, 128000) for rate in SAMPLE_RATES]
    + [(44100, bit_rate) for bit_rate in (32000, 64000, 96000, 192000)],
)
async def test_mp3_decodes_at_the_requested_rate(
    tts: AsyncCartesia, reference_seconds: float, rate: int, bit_rate: int
) -> None:
    fmt = {"container": "mp3", "sample_rate": rate, "bit_rate": bit_rate}
    response = await tts.tts.generate(
        model_id="sonic-3.5", output_format=fmt, transcript=TEXT, voice=VOICE
    )
    assert response.headers["content-type"] == "audio/mpeg"
    samples, decoded_rate = soundfile.read(io.BytesIO(await response.read()), dtype="float32")
    assert decoded_rate == rate
    assert len(samples) / rate == pytest.approx(reference_seconds, abs=0.15)
    assert np.sqrt(np.mean(samples**2)) > 0.01  # real sound, not silence


WAV16 = {"container": "wav", "encoding": "pcm_f32le", "sample_rate": 16000}


def seconds(data: bytes) -> float:
    return wav_info(data).duration


def loudness(data: bytes) -> float:
    samples, _ = soundfile.read(io.BytesIO(data), dtype="float32")
    return float(np.sqrt(np.mean(samples**2)))


async def test_generation_config_speed_changes_the_duration(tts: AsyncCartesia) -> None:
    slow = await generate(tts, WAV16, generation_config={"speed": 0.6})
    fast = await generate(tts, WAV16, generation_config={"speed": 1.5})
    assert seconds(slow) > 1.5 * seconds(fast)


async def test_speed_enum_changes_the_duration(tts: AsyncCartesia) -> None:
    slow = await generate(tts, WAV16, speed="slow")
    normal = await generate(tts, WAV16, speed="normal")
    fast = await generate(tts, WAV16, speed="fast")
    assert seconds(slow) > seconds(normal) > seconds(fast)


async def test_volume_changes_the_loudness(tts: AsyncCartesia) -> None:
    quiet = await generate(tts, WAV16, generation_config={"volume": 0.5})
    loud = await generate(tts, WAV16, generation_config={"volume": 2.0})
    assert loudness(loud) > 2.5 * loudness(quiet)


async def test_voice_as_plain_id_and_as_object_give_the_same_voice(tts: AsyncCartesia) -> None:
    by_id = await generate(tts, WAV16, voice=VOICE_ID)
    by_object = await generate(tts, WAV16, voice=VOICE)
    assert seconds(by_id) == pytest.approx(seconds(by_object), abs=0.01)


async def test_distinct_voices_sound_different(tts: AsyncCartesia) -> None:
    other = "156fb8d2-335b-4950-9cb3-a2d33befec77"
    assert await generate(tts, WAV16, voice=other) != await generate(tts, WAV16)


async def test_the_same_english_request_twice_gives_the_same_audio(tts: AsyncCartesia) -> None:
    first, again = await generate(tts, WAV16), await generate(tts, WAV16)
    samples = [soundfile.read(io.BytesIO(wav))[0] for wav in (first, again)]  # not the header:
    assert (samples[0] == samples[1]).all()  # libsndfile's PEAK chunk holds a timestamp


async def test_locale_and_language_are_accepted_one_at_a_time(tts: AsyncCartesia) -> None:
    assert seconds(await generate(tts, WAV16, language="en")) > 1.0
    assert seconds(await generate(tts, WAV16, locale="en-GB")) > 1.0
    french = await generate(tts, WAV16, transcript="Bonjour tout le monde.", language="fr")
    assert seconds(french) > 0.5
    with pytest.raises(BadRequestError, match="never both"):
        await generate(tts, WAV16, language="en", locale="en-GB")


async def test_unsupported_language_is_a_bad_request_naming_the_choices(tts: AsyncCartesia) -> None:
    with pytest.raises(BadRequestError) as caught:
        await generate(tts, WAV16, language="tl")
    assert caught.value.body["error_code"] == "unsupported_language"
    assert "'tl'" in caught.value.body["message"] and "use one of" in caught.value.body["message"]


async def test_unknown_voice_is_a_cartesia_style_404(tts: AsyncCartesia) -> None:
    with pytest.raises(NotFoundError) as caught:
        await generate(tts, WAV16, voice="00000000-0000-0000-0000-000000000000")
    body = caught.value.body
    assert body["error_code"] == "voice_not_found"
    assert set(body) >= {"title", "message", "request_id"}
    assert "00000000-0000-0000-0000-000000000000" in body["message"]


async def test_save_returns_a_file_id_header(tts: AsyncCartesia) -> None:
    response = await tts.tts.generate(
        model_id="sonic-3.5", output_format=WAV16, transcript=TEXT, voice=VOICE, save=True
    )
    assert response.headers.get("cartesia-file-id")
    plain = await tts.tts.generate(
        model_id="sonic-3.5", output_format=WAV16, transcript=TEXT, voice=VOICE
    )
    assert "cartesia-file-id" not in plain.headers


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"transcript": ""}, "transcript"),
        ({"output_format": {"container": "ogg", "sample_rate": 16000}}, "output_format.container"),
        (
            {"output_format": {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 12345}},
            "sample_rate",
        ),
        ({"output_format": {"container": "mp3", "sample_rate": 16000}}, "bit_rate"),
        ({"generation_config": {"speed": 3.0}}, "generation_config.speed"),
        ({"generation_config": {"volume": 0.1}}, "generation_config.volume"),
        ({"speed": "warp"}, "speed"),
        ({"voice": {"mode": "embedding", "embedding": [0.1]}}, "voice.mode"),
    ],
)
async def test_bad_fields_are_400s_that_name_the_field(
    tts: AsyncCartesia, override: dict, field: str
) -> None:
    options = {"transcript": TEXT, "voice": VOICE, "output_format": WAV16, **override}
    with pytest.raises(BadRequestError) as caught:
        await tts.tts.generate(model_id="sonic-3.5", **options)
    assert field in caught.value.body["message"]
