"""Fuzz the mock gateway: random bodies, headers, uploads and WebSocket frames.

Whatever arrives, the mock answers a 2xx or a 4xx (never a 5xx, never a dropped connection),
every error body has one of the two shapes (TrueFoundry's or Cartesia's), and it keeps serving.
"""

from __future__ import annotations

import io
import json
import string
from typing import Any

import httpx
import numpy as np
import pytest
import soundfile
from hypothesis import given
from hypothesis import strategies as st
from support import fuzz_settings, json_trees
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from helpers.gateway import MOCK_LEARNER_KEY

ACCOUNT = "cartesia-main"
VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
VALID_TTS = {
    "model_id": "sonic-3.5",
    "transcript": "Hello there.",
    "voice": {"mode": "id", "id": VOICE_ID},
    "output_format": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000},
    "language": "en",
}
FUZZ = fuzz_settings(30)
json_values = json_trees(text_size=20, key_size=10, items=4, leaves=12)
# Printable header values (HTTP forbids control characters, so clients cannot send them).
header_values = st.text(alphabet=string.printable.strip(string.whitespace) + " ", max_size=40)


# Transcripts a speech engine may choke on: punctuation only, symbols, emoji, control characters.
transcripts = st.text(max_size=30) | st.text(alphabet="!?.,;:-'()… \n\x00🙂€§01abé", max_size=20)


@st.composite
def tts_bodies(draw: st.DrawFn) -> Any:
    """A JSON value of any shape, or the valid TTS body with some fields dropped or replaced."""
    if draw(st.booleans()):
        return draw(json_values)
    body = {k: v for k, v in VALID_TTS.items() if draw(st.booleans()) or k == "transcript"}
    fields = st.sampled_from([*VALID_TTS, "speed", "generation_config", "locale", "context_id"])
    body.update(draw(st.dictionaries(fields, json_values, max_size=3)))
    if draw(st.booleans()) and isinstance(body.get("output_format"), dict):
        keys = st.sampled_from(["container", "encoding", "sample_rate", "bit_rate"])
        changes = draw(st.dictionaries(keys, json_values, min_size=1, max_size=2))
        body["output_format"] = {**VALID_TTS["output_format"], **changes}
    return body


def assert_error_shape(status: int, raw: bytes) -> None:
    """A 4xx carries TrueFoundry's gateway body or Cartesia's error body, nothing else."""
    assert 400 <= status < 500, f"status {status}: {raw[:300]!r}"
    body = json.loads(raw)
    assert isinstance(body, dict), body
    if "error_origin_level" in body:  # TrueFoundry gateway body
        assert body["status"] == "failure", body
        assert isinstance(body["message"], str) and body["message"], body
        error = body["error"]
        assert error["message"] == body["message"], body
        assert isinstance(error["type"], str) and error["code"] == str(status), body
        assert isinstance(body["error_origin_level"], str), body
    else:  # Cartesia body
        assert isinstance(body["title"], str) and isinstance(body["message"], str), body
        assert body["message"], body
        assert isinstance(body["request_id"], str), body
        assert body.get("error_code") is None or isinstance(body["error_code"], str), body


def assert_sse_complete(raw: bytes) -> None:
    """A 200 SSE stream ends with a `done` event or an `error` event in Cartesia's shape."""
    events = [
        json.loads(line[len("data: ") :])
        for line in raw.decode().splitlines()
        if line.startswith("data: ")
    ]
    assert events, raw[:300]
    last = events[-1]
    assert last["type"] in ("done", "error"), last
    if last["type"] == "error":
        assert isinstance(last["status_code"], int) and 400 <= last["status_code"] < 500, last
        assert isinstance(last["message"], str) and last["message"], last


@pytest.fixture(scope="module")
def http(gateway) -> httpx.Client:
    with httpx.Client(
        base_url=gateway.url, headers={"x-tfy-api-key": MOCK_LEARNER_KEY}, timeout=30
    ) as client:
        yield client


def check_response(response: httpx.Response) -> None:
    if response.status_code >= 400:
        assert_error_shape(response.status_code, response.content)
    elif response.headers.get("content-type", "").startswith("text/event-stream"):
        assert_sse_complete(response.content)
    else:
        assert response.status_code == 200, response.status_code


@FUZZ
@given(body=tts_bodies(), route=st.sampled_from(["bytes", "sse"]))
def test_tts_json_bodies(http: httpx.Client, body: Any, route: str) -> None:
    check_response(http.post(f"/tts/{ACCOUNT}/tts/{route}", json=body))


@pytest.mark.slow  # seconds of real speech work: not in test-fast
@FUZZ
@given(transcript=transcripts, route=st.sampled_from(["bytes", "sse"]))
def test_tts_any_transcript(http: httpx.Client, transcript: str, route: str) -> None:
    """A valid request with any transcript: speech, or a 4xx that says what is wrong."""
    check_response(
        http.post(f"/tts/{ACCOUNT}/tts/{route}", json={**VALID_TTS, "transcript": transcript})
    )


@FUZZ
@given(raw=st.binary(max_size=200), route=st.sampled_from(["bytes", "sse"]))
def test_tts_raw_bodies(http: httpx.Client, raw: bytes, route: str) -> None:
    headers = {"content-type": "application/json"}
    check_response(http.post(f"/tts/{ACCOUNT}/tts/{route}", content=raw, headers=headers))


@FUZZ
@given(
    headers=st.dictionaries(
        st.sampled_from(
            [
                "x-tfy-api-key",
                "content-type",
                "accept",
                "cartesia-version",
                "x-tfy-metadata",
                "x-tfy-logging-config",
                "x-tfy-request-timeout",
                "authorization",
                "x-random",
            ]
        ),
        header_values,
        max_size=4,
    ),
    route=st.sampled_from(["tts/bytes", "tts/sse", "stt"]),
)
def test_headers(http: httpx.Client, headers: dict[str, str], route: str) -> None:
    prefix = "stt" if route == "stt" else "tts"
    check_response(http.post(f"/{prefix}/{ACCOUNT}/{route}", json=VALID_TTS, headers=headers))


def _wav_header_then(data: bytes) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(1600, np.int16), 16000, format="WAV", subtype="PCM_16")
    return buffer.getvalue()[:44] + data


@FUZZ
@given(
    content=st.binary(max_size=400) | st.binary(max_size=200).map(_wav_header_then),
    filename=st.text(max_size=20),
    content_type=st.sampled_from(["audio/wav", "audio/mpeg", "application/octet-stream", "text/x"]),
    fields=st.dictionaries(
        st.sampled_from(["model", "language", "timestamp_granularities[]", "extra"]),
        st.text(max_size=12),
        max_size=3,
    ),
    with_file=st.booleans(),
    query=st.dictionaries(st.sampled_from(["encoding", "sample_rate"]), st.text(max_size=8)),
)
def test_stt_multipart(
    http: httpx.Client,
    content: bytes,
    filename: str,
    content_type: str,
    fields: dict[str, str],
    with_file: bool,
    query: dict[str, str],
) -> None:
    files = {"file": (filename or "upload", content, content_type)} if with_file else None
    response = http.post(f"/stt/{ACCOUNT}/stt", data=fields or {"x": ""}, files=files, params=query)
    check_response(response)


frames = (
    json_values.map(json.dumps)
    | st.text(max_size=60)
    | st.binary(max_size=300)
    | st.sampled_from(["finalize", "close", "done", "{}", "[]", "null"])
)


SENTINEL = "fuzz-sentinel"


def _exchange(url: str, messages: list[str | bytes], sentinel: str) -> list[str | bytes]:
    """Send frames, then a sentinel frame whose error reply names it; read up to that reply.

    The server must answer the sentinel (or close cleanly, never with 1011 "internal error"):
    a server that went quiet or crashed on the fuzzed frames fails here.
    """
    received: list[str | bytes] = []
    try:
        with connect(
            url, additional_headers={"x-tfy-api-key": MOCK_LEARNER_KEY}, open_timeout=10
        ) as ws:
            try:
                for message in [*messages, sentinel]:
                    ws.send(message)
                while not (received and isinstance(received[-1], str) and SENTINEL in received[-1]):
                    received.append(ws.recv(timeout=10))
            except ConnectionClosed as closed:
                assert closed.rcvd is None or closed.rcvd.code != 1011, closed  # 1011: crashed
    except InvalidStatus as refused:  # a handshake refused over HTTP is held to the HTTP rules
        assert_error_shape(refused.response.status_code, refused.response.body or b"{}")
    return received


def _assert_ws_errors_shaped(received: list[str | bytes]) -> None:
    for message in received:
        if isinstance(message, bytes):
            continue
        event = json.loads(message)
        if isinstance(event, dict) and event.get("type") == "error":
            status = event.get("status_code")
            assert isinstance(status, int) and 400 <= status < 500, event
            assert isinstance(event.get("message"), str) and event["message"], event
            assert isinstance(event.get("title"), str), event  # Cartesia's (STT)ErrorResponse


@FUZZ
@given(messages=st.lists(frames, min_size=1, max_size=4))
def test_tts_websocket_frames(gateway, messages: list[str | bytes]) -> None:
    url = gateway.url.replace("http://", "ws://") + f"/tts/{ACCOUNT}/tts/websocket"
    sentinel = json.dumps({"context_id": SENTINEL})  # answered by an error naming the context
    _assert_ws_errors_shaped(_exchange(url, messages, sentinel))


@FUZZ
@given(
    messages=st.lists(frames, min_size=1, max_size=4),
    query=st.dictionaries(
        st.sampled_from(["model", "encoding", "sample_rate", "language"]),
        st.text(alphabet=string.ascii_letters + string.digits + "_-", max_size=10),
        max_size=4,
    ),
)
def test_stt_websocket_frames(gateway, messages: list[str | bytes], query: dict[str, str]) -> None:
    params = {"model": "ink-2", "encoding": "pcm_s16le", "sample_rate": "16000", **query}
    url = gateway.url.replace("http://", "ws://") + f"/stt/{ACCOUNT}/stt/websocket"
    # An unknown text command is answered by an error that quotes it.
    _assert_ws_errors_shaped(_exchange(str(httpx.URL(url, params=params)), messages, SENTINEL))


def test_still_serves_after_fuzzing(http: httpx.Client) -> None:
    """Runs last in this module: after all of the above, a normal request still succeeds."""
    response = http.post(f"/tts/{ACCOUNT}/tts/bytes", json=VALID_TTS)
    assert response.status_code == 200, response.text
    assert len(response.content) > 1000
