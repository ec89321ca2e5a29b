"""The SDK clients carry `x-tfy-api-key` on HTTP requests and on WebSocket handshakes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from helpers.clients import stt_client, tts_client
from helpers.config import Settings
from helpers.ports import free_port

KEY = "tfy-client-test-key"


class RecordingServer:
    """A real HTTP + WebSocket server on loopback that records the headers it receives."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, str]] = {}
        app = Starlette(
            routes=[
                Route("/{kind}/cartesia-main/tts/bytes", self.tts_bytes, methods=["POST"]),
                Route("/{kind}/cartesia-main/stt", self.stt_batch, methods=["POST"]),
                WebSocketRoute("/{kind}/cartesia-main/tts/websocket", self.websocket),
                WebSocketRoute("/{kind}/cartesia-main/stt/websocket", self.websocket),
            ]
        )
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def tts_bytes(self, request: Request) -> Response:
        self.seen["tts http"] = dict(request.headers)
        return Response(b"RIFF", media_type="audio/wav")

    async def stt_batch(self, request: Request) -> Response:
        self.seen["stt http"] = dict(request.headers)
        return JSONResponse({"type": "transcript", "text": "hello"})

    async def websocket(self, websocket: WebSocket) -> None:
        self.seen[f"{websocket.url.path.split('/')[3]} websocket"] = dict(websocket.headers)
        await websocket.accept()
        await websocket.close()

    def __enter__(self) -> RecordingServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "recording server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def settings(server: RecordingServer) -> Settings:
    return Settings(tfy_api_key=KEY, gateway_base_url=f"http://127.0.0.1:{server.port}")


async def test_tts_client_sends_the_gateway_key_over_http(server, settings) -> None:
    client = tts_client(settings)
    response = await client.tts.generate(
        model_id="sonic-3.5",
        transcript="Hi",
        voice={"mode": "id", "id": settings.voice_id},
        output_format={"container": "wav", "sample_rate": 44100, "encoding": "pcm_s16le"},
    )
    assert await response.read() == b"RIFF"
    headers = server.seen["tts http"]
    assert headers["x-tfy-api-key"] == KEY
    assert headers["authorization"] == "Bearer dummy"


async def test_tts_client_sends_the_gateway_key_on_the_websocket_handshake(server, settings):
    client = tts_client(settings)
    connection = await client.tts.websocket_connect().enter()
    await connection.close()
    assert server.seen["tts websocket"]["x-tfy-api-key"] == KEY


async def test_stt_client_sends_the_gateway_key_over_http(server, settings) -> None:
    client = stt_client(settings)
    result = await client.stt.transcribe(file=("a.wav", b"RIFF"), model="ink-2")
    assert result.text == "hello"
    assert server.seen["stt http"]["x-tfy-api-key"] == KEY


async def test_stt_client_sends_the_gateway_key_on_the_websocket_handshake(server, settings):
    client = stt_client(settings)
    async with client.stt.manual_finalize.websocket(
        model="ink-2", encoding="pcm_s16le", sample_rate=16000
    ):
        pass
    assert server.seen["stt websocket"]["x-tfy-api-key"] == KEY


async def test_headers_on_a_custom_http_client_miss_the_websocket_handshake(server, settings):
    """The pitfall the helpers avoid: `http_client` headers never reach the handshake."""
    from cartesia import AsyncCartesia

    client = AsyncCartesia(
        api_key="dummy",
        base_url=settings.tts_base_url,
        websocket_base_url=settings.tts_websocket_base_url,
        http_client=httpx.AsyncClient(headers={"x-tfy-api-key": KEY}),
    )
    connection = await client.tts.websocket_connect().enter()
    await connection.close()
    assert "x-tfy-api-key" not in server.seen["tts websocket"]
