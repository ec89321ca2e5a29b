"""POST /chat/completions: the gateway's OpenAI-compatible chat route, plain and streamed (SSE).

The gateway side is TrueFoundry's [doc]: `Authorization: Bearer <TrueFoundry key>`, a model id
`account/model` authorized like the Cartesia models, gateway 401/403/408/429 bodies. The answer
comes from the mock's chat model (chat/mock_model), streamed token by token at the set pace.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .. import undocumented as guess
from ..chat.mock_model import Answer, answer, prompt_tokens
from ..chat.openai_errors import ChatRequestError
from ..chat.openai_request import ChatRequest, chat_request
from ..gateway.access import model_name, split_model_id
from ..gateway.first_token_deadline import check_first_token_deadline
from ..gateway.request_bodies import parse_json_object, read_body
from ..gateway.state import GatewayState, gateway_state

CHAT_MODEL_TYPE = "chat"


async def _admit(state: GatewayState, request: Request) -> tuple[dict[str, Any], str, str]:
    """Count the call, faults, key, body, then the model: (body, gateway id, upstream id)."""
    principal = await state.enter(request.headers, openai_style=True)
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
    choices: list[dict[str, Any]] = [
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
        last: dict[str, Any] = {**frame, "choices": [], "usage": _usage(request, answers)}
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
