"""Headers TrueFoundry documents: x-tfy-resolved-model, server-timing on non-streaming answers,
and x-tfy-ttft-timeout-ms (408 when the first audio or transcript is late)."""

from __future__ import annotations

import httpx
import pytest
from cartesia import APIStatusError, AsyncCartesia, BadRequestError
from support import ACCOUNT, VOICE_ID

WAV = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}
MP3 = {"container": "mp3", "sample_rate": 44100, "bit_rate": 128000}
TTS = {"model_id": "sonic-3.5", "transcript": "Timing.", "voice": VOICE_ID}


@pytest.mark.parametrize("output_format", [WAV, MP3], ids=["wav", "mp3"])
async def test_tts_bytes_name_the_resolved_model(tts: AsyncCartesia, output_format) -> None:
    async with tts.tts.with_streaming_response.generate(
        **TTS, output_format=output_format
    ) as response:
        assert response.headers["x-tfy-resolved-model"] == f"{ACCOUNT}/sonic-3.5"
        streamed = output_format["container"] == "wav"
        assert ("server-timing" in response.headers) is not streamed  # non-streaming only
        await response.read()


async def test_sse_names_the_resolved_model_without_server_timing(tts: AsyncCartesia) -> None:
    raw = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}
    async with tts.tts.with_streaming_response.generate_sse(**TTS, output_format=raw) as response:
        assert response.headers["x-tfy-resolved-model"] == f"{ACCOUNT}/sonic-3.5"
        assert "server-timing" not in response.headers
        await response.read()


async def test_batch_stt_has_both_headers(tts: AsyncCartesia, stt: AsyncCartesia) -> None:
    speech = await (await tts.tts.generate(**TTS, output_format=WAV)).read()
    response = await stt.stt.with_raw_response.transcribe(
        file=("s.wav", speech), model="ink-whisper"
    )
    assert response.headers["x-tfy-resolved-model"] == f"{ACCOUNT}/ink-whisper"
    assert response.headers["server-timing"].startswith("total;dur=")


def test_model_list_has_server_timing(gateway) -> None:
    models = httpx.get(f"{gateway.url}/models", headers={"x-tfy-api-key": "tfy-mock-learner-key"})
    assert "dur=" in models.headers["server-timing"]


async def test_a_late_first_token_is_a_408(tts: AsyncCartesia) -> None:
    long = " ".join(
        ["A sentence far too long to be spoken within a hundredth of a millisecond"] * 5
    )
    with pytest.raises(APIStatusError) as caught:
        await tts.tts.generate(
            **{**TTS, "transcript": long},
            output_format=MP3,
            extra_headers={"x-tfy-ttft-timeout-ms": "0.01"},
        )
    assert caught.value.status_code == 408
    assert "x-tfy-ttft-timeout-ms" in caught.value.body["message"]
    response = await tts.tts.generate(
        **TTS, output_format=WAV, extra_headers={"x-tfy-ttft-timeout-ms": "30000"}
    )
    assert await response.read()


async def test_a_malformed_ttft_timeout_is_a_400_naming_it(tts: AsyncCartesia) -> None:
    with pytest.raises(BadRequestError, match="x-tfy-ttft-timeout-ms"):
        await tts.tts.generate(
            **TTS, output_format=WAV, extra_headers={"x-tfy-ttft-timeout-ms": "soon"}
        )
