"""Fuzz /chat/completions: whatever the body, a 200 or a 4xx with a documented error shape."""

from __future__ import annotations

import string
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import fuzz_settings, json_trees

from helpers.mock_gateway.server import RunningGateway

pytestmark = pytest.mark.slow  # seconds of fuzzing

MODEL = "openai-main/mock-chat"
AUTH = {"Authorization": "Bearer tfy-mock-learner-key"}
FUZZ = fuzz_settings(40)
json_values = json_trees(text_size=12, key_size=8, items=3, leaves=10)
roles = st.sampled_from(["user", "system", "assistant", "developer", "tool", "robot", ""])
messages = st.lists(
    st.fixed_dictionaries({"role": roles}, optional={"content": json_values | st.text()}),
    max_size=3,
)
fields = st.sampled_from(
    ["stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p",
     "n", "stop", "seed", "user", "presence_penalty", "frequency_penalty", "tools", "extra"]
)  # fmt: skip


def check(response: httpx.Response) -> None:
    """A success, or an error body in one of the two shapes the mock sends (never a 5xx)."""
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        return
    body = response.json()
    assert body["status"] == "failure" and body["message"]
    assert body["error"]["message"] == body["message"]


@FUZZ
@given(messages=messages | json_values, extra=st.dictionaries(fields, json_values, max_size=3))
def test_any_body_gets_an_answer_or_a_clear_400(
    gateway: RunningGateway, messages: Any, extra: dict[str, Any]
) -> None:
    body = {"model": MODEL, "messages": messages, **extra}
    with httpx.Client(timeout=30) as client:
        response = client.post(f"{gateway.url}/chat/completions", json=body, headers=AUTH)
        check(response)
        if response.status_code == 200 and body.get("stream") is True:
            assert response.text.rstrip().endswith("data: [DONE]")


@FUZZ
@given(model=json_values | st.text(max_size=30) | st.just("openai-main/" + "x" * 40))
def test_any_model_gets_a_gateway_400_or_403(gateway: RunningGateway, model: Any) -> None:
    body = {"model": model, "messages": [{"role": "user", "content": "Hi?"}]}
    response = httpx.post(f"{gateway.url}/chat/completions", json=body, headers=AUTH)
    check(response)
    assert response.status_code in (400, 403) or model == MODEL


@FUZZ
@given(key=st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=24))
def test_any_unknown_key_gets_a_401(gateway: RunningGateway, key: str) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "Hi?"}]}
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = httpx.post(f"{gateway.url}/chat/completions", json=body, headers=headers)
    check(response)
    assert response.status_code == 401
