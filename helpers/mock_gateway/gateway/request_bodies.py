"""Reading request bodies as the gateway does: size limit (413), then JSON or multipart (400)."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request

from .. import undocumented as guess
from .errors import GatewayError


def invalid_json(detail: str) -> GatewayError:
    return GatewayError(
        400,
        guess.INVALID_JSON_MESSAGE.format(detail=detail),
        error_type=guess.BAD_REQUEST_ERROR_TYPE,
    )


def too_large(size: int, limit: int) -> GatewayError:
    return GatewayError(
        guess.PAYLOAD_TOO_LARGE_STATUS,
        guess.PAYLOAD_TOO_LARGE_MESSAGE.format(size=size, limit=limit),
        error_type=guess.BAD_REQUEST_ERROR_TYPE,
    )


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Parse a JSON request body that must be an object; GatewayError 400 otherwise."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise invalid_json(str(exc) or type(exc).__name__) from None
    if not isinstance(value, dict):
        raise invalid_json(f"expected a JSON object, got {type(value).__name__}")
    return value


async def read_body(request: Request, limit: int) -> bytes:
    """Read a request body, refusing (413) more than `limit` bytes before reading it all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_form(request: Request) -> FormData:
    """A multipart body, read with the upload limit; the gateway needs it to find `model`."""
    raw = await read_body(request, guess.MAX_UPLOAD_BYTES)
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise GatewayError(
            400,
            guess.NOT_MULTIPART_MESSAGE.format(got=repr(content_type or "none")),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    try:
        return await Request(request.scope, replay).form(max_files=1, max_fields=50)
    except Exception as exc:  # multipart parser errors of every kind
        raise GatewayError(
            400,
            guess.MALFORMED_MULTIPART_MESSAGE.format(detail=exc),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        ) from None
