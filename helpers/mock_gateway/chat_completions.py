"""POST /chat/completions: the gateway's OpenAI-compatible chat route, plain and streamed (SSE).

The gateway side is TrueFoundry's [doc]: `Authorization: Bearer <TrueFoundry key>`, a model id
`account/model` authorized like the Cartesia models, gateway 401/403/429 bodies. The answer comes
from the mock's chat model (chat_answer), streamed token by token at the configured pace.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from . import undocumented as guess
from .access import authenticate_openai_style, model_name, not_authorized
from .chat_answer import Answer, answer, prompt_tokens
from .chat_request import ChatRequest, ChatRequestError, chat_request
from .errors import GatewayError, parse_json_object, read_body
from .registry import Principal
from .state import GatewayState, gateway_state

CHAT_MODEL_TYPE = "chat"
TOKEN_MS_VARIABLE = "MOCK_CHAT_TOKEN_MS"
DEFAULT_TOKEN_MS = 20.0  # about 50 tokens a second, the pace of a fast hosted model


def token_seconds(token_ms: float | None = None) -> float:
    """The pause before each streamed token: `token_ms`, else $MOCK_CHAT_TOKEN_MS, else 20 ms."""
    if token_ms is None:
        raw = os.environ.get(TOKEN_MS_VARIABLE, "").strip()
        try:
            token_ms = float(raw) if raw else DEFAULT_TOKEN_MS
        except ValueError:
            message = f"{TOKEN_MS_VARIABLE} must be a number of milliseconds, got {raw!r}"
            raise ValueError(message) from None
    if not (token_ms >= 0 and token_ms < 60_000):
        raise ValueError(f"the chat token pace must be 0 to 60000 ms, got {token_ms}")
    return token_ms / 1000


def split_model_id(model: str, principal: Principal) -> tuple[str, str]:
    """`account/model` as (account, model); a bare name is refused like an unknown model."""
    account, slash, name = model.partition("/")
    if not slash or not account or not name:
        raise not_authorized(principal, model, guess.CHAT_MODEL_WITHOUT_ACCOUNT_STATUS)
    return account, name


def check_first_token_deadline(headers: Headers, pause: float) -> None:
    """408 when x-tfy-ttft-timeout-ms is shorter than the wait for the first streamed token."""
    raw = headers.get(guess.CHAT_TTFT_TIMEOUT_HEADER)
    if raw is None:
        return
    try:
        milliseconds = float(raw)
    except ValueError:
        milliseconds = -1.0
    if not (milliseconds > 0 and math.isfinite(milliseconds)):
        raise GatewayError(
            400,
            guess.CHAT_BAD_TTFT_TIMEOUT_MESSAGE.format(got=raw),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    if pause * 1000 > milliseconds:
        raise GatewayError(408, guess.CHAT_TTFT_TIMEOUT_MESSAGE.format(ms=f"{milliseconds:g}"))


async def _admit(state: GatewayState, request: Request) -> tuple[dict[str, Any], str, str]:
    """Count the call, faults, key, body, then the model: (body, gateway id, upstream id)."""
    state.requests_seen += 1
    await state.faults.apply()
    principal = authenticate_openai_style(state.registry, request.headers)
    body = parse_json_object(await read_body(request, guess.MAX_JSON_BODY_BYTES))
    account, name = split_model_id(model_name(body.get("model"), "model"), principal)
    record = state.admit(
        principal, request, name, field="model", model_type=CHAT_MODEL_TYPE, account=account
    )
    upstream = record.model_id if guess.CHAT_RESPONSE_MODEL_IS_UPSTREAM_ID else f"{account}/{name}"
    return body, f"{account}/{name}", upstream


def _usage(request: ChatRequest, answers: list[Answer]) -> dict[str, int]:
    prompt = prompt_tokens(request.messages)
    completion = sum(len(a.tokens) for a in answers)
    total = prompt + completion
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total}


def _completion(request: ChatRequest, answers: list[Answer], model: str) -> dict[str, Any]:
    """OpenAI's ChatCompletion object."""
    choices = [
        {
            "index": index,
            "message": {"role": "assistant", "content": a.text, "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": a.finish_reason,
        }
        for index, a in enumerate(answers)
    ]
    return {
        "id": guess.CHAT_ID_PREFIX + uuid.uuid4().hex[:24],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        "usage": _usage(request, answers),
        "system_fingerprint": guess.CHAT_SYSTEM_FINGERPRINT,
    }


async def _chunks(
    request: ChatRequest, answers: list[Answer], model: str, pause: float
) -> AsyncIterator[bytes]:
    """OpenAI's SSE stream: role, one chunk per token, finish_reason, [usage], [DONE]."""
    frame = {
        "id": guess.CHAT_ID_PREFIX + uuid.uuid4().hex[:24],
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": guess.CHAT_SYSTEM_FINGERPRINT,
        **({"usage": None} if request.include_usage else {}),
    }

    def event(index: int, delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
        return f"data: {json.dumps({**frame, 'choices': [choice]})}\n\n".encode()

    for index in range(len(answers)):
        yield event(index, {"role": "assistant", "content": "", "refusal": None})
    for position in range(max(len(a.tokens) for a in answers)):
        await asyncio.sleep(pause)
        for index, a in enumerate(answers):
            if position < len(a.tokens):
                yield event(index, {"content": a.tokens[position]})
    for index, a in enumerate(answers):
        yield event(index, {}, a.finish_reason)
    if request.include_usage:
        last = {**frame, "choices": [], "usage": _usage(request, answers)}
        yield f"data: {json.dumps(last)}\n\n".encode()
    yield b"data: [DONE]\n\n"


async def chat_completions(request: Request) -> Response:
    """POST /chat/completions (OpenAI's body, TrueFoundry's auth and access rules)."""
    state = gateway_state(request)
    body, gateway_id, upstream_id = await _admit(state, request)
    try:
        chat = chat_request(body)
    except ChatRequestError as error:
        return error.response()
    answers = [answer(chat)] * chat.n
    headers = {"x-tfy-resolved-model": gateway_id}
    if chat.stream:
        check_first_token_deadline(request.headers, state.chat_token_seconds)
        stream = _chunks(chat, answers, upstream_id, state.chat_token_seconds)
        return StreamingResponse(stream, media_type="text/event-stream", headers=headers)
    return JSONResponse(_completion(chat, answers, upstream_id), headers=headers)


ROUTES = [Route("/chat/completions", chat_completions, methods=["POST"])]
