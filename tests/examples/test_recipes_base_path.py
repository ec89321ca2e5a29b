"""The recipes work with a gateway base URL that carries a path (.../api/llm)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow


def succeeded(result) -> str:
    assert (result.returncode, result.stderr) == (0, ""), result
    return result.stdout


def test_every_transport_works_under_a_prefixed_base_url(run_example, prefixed_mock_url):
    assert prefixed_mock_url.endswith("/api/llm")
    at = {"GATEWAY_BASE_URL": prefixed_mock_url}
    succeeded(run_example("tts_websocket.py", "answer.wav", **at))
    succeeded(run_example("tts_stream.py", "Streaming under a prefix.", **at))
    heard = succeeded(run_example("stt.py", "answer.wav", **at))
    streamed = succeeded(run_example("stt_stream.py", "answer.wav", "--pace", "8", **at))
    said = "sure the gateway checks your key"
    for text in (heard, streamed):
        assert said in re.sub(r"[^\w\s]", "", text).lower(), text
