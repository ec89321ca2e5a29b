"""Hundreds of bad requests and garbage frames: never a 5xx, never a dead server."""

from __future__ import annotations

import json
import random

import httpx
import pytest
from support import LEARNER_KEY, VOICE_ID
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from helpers.mock_gateway import undocumented

HEADERS = {"x-tfy-api-key": LEARNER_KEY}
VALID = {
    "model_id": "sonic-3.5",
    "transcript": "Hi.",
    "voice": {"mode": "id", "id": VOICE_ID},
    "output_format": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 8000},
}
WRONG_VALUES = [None, 0, -1.5, True, "", "x" * 300, [], [1, "a"], {}, {"id": 7}, float("nan")]
FIELDS = [
    "model_id", "transcript", "voice", "output_format", "language", "locale", "generation_config",
    "speed", "add_timestamps", "context_id", "save", "pronunciation_dict_id", "normalization",
]  # fmt: skip
ODD_TRANSCRIPTS = ["   ", "漢字かな交じり", "a" * 5000, "Hi.\n\n\n\nBye!", "42", "Hi ... there"]
WORDLESS_TRANSCRIPTS = ["...", "🙂🙂🙂", "\x00\x01", "!!! Hello", "- -"]


def malformed_bodies() -> list[bytes]:
    rng = random.Random(1234)
    bodies = [b"", b"{", b"[", b"null", b"42", b'"text"', b"[1, 2]", b'{"a":', b"\xff\xfe\x00",
              b"[" * 100_000, b'{"transcript": "' + b"\xc3\x28" + b'"}']  # fmt: skip
    bodies += [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200))) for _ in range(40)]
    return bodies


def json_bodies() -> list[dict]:
    bodies = []
    for field in FIELDS:
        bodies += [{**VALID, field: value} for value in WRONG_VALUES]
    bodies += [{k: v for k, v in VALID.items() if k != field} for field in VALID]
    bodies += [{**VALID, "transcript": text} for text in ODD_TRANSCRIPTS + WORDLESS_TRANSCRIPTS]
    bodies.append({**VALID, "transcript": "x" * (undocumented.MAX_TRANSCRIPT_CHARS + 1)})
    bodies += [
        {**VALID, "output_format": {**VALID["output_format"], key: value}}
        for key in ("container", "encoding", "sample_rate", "bit_rate")
        for value in (None, "mp3", 44100.5, [8000], {"x": 1})
    ]
    bodies += [
        {**VALID, "generation_config": {key: value}}
        for key in ("speed", "volume", "emotion")
        for value in ("fast", 99, -1, None, [])
    ]
    return bodies


MULTIPART = "multipart/form-data"


def stt_uploads() -> list[dict]:
    rng = random.Random(99)
    junk = bytes(rng.getrandbits(8) for _ in range(3000))
    riff = b"RIFF\x24\x00\x00\x00WAVEfmt " + junk[:40]
    return [
        {"content": b"not multipart at all", "headers": {"content-type": "text/plain"}},
        {"content": b"--x\r\nbroken", "headers": {"content-type": MULTIPART + "; boundary=x"}},
        {"content": b"", "headers": {"content-type": MULTIPART}},
        {"files": {"file": ("a.wav", junk)}, "data": {"model": "ink-2"}},
        {"files": {"file": ("a.wav", riff)}, "data": {"model": "ink-2"}},
        {"files": {"file": ("a.wav", b"")}, "data": {"model": "ink-2"}},
        {"files": {"other": ("a.wav", junk)}, "data": {"model": "ink-2"}},
        {"data": {"model": "ink-2"}},
        {"files": {"file": ("a.wav", junk)}},
        {"files": {"file": ("a.wav", junk)}, "data": {"model": ""}},
        {"files": {"file": ("a.raw", junk[:2999])}, "data": {"model": "ink-2"},
         "params": {"encoding": "pcm_s16le", "sample_rate": "16000"}},
        {"files": {"file": ("a.raw", junk)}, "data": {"model": "ink-2"},
         "params": {"encoding": "pcm_s16le", "sample_rate": "-5"}},
        {"files": {"file": ("a.raw", junk)}, "data": {"model": "ink-2"},
         "params": {"encoding": "pcm_f32le", "sample_rate": "16000"}},  # noise as float PCM
    ]  # fmt: skip


def garbage_frames() -> list[str | bytes]:
    rng = random.Random(7)
    frames: list[str | bytes] = ["", "{", "null", "[]", '{"context_id": []}', "\u0000", "{}" * 500]
    frames += [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300))) for _ in range(20)]
    frames += [json.dumps({**VALID, "context_id": "g", field: value})
               for field in ("voice", "output_format", "continue", "flush", "max_buffer_delay_ms")
               for value in (None, 3, "yes", [], {"a": 1})]  # fmt: skip
    return frames


@pytest.mark.slow
def test_hundreds_of_bad_requests_never_yield_a_5xx_and_the_server_keeps_serving(gateway) -> None:
    statuses: list[int] = []
    with httpx.Client(base_url=gateway.url, headers=HEADERS, timeout=60) as client:
        for route in ("/tts/cartesia-main/tts/bytes", "/tts/cartesia-main/tts/sse"):
            for raw in malformed_bodies():
                statuses.append(client.post(route, content=raw).status_code)
            for body in json_bodies():
                content = json.dumps(body).encode()  # NaN stays NaN, as some clients send it
                statuses.append(client.post(route, content=content).status_code)
        for upload in stt_uploads():
            statuses.append(client.post("/stt/cartesia-main/stt", **upload).status_code)
        for method, path in [("GET", "/tts/cartesia-main/tts/bytes"), ("DELETE", "/models"),
                             ("PUT", "/api/svc/v1/apply"), ("POST", "/nowhere")]:  # fmt: skip
            statuses.append(client.request(method, path, content=b"{").status_code)
        assert len(statuses) > 400
        assert max(statuses) < 500, sorted(set(statuses))
        assert sum(400 <= s < 500 for s in statuses) > 300  # mostly rejected, clearly
        response = client.post("/tts/cartesia-main/tts/bytes", json=VALID)
        assert response.status_code == 200 and len(response.content) > 1000


@pytest.mark.parametrize(
    "path",
    [
        "/tts/cartesia-main/tts/websocket",
        "/stt/cartesia-main/stt/websocket?model=ink-2&encoding=pcm_s16le&sample_rate=16000",
        "/stt/cartesia-main/stt/turns/websocket?model=ink-2&encoding=pcm_mulaw&sample_rate=8000",
    ],
)
def test_garbage_websocket_frames_get_errors_and_the_socket_stays_open(gateway, path) -> None:
    url = gateway.url.replace("http://", "ws://") + path
    with connect(url, additional_headers=HEADERS) as ws:
        for frame in garbage_frames():
            ws.send(frame)
        ws.send(json.dumps({**VALID, "context_id": "ok", "continue": False}))
        ws.send("close" if "/stt/websocket" in path else json.dumps({"type": "close"}))
        replies = []
        try:
            while True:
                replies.append(json.loads(ws.recv(timeout=30)))
                if replies[-1].get("context_id") == "ok" and replies[-1]["type"] == "done":
                    break
        except ConnectionClosed:
            pass
    errors = [r for r in replies if r["type"] == "error"]
    assert errors and all(400 <= e["status_code"] < 500 for e in errors)
    if "/tts/" in path:
        assert replies[-1] == {"type": "done", "done": True, "status_code": 200, "context_id": "ok"}
    with httpx.Client(base_url=gateway.url, headers=HEADERS) as client:
        assert client.post("/tts/cartesia-main/tts/bytes", json=VALID).status_code == 200
