"""Raw response bodies and stream messages validated against Cartesia's schemas.

The schemas are cartesia_schemas.json, derived from Cartesia's OpenAPI document by
derive_cartesia_schemas.py; when the document sits beside the repository, a test derives them
again and checks that the file is up to date.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import httpx
import jsonschema
import numpy as np
import pytest
from derive_cartesia_schemas import OUTPUT, derive, load_document, render
from support import BESIDE, LEARNER_KEY, VOICE_ID, require_outside_file
from websockets.sync.client import connect

OPENAPI = BESIDE / "shared" / "contract" / "cartesia-openapi.yaml"
HEADERS = {"x-tfy-api-key": LEARNER_KEY}
RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}


@cache
def _definitions() -> dict[str, Any]:
    return json.loads(OUTPUT.read_text())["$defs"]


def validate(instance: Any, schema_name: str) -> None:
    """Validate against the derived schema `schema_name`, resolving its $refs."""
    assert schema_name in _definitions(), schema_name
    schema = {"$ref": f"#/$defs/{schema_name}", "$defs": _definitions()}
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_derived_schemas_match_cartesia_openapi_document() -> None:
    document = require_outside_file(OPENAPI, "Cartesia's OpenAPI document")
    derived = render(derive(load_document(document)))
    assert OUTPUT.read_text() == derived, "run derive_cartesia_schemas.py to refresh the file"


def test_loader_rejects_what_the_schema_forbids() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate({"type": "transcript"}, "TranscriptionResponse")  # text is required
    with pytest.raises(jsonschema.ValidationError):
        validate({"type": "chunk", "done": False}, "TTSSSEEvent")


def tts_body(**extra: Any) -> dict[str, Any]:
    return {
        "model_id": "sonic-3.5",
        "transcript": "Hello there. How are you?",
        "voice": {"mode": "id", "id": VOICE_ID},
        "output_format": RAW,
        **extra,
    }


def sse_events(gateway, body: dict) -> list[dict]:
    url = f"{gateway.url}/tts/cartesia-main/tts/sse"
    with httpx.stream("POST", url, json=body, headers=HEADERS) as response:
        text = response.read().decode()
    return [json.loads(f.split("data: ", 1)[1]) for f in text.strip().split("\n\n")]


def test_sse_events_match_tts_sse_event(gateway) -> None:
    events = sse_events(gateway, tts_body(add_timestamps=True, context_id="c1"))
    assert {e["type"] for e in events} == {"chunk", "timestamps", "done"}
    for event in events:
        validate(event, "TTSSSEEvent")


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_transcription_response_matches(gateway) -> None:
    speech = httpx.post(
        f"{gateway.url}/tts/cartesia-main/tts/bytes",
        json=tts_body(output_format={**RAW, "container": "wav"}),
        headers=HEADERS,
    ).content
    for granularity in ({}, {"timestamp_granularities[]": "word"}):
        response = httpx.post(
            f"{gateway.url}/stt/cartesia-main/stt",
            files={"file": ("s.wav", speech, "audio/wav")},
            data={"model": "ink-whisper", **granularity},
            headers=HEADERS,
        )
        validate(response.json(), "TranscriptionResponse")


@pytest.mark.parametrize(
    ("route", "payload"),
    [
        ("tts/bytes", tts_body(voice="00000000-0000-0000-0000-000000000000")),
        ("tts/bytes", tts_body(speed="warp")),
        ("tts/sse", tts_body(output_format={"container": "mp3"})),
    ],
)
def test_cartesia_error_bodies_match_error_message(gateway, route: str, payload: dict) -> None:
    response = httpx.post(f"{gateway.url}/tts/cartesia-main/{route}", json=payload, headers=HEADERS)
    assert 400 <= response.status_code < 500
    validate(response.json(), "ErrorMessage")
    assert {"error_code", "title", "message", "request_id"} <= set(response.json())


def test_tts_websocket_messages_match(gateway) -> None:
    url = gateway.url.replace("http://", "ws://") + "/tts/cartesia-main/tts/websocket"
    messages = []
    with connect(url, additional_headers=HEADERS) as ws:
        first = tts_body(context_id="c", add_timestamps=True, flush=True, transcript="Hi. ")
        ws.send(json.dumps({**first, "continue": True}))
        ws.send(json.dumps({**tts_body(context_id="c", transcript="Bye."), "continue": False}))
        ws.send(json.dumps(tts_body(context_id="d", voice="nope")))
        while not ({"done", "error"} <= {m["type"] for m in messages}):
            messages.append(json.loads(ws.recv(timeout=20)))
    assert {m["type"] for m in messages} == {"chunk", "timestamps", "flush_done", "done", "error"}
    for message in messages:
        validate(message, "TTSWebSocketResponse")


def test_stt_websocket_messages_match(gateway) -> None:
    query = "model=ink-2&encoding=pcm_s16le&sample_rate=16000"
    base = gateway.url.replace("http://", "ws://") + "/stt/cartesia-main/stt"
    noise = (np.random.default_rng(0).normal(0, 0.05, 16000) * 32767).astype("<i2").tobytes()
    with connect(f"{base}/websocket?{query}", additional_headers=HEADERS) as ws:
        ws.send(noise)
        ws.send("nonsense")
        ws.send("finalize")
        ws.send("close")
        manual = [json.loads(m) for m in ws]
    assert {"transcript", "flush_done", "done", "error"} <= {m["type"] for m in manual}
    for message in manual:
        validate(message, "STTManualFinalizeWebSocketResponse")
    with connect(f"{base}/turns/websocket?{query}", additional_headers=HEADERS) as ws:
        ws.send(noise)
        ws.send(json.dumps({"type": "close"}))
        turns = [json.loads(m) for m in ws]
    assert turns[0]["type"] == "connected"
    for message in turns:
        validate(message, "STTAutoFinalizeWebSocketResponse")
