"""Cartesia's documented behaviour: error bodies by Cartesia-Version, every field of a WebSocket
error, the per-account concurrency limit (429), the open-WebSocket limit (10x) and idle sockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from cartesia import RateLimitError
from support import ACCOUNT, LEARNER_KEY, VOICE_ID, sdk_client
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from helpers.mock_gateway import undocumented as guess
from helpers.mock_gateway.server import RunningGateway, start_in_thread

KEY = {"x-tfy-api-key": LEARNER_KEY}
RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 8000}
TTS = {
    "model_id": "sonic-3.5",
    "transcript": "Hi.",
    "voice": {"id": VOICE_ID},
    "output_format": RAW,
}
LONG = {  # megabytes of audio: its stream outlasts the socket buffers while it is not read
    **TTS,
    "transcript": " ".join(f"This is sentence number {n}." for n in range(40)),
    "output_format": {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 48000},
}
ERROR_FIELDS = {"type", "done", "status_code", "error_code", "title", "message", "request_id"}


@pytest.fixture(scope="module")
def limited() -> Iterator[RunningGateway]:
    """A mock whose provider accounts allow two requests in flight and idle sockets 0.5 s."""
    with start_in_thread(port=0, concurrency_limit=2, websocket_idle_seconds=0.5) as running:
        yield running


def bad_tts(url: str, version: str | None) -> httpx.Response:
    headers = {**KEY, **({"cartesia-version": version} if version else {})}
    body = {**TTS, "output_format": {"container": "ogg"}}
    return httpx.post(f"{url}/tts/{ACCOUNT}/tts/bytes", json=body, headers=headers)


@pytest.mark.parametrize("version", ["2026-03-01", "2026-08-14", "2099-01-01", "latest", None])
def test_error_bodies_are_json_from_2026_03_01_and_for_unknown_versions(gateway, version):
    response = bad_tts(gateway.url, version)
    assert response.status_code == 400
    assert {"error_code", "title", "message", "request_id"} <= set(response.json())


@pytest.mark.parametrize("version", ["2024-06-10", "2024-11-13", "2025-04-16", "2025-11-04"])
def test_older_versions_get_plain_text_title_colon_message(gateway, version):
    response = bad_tts(gateway.url, version)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    title, message = response.text.split(": ", 1)
    assert title and "output_format" in message, response.text


@pytest.mark.parametrize("version", ["2099-01-01", "not-a-version"])
def test_unknown_versions_are_accepted(gateway, version):
    headers = {**KEY, "cartesia-version": version}
    response = httpx.post(f"{gateway.url}/tts/{ACCOUNT}/tts/bytes", json=TTS, headers=headers)
    assert response.status_code == 200 and response.content


async def test_tts_websocket_errors_carry_every_documented_field(gateway):
    url = f"{gateway.url.replace('http', 'ws', 1)}/tts/{ACCOUNT}/tts/websocket"
    async with connect(url, additional_headers=KEY) as socket:
        await socket.send(json.dumps({**TTS, "context_id": "c1", "output_format": {"x": 1}}))
        event = json.loads(await socket.recv())
    assert ERROR_FIELDS | {"context_id"} <= set(event), event
    assert (event["type"], event["done"], event["context_id"]) == ("error", True, "c1")


async def test_stt_websocket_errors_carry_every_documented_field(gateway):
    query = "model=ink-2&encoding=pcm_s16le&sample_rate=16000"
    url = f"{gateway.url.replace('http', 'ws', 1)}/stt/{ACCOUNT}/stt/websocket?{query}"
    async with connect(url, additional_headers=KEY) as socket:
        await socket.send("no such command")
        event = json.loads(await socket.recv())
    assert set(event) >= ERROR_FIELDS and event["done"] is True, event


async def test_over_the_concurrency_limit_cartesia_answers_429(limited):
    async with sdk_client(limited.url, "tts", max_retries=0) as client:
        held = [
            await client.tts.with_streaming_response.generate_sse(**LONG).__aenter__()
            for _ in range(2)
        ]  # two streams in flight, not yet read
        with pytest.raises(RateLimitError) as caught:
            await client.tts.generate(**TTS)
        assert caught.value.body["error_code"] == "concurrency_limit_exceeded"
        assert caught.value.response.headers["retry-after"]
        for stream in held:
            await stream.close()
        for _ in range(100):  # the server notices the closed streams and frees their slots
            if not limited.app.state.limits.in_use[("http", ACCOUNT)]:
                break
            await asyncio.sleep(0.05)
        response = await client.tts.generate(**TTS)  # the slots are free again
        assert await response.read()


async def test_the_sdk_retries_through_a_burst(limited):
    async with sdk_client(limited.url, "tts", max_retries=5) as client:  # each waits Retry-After
        calls = [client.tts.generate(**TTS) for _ in range(4)]
        responses = await asyncio.gather(*calls)
        assert all([await r.read() for r in responses])


async def test_open_websockets_are_limited_to_ten_times_the_concurrency(limited):
    url = f"{limited.url.replace('http', 'ws', 1)}/tts/{ACCOUNT}/tts/websocket"
    sockets = [await connect(url, additional_headers=KEY) for _ in range(20)]
    try:
        with pytest.raises(InvalidStatus) as caught:
            await connect(url, additional_headers=KEY)
        assert caught.value.response.status_code == 429
    finally:
        for socket in sockets:
            await socket.close()
    socket = await connect(url, additional_headers=KEY)  # closed ones no longer count
    await socket.close()


async def test_an_idle_websocket_is_closed(limited):
    url = f"{limited.url.replace('http', 'ws', 1)}/tts/{ACCOUNT}/tts/websocket"
    async with connect(url, additional_headers=KEY) as socket:
        with pytest.raises(ConnectionClosed) as caught:
            await asyncio.wait_for(socket.recv(), 5)
    assert caught.value.rcvd is not None and "idle" in caught.value.rcvd.reason


def test_without_forwarding_the_accounts_version_shapes_the_errors(gateway, monkeypatch):
    monkeypatch.setattr(guess, "GATEWAY_FORWARDS_CARTESIA_VERSION", False)
    response = bad_tts(gateway.url, "2026-08-14")  # the account says 2025-04-16
    assert response.headers["content-type"].startswith("text/plain"), response.text


@pytest.mark.parametrize("options", [{"concurrency_limit": -1}, {"websocket_idle_seconds": 0}])
def test_impossible_limits_are_refused_with_one_line(options):
    with pytest.raises(ValueError, match="concurrency limit must be 0"):
        start_in_thread(port=0, **options)
