"""Check a /chat/completions body as OpenAI does, for the fields the mock's chat model accepts.

Every failure is OpenAI's 400 `invalid_request_error`, worded as OpenAI words it, naming the
field (`param`), and passed on by the gateway in its envelope (openai_errors.ChatRequestError).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .openai_errors import ChatRequestError

ROLES = ("system", "assistant", "user", "function", "tool", "developer")
ACCEPTED_FIELDS = frozenset(
    {"model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens",
     "temperature", "top_p", "n", "stop", "seed", "user", "presence_penalty", "frequency_penalty"}
)  # fmt: skip
# OpenAI parameters the mock's plain-text model cannot honour: refused by name, never ignored.
UNSUPPORTED_FIELDS = frozenset(
    {"tools", "tool_choice", "functions", "function_call", "parallel_tool_calls",
     "response_format", "logprobs", "top_logprobs", "logit_bias", "audio", "modalities",
     "prediction", "reasoning_effort", "web_search_options", "service_tier", "store", "metadata"}
)  # fmt: skip
MESSAGE_FIELDS = frozenset(
    {"role", "content", "name", "tool_calls", "tool_call_id", "refusal", "audio", "function_call"}
)
MAX_STOP_SEQUENCES = 4
MAX_CHOICES = 128


@dataclass(frozen=True)
class ChatMessage:
    """One message of the conversation, reduced to its role and its text."""

    role: str
    text: str


@dataclass(frozen=True)
class ChatRequest:
    """A valid chat request, reduced to what the mock's answer composer needs."""

    messages: tuple[ChatMessage, ...]
    stream: bool
    include_usage: bool
    max_tokens: int | None
    n: int
    stop: tuple[str, ...]


def _kind(value: Any) -> str:
    """OpenAI's name for a JSON value's type, with its article ("a string", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    names = {str: "a string", int: "an integer", float: "a decimal", list: "an array"}
    return names.get(type(value), "an object")


def _wrong_type(param: str, expected: str, value: Any) -> ChatRequestError:
    return ChatRequestError(
        f"Invalid type for '{param}': expected {expected}, but got {_kind(value)} instead.",
        param=param,
        code="invalid_type",
    )


def _missing(param: str) -> ChatRequestError:
    return ChatRequestError(
        f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter"
    )


def _decimal_range(key: str, side: str, bound: str, value: float) -> ChatRequestError:
    code = "decimal_below_min_value" if side == "below minimum" else "decimal_above_max_value"
    return ChatRequestError(
        f"Invalid '{key}': decimal {side} value. Expected a value {bound}, "
        f"but got {value:g} instead.",
        param=key,
        code=code,
    )


def _number(body: dict[str, Any], key: str, low: float, high: float) -> None:
    value = body.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _wrong_type(key, "a decimal", value)
    if value < low:
        raise _decimal_range(key, "below minimum", f">= {low:g}", value)
    if value > high:
        raise _decimal_range(key, "above maximum", f"<= {high:g}", value)


def _integer(body: dict[str, Any], key: str, low: int, high: int | None = None) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(key, "an integer", value)
    if value < low:
        raise ChatRequestError(
            f"Invalid '{key}': integer below minimum value. Expected a value >= {low}, "
            f"but got {value} instead.",
            param=key,
            code="integer_below_min_value",
        )
    if high is not None and value > high:
        raise ChatRequestError(
            f"Invalid '{key}': integer above maximum value. Expected a value <= {high}, "
            f"but got {value} instead.",
            param=key,
            code="integer_above_max_value",
        )
    return value


def _boolean(value: Any, param: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _wrong_type(param, "a boolean", value)
    return value


def _content_text(content: Any, param: str) -> str:
    """The text of a message's content: a string, or an array of text parts."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise _wrong_type(param, "one of a string or array of objects", content)
    texts = []
    for index, part in enumerate(content):
        where = f"{param}[{index}]"
        if not isinstance(part, dict):
            raise _wrong_type(where, "an object", part)
        if "type" not in part:
            raise _missing(f"{where}.type")
        if part["type"] != "text":
            raise ChatRequestError(
                f"Invalid value for '{where}.type': {part['type']!r}. The mock gateway's chat "
                "model reads only 'text' content parts: send the text itself.",
                param=f"{where}.type",
                code="invalid_value",
            )
        if "text" not in part:
            raise _missing(f"{where}.text")
        if not isinstance(part["text"], str):
            raise _wrong_type(f"{where}.text", "a string", part["text"])
        texts.append(part["text"])
    return "".join(texts)


def _message(raw: Any, index: int) -> ChatMessage:
    where = f"messages[{index}]"
    if not isinstance(raw, dict):
        raise _wrong_type(where, "an object", raw)
    extra = sorted(set(raw) - MESSAGE_FIELDS)
    if extra:
        raise ChatRequestError(
            f"Additional properties are not allowed ({extra[0]!r} was unexpected) in '{where}'",
            param=where,
        )
    if "role" not in raw:
        raise _missing(f"{where}.role")
    role = raw["role"]
    if role not in ROLES:
        supported = ", ".join(f"'{r}'" for r in ROLES[:-1]) + f", and '{ROLES[-1]}'"
        raise ChatRequestError(
            f"Invalid value for '{where}.role': {role!r}. Supported values are: {supported}.",
            param=f"{where}.role",
            code="invalid_value",
        )
    if role == "tool" and not isinstance(raw.get("tool_call_id"), str):
        raise _missing(f"{where}.tool_call_id")
    if role == "function" and not isinstance(raw.get("name"), str):
        raise _missing(f"{where}.name")
    content = raw.get("content")
    if content is None:
        if role != "assistant":  # an assistant turn may carry tool calls instead of text
            raise _missing(f"{where}.content")
        return ChatMessage(role, "")
    return ChatMessage(role, _content_text(content, f"{where}.content"))


def _messages(body: dict[str, Any]) -> tuple[ChatMessage, ...]:
    if "messages" not in body:
        raise _missing("messages")
    raw = body["messages"]
    if not isinstance(raw, list):
        raise _wrong_type("messages", "an array of objects", raw)
    if not raw:
        raise ChatRequestError(
            "Invalid 'messages': empty array. Expected an array with minimum length 1, "
            "but got an empty array instead.",
            param="messages",
            code="empty_array",
        )
    return tuple(_message(item, index) for index, item in enumerate(raw))


def _stop(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise _wrong_type("stop", "one of a string or array of strings", value)
    if len(value) > MAX_STOP_SEQUENCES:
        raise ChatRequestError(
            f"Invalid 'stop': array too long. Expected an array with maximum length "
            f"{MAX_STOP_SEQUENCES}, but got an array with length {len(value)} instead.",
            param="stop",
            code="array_above_max_length",
        )
    return tuple(s for s in value if s)


def _include_usage(body: dict[str, Any], stream: bool) -> bool:
    options = body.get("stream_options")
    if options is None:
        return False
    if not stream:
        raise ChatRequestError(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            param="stream_options",
        )
    if not isinstance(options, dict):
        raise _wrong_type("stream_options", "an object", options)
    return _boolean(options.get("include_usage"), "stream_options.include_usage")


def _check_fields(body: dict[str, Any]) -> None:
    for key in sorted(body):
        if key in UNSUPPORTED_FIELDS and body[key] in (None, False):
            continue  # nothing asked of the model: `"logprobs": false` is fine
        if key in UNSUPPORTED_FIELDS:
            raise ChatRequestError(
                f"Unsupported parameter: '{key}' is not supported by the mock gateway's chat "
                "model (it answers plain text); remove it.",
                param=key,
                code="unsupported_parameter",
            )
        if key not in ACCEPTED_FIELDS:
            raise ChatRequestError(f"Unrecognized request argument supplied: {key}", param=key)


def chat_request(body: dict[str, Any]) -> ChatRequest:
    """Validate a /chat/completions body (the gateway has already read and authorized `model`)."""
    _check_fields(body)
    messages = _messages(body)
    stream = _boolean(body.get("stream"), "stream")
    include_usage = _include_usage(body, stream)
    max_tokens = _integer(body, "max_tokens", 1)
    max_completion = _integer(body, "max_completion_tokens", 1)
    _number(body, "temperature", 0, 2)
    _number(body, "top_p", 0, 1)
    _number(body, "presence_penalty", -2, 2)
    _number(body, "frequency_penalty", -2, 2)
    n = _integer(body, "n", 1, MAX_CHOICES) or 1
    _integer(body, "seed", -(2**63))
    if body.get("user") is not None and not isinstance(body["user"], str):
        raise _wrong_type("user", "a string", body["user"])
    return ChatRequest(
        messages=messages,
        stream=stream,
        include_usage=include_usage,
        max_tokens=max_completion if max_completion is not None else max_tokens,
        n=n,
        stop=_stop(body.get("stop")),
    )
