"""The mock takes a voice in all three shapes users send: SDK 4's two and the integration page's."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from cartesia import AsyncCartesia, NotFoundError

VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
UNKNOWN_VOICE_ID = "00000000-0000-4000-8000-000000000000"
RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}
TEXT = "Three shapes, one voice."


def shapes(voice_id: str) -> dict[str, object]:
    """The id string and {"id": ...} (SDK 4), and {"mode": "id", ...} (older, still accepted)."""
    return {
        "id string": voice_id,
        "id object": {"id": voice_id},
        "mode and id": {"mode": "id", "id": voice_id},
    }


async def bytes_audio(tts: AsyncCartesia, voice: object) -> bytes:
    response = await tts.tts.generate(
        model_id="sonic-3.5", transcript=TEXT, voice=voice, output_format=RAW
    )
    assert json.loads(response.http_request.content)["voice"] == voice  # sent as given
    return await response.read()


async def sse_audio(tts: AsyncCartesia, voice: object) -> bytes:
    stream = await tts.tts.generate_sse(
        model_id="sonic-3.5", transcript=TEXT, voice=voice, output_format=RAW
    )
    return b"".join([base64.b64decode(e.data) async for e in stream if e.type == "chunk"])


async def websocket_audio(tts: AsyncCartesia, voice: object) -> bytes:
    async with tts.tts.websocket_connect() as connection:
        ctx = connection.context(model_id="sonic-3.5", voice=voice, output_format=RAW)
        await ctx.send(transcript=TEXT, voice=voice, continue_=False)
        return b"".join([e.audio async for e in ctx.receive() if e.type == "chunk" and e.audio])


@pytest.mark.parametrize("speak", [bytes_audio, sse_audio, websocket_audio])
@pytest.mark.parametrize("shape", shapes(VOICE_ID))
async def test_every_voice_shape_speaks(tts: AsyncCartesia, speak, shape: str) -> None:
    audio = await speak(tts, shapes(VOICE_ID)[shape])
    assert len(audio) > RAW["sample_rate"], len(audio)  # over half a second of 16-bit audio


@pytest.mark.parametrize("shape", shapes(UNKNOWN_VOICE_ID))
async def test_the_voice_id_is_read_from_every_shape(tts: AsyncCartesia, shape: str) -> None:
    with pytest.raises(NotFoundError):
        await bytes_audio(tts, shapes(UNKNOWN_VOICE_ID)[shape])


def test_a_missing_voice_is_answered_with_sdk_4s_shape(gateway) -> None:
    response = httpx.post(
        f"{gateway.url}/tts/cartesia-main/tts/bytes",
        headers={"x-tfy-api-key": "tfy-mock-learner-key", "Cartesia-Version": "2025-04-16"},
        json={"model_id": "sonic-3.5", "transcript": TEXT, "output_format": RAW},
        timeout=10,
    )
    assert response.status_code == 400, response.text
    assert 'a voice id string or {"id": "..."}' in response.json()["message"], response.text
