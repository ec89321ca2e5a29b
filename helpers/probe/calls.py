"""The probe's few requests to the gateway: tiny TTS, a fraction of a second of STT, handshakes."""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import cartesia
import httpx
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from helpers.clients import GATEWAY_KEY_HEADER
from helpers.config import Settings, to_websocket_url

SDK_VERSION = str(cartesia.Cartesia(api_key="dummy").default_headers["cartesia-version"])
WRONG_KEY = "tfy-probe-wrong-key-0000"  # made up: never the user's key
RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 8000}
TIMEOUT = 30.0
CLOSE_WAIT = 3.0  # how long to wait for a refusing server to close a WebSocket


def silence_wav(seconds: float = 0.5, rate: int = 16000) -> bytes:
    """A short mono 16-bit WAV of silence: the cheapest audio an STT call can take."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(int(seconds * rate) * 2))
    return buffer.getvalue()


class Calls:
    """Requests as the cartesia SDK sends them, with the configured or a chosen key."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.http = httpx.Client(timeout=TIMEOUT)

    def headers(self, key: str | None = "", version: str | None = SDK_VERSION) -> dict[str, str]:
        """Gateway key ('' the configured one, None none) and Cartesia-Version (None: none)."""
        headers = {"cartesia-version": version} if version else {}
        if key is not None:
            headers[GATEWAY_KEY_HEADER] = key or self.settings.tfy_api_key
        return headers

    def tts_body(self, **changes: Any) -> dict[str, Any]:
        body = {
            "model_id": self.settings.tts_model,
            "transcript": "Hi.",
            "voice": {"mode": "id", "id": self.settings.voice_id},
            "output_format": RAW,
            "language": "en",
        }
        return {**body, **changes}

    def tts(self, route: str = "bytes", *, key: str | None = "", account: str = "", **body):
        """POST {gateway}/tts/{account}/tts/{route} with a three-character transcript."""
        base = f"{self.settings.gateway_base_url}/tts/{account or self.settings.provider_account}"
        headers = self.headers(key, body.pop("version", SDK_VERSION))
        return self.http.post(f"{base}/tts/{route}", json=self.tts_body(**body), headers=headers)

    def tts_raw(self, content: bytes) -> httpx.Response:
        """POST {gateway}/tts/{account}/tts/bytes with a body as given (JSON or not)."""
        headers = {**self.headers(), "content-type": "application/json"}
        url = f"{self.settings.tts_base_url}/tts/bytes"
        return self.http.post(url, content=content, headers=headers)

    def sse_events(self, **body: Any) -> list[dict[str, Any]]:
        """The JSON data of every SSE event of one tiny generation."""
        response = self.tts("sse", **body)
        response.raise_for_status()
        lines = response.text.splitlines()
        return [json.loads(line[5:]) for line in lines if line.startswith("data:")]

    def stt(self, model: str) -> httpx.Response:
        """POST {gateway}/stt/{account}/stt with half a second of silence."""
        files = {"file": ("probe.wav", silence_wav(), "audio/wav")}
        return self.http.post(
            f"{self.settings.stt_base_url}/stt",
            files=files,
            data={"model": model, "language": "en"},
            headers=self.headers(),
        )

    def get(self, path: str, *, key: str | None = "") -> httpx.Response:
        return self.http.get(f"{self.settings.gateway_base_url}{path}", headers=self.headers(key))

    @contextmanager
    def tts_websocket(self, *, key: str | None = "") -> Iterator[ClientConnection]:
        url = f"{to_websocket_url(self.settings.tts_base_url)}/tts/websocket"
        with connect(url, additional_headers=self.headers(key), open_timeout=TIMEOUT) as socket:
            yield socket

    def websocket_refusal(self, *, key: str | None) -> int | None:
        """The HTTP status that refused a TTS WebSocket handshake; None when it was accepted."""
        try:
            with self.tts_websocket(key=key):
                return None
        except InvalidStatus as refused:
            return refused.response.status_code

    def websocket_messages(self, **changes: Any) -> list[dict[str, Any]]:
        """Every message of one tiny context on the TTS WebSocket, up to done or an error."""
        message = {**self.tts_body(**changes), "context_id": "probe", "continue": False}
        with self.tts_websocket() as socket:
            socket.send(json.dumps(message))
            messages: list[dict[str, Any]] = []
            while not messages or messages[-1].get("type") not in ("done", "error"):
                messages.append(json.loads(socket.recv(timeout=TIMEOUT)))
        return messages

    def stt_websocket_close(
        self, query: str, route: str = "stt/websocket"
    ) -> tuple[dict[str, Any], int | None]:
        """The first message of an STT WebSocket opened with `query`, and its close code."""
        url = f"{to_websocket_url(self.settings.stt_base_url)}/{route}?{query}"
        with connect(url, additional_headers=self.headers(), open_timeout=TIMEOUT) as socket:
            first = json.loads(socket.recv(timeout=TIMEOUT))
            try:
                socket.recv(timeout=CLOSE_WAIT)
            except ConnectionClosed as closed:
                return first, closed.rcvd.code if closed.rcvd else None
            except TimeoutError:
                pass  # still open: the server did not refuse
        return first, None

    def close(self) -> None:
        self.http.close()
