"""Chat requests OpenAI would refuse: one 400 each, naming the field, and the mock keeps serving."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest
from openai import AsyncOpenAI

from helpers.mock_gateway.server import RunningGateway

MODEL = "openai-main/mock-chat"
USER = {"role": "user", "content": "Hello?"}
AUTH = {"Authorization": "Bearer tfy-mock-learner-key"}
LEFT_OUT = object()  # a field the request does not send at all

CASES: list[tuple[dict[str, Any], str, str | None]] = [
    ({"messages": LEFT_OUT}, "messages", "missing_required_parameter"),
    ({"messages": "Hello?"}, "messages", "invalid_type"),
    ({"messages": []}, "messages", "empty_array"),
    ({"messages": ["Hello?"]}, "messages[0]", "invalid_type"),
    ({"messages": [{"content": "Hello?"}]}, "messages[0].role", "missing_required_parameter"),
    ({"messages": [{"role": "robot", "content": "x"}]}, "messages[0].role", "invalid_value"),
    ({"messages": [{"role": "user"}]}, "messages[0].content", "missing_required_parameter"),
    ({"messages": [{"role": "user", "content": 7}]}, "messages[0].content", "invalid_type"),
    ({"messages": [{"role": "user", "content": [{"type": "image_url"}]}]},
     "messages[0].content[0].type", "invalid_value"),
    ({"messages": [{"role": "user", "content": [{"type": "text"}]}]},
     "messages[0].content[0].text", "missing_required_parameter"),
    ({"messages": [USER, {"role": "tool", "content": "42"}]}, "messages[1].tool_call_id",
     "missing_required_parameter"),
    ({"messages": [{**USER, "mood": "happy"}]}, "messages[0]", None),
    ({"stream": "yes"}, "stream", "invalid_type"),
    ({"stream_options": {"include_usage": True}}, "stream_options", None),
    ({"stream": True, "stream_options": {"include_usage": "yes"}},
     "stream_options.include_usage", "invalid_type"),
    ({"max_tokens": 0}, "max_tokens", "integer_below_min_value"),
    ({"max_tokens": 1.5}, "max_tokens", "invalid_type"),
    ({"max_completion_tokens": -1}, "max_completion_tokens", "integer_below_min_value"),
    ({"temperature": 2.5}, "temperature", "decimal_above_max_value"),
    ({"temperature": -0.1}, "temperature", "decimal_below_min_value"),
    ({"temperature": "hot"}, "temperature", "invalid_type"),
    ({"top_p": 1.1}, "top_p", "decimal_above_max_value"),
    ({"n": 0}, "n", "integer_below_min_value"),
    ({"stop": ["a", "b", "c", "d", "e"]}, "stop", "array_above_max_length"),
    ({"stop": 3}, "stop", "invalid_type"),
    ({"messages": [{"role": "function", "content": "42"}]}, "messages[0].name",
     "missing_required_parameter"),
    ({"tools": []}, "tools", "unsupported_parameter"),
    ({"logprobs": True}, "logprobs", "unsupported_parameter"),
    ({"colour": "blue"}, "colour", None),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "param", "code"), CASES)
def test_invalid_field_is_openais_400_naming_it(
    gateway: RunningGateway, fields: dict[str, Any], param: str, code: str | None
) -> None:
    body = {"model": MODEL, "messages": [USER], **fields}
    body = {key: value for key, value in body.items() if value is not LEFT_OUT}
    response = httpx.post(f"{gateway.url}/chat/completions", json=body, headers=AUTH)
    assert response.status_code == 400, response.text
    payload = response.json()
    error = payload["error"]
    assert error["type"] == "invalid_request_error"
    assert (error["param"], error["code"]) == (param, code)
    assert f"'{param}'" in error["message"] or f" {param}" in error["message"]
    assert payload["message"] == error["message"] and "Traceback" not in response.text
    assert payload["error_origin_level"] == "api_error"


async def test_sdk_raises_bad_request_with_param_and_the_mock_keeps_serving(
    gateway: RunningGateway,
) -> None:
    async with AsyncOpenAI(
        api_key="tfy-mock-learner-key", base_url=gateway.url, max_retries=0,
        _strict_response_validation=True,
    ) as client:  # fmt: skip
        with pytest.raises(openai.BadRequestError) as caught:
            await client.chat.completions.create(model=MODEL, messages=[USER], temperature=9)
        assert caught.value.param == "temperature"
        answer = await client.chat.completions.create(model=MODEL, messages=[USER])
    assert answer.choices[0].message.content


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b"{not json", 400), (b"[]", 400), (b'{"messages": []}', 400), (b'{"model": 3}', 400)],
)
def test_unreadable_body_or_model_is_a_gateway_400(
    gateway: RunningGateway, raw: bytes, status: int
) -> None:
    headers = {**AUTH, "content-type": "application/json"}
    response = httpx.post(f"{gateway.url}/chat/completions", content=raw, headers=headers)
    assert response.status_code == status
    assert response.json()["status"] == "failure"


def test_unsupported_fields_that_ask_nothing_are_accepted(gateway: RunningGateway) -> None:
    body = {"model": MODEL, "messages": [USER], "logprobs": False, "tools": None}
    response = httpx.post(f"{gateway.url}/chat/completions", json=body, headers=AUTH)
    assert response.status_code == 200, response.text
