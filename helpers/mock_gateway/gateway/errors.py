"""Error bodies of the gateway (TrueFoundry) and of Cartesia, and the handlers that send them."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import undocumented as guess

log = logging.getLogger(__name__)


class GatewayError(Exception):
    """An error the gateway itself raises (auth, access, limits), sent with TrueFoundry's body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str = "Error",
        origin: str = guess.GATEWAY_ORIGIN,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.origin = origin
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """TrueFoundry's error body, as GATEWAY.md section 4 shows it."""
        return {
            "status": "failure",
            "message": self.message,
            "error": {"message": self.message, "type": self.error_type, "code": str(self.status)},
            "error_origin_level": self.origin,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


class CartesiaError(Exception):
    """An error Cartesia's API raises (bad request fields, unknown voice), in Cartesia's shape."""

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        *,
        error_code: str | None = guess.INVALID_REQUEST_CODE,
        doc_url: str | None = None,
    ) -> None:
        super().__init__(f"{title}: {message}")
        self.status = status
        self.title = title
        self.message = message
        self.error_code = error_code
        self.doc_url = doc_url
        self.request_id = str(uuid.uuid4())

    def body(self) -> dict[str, Any]:
        """Cartesia's HTTP error object: error_code, title, message, request_id[, doc_url]."""
        body: dict[str, Any] = {
            "error_code": self.error_code,
            "title": self.title,
            "message": self.message,
            "request_id": self.request_id,
        }
        if self.doc_url:
            body["doc_url"] = self.doc_url
        return body

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status)

    def event(self, *, context_id: str | None = None) -> dict[str, Any]:
        """The same error as an SSE or TTS WebSocket `error` event (done is always true)."""
        event = {"type": "error", "done": True, "status_code": self.status, **self.body()}
        if self.error_code is None:
            event.pop("error_code")
        if context_id is not None:
            event["context_id"] = context_id
        return event

    def stt_event(self) -> dict[str, Any]:
        """The same error as an STT WebSocket `STTErrorResponse`."""
        event = {"type": "error", "status_code": self.status, **self.body()}
        if self.error_code is None:
            event.pop("error_code")
        return event


def invalid_request(message: str, *, doc_url: str | None = None) -> CartesiaError:
    """A request that breaks Cartesia's request schema; the message names the field."""
    return CartesiaError(
        guess.INVALID_REQUEST_STATUS, guess.INVALID_REQUEST_TITLE, message, doc_url=doc_url
    )


def engine_failure(exc: Exception) -> CartesiaError:
    """A bug of the mock's speech engine met mid-stream: a 500 error event, logged."""
    log.error("mock speech engine failed", exc_info=exc)
    return CartesiaError(
        500,
        "Internal error",
        f"The mock's speech engine failed ({type(exc).__name__}); please report this input.",
        error_code="internal_error",
    )


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


async def _gateway_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GatewayError)
    return exc.response()


async def _cartesia_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CartesiaError)
    return exc.response()


async def _http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        message = guess.NOT_FOUND_MESSAGE.format(method=request.method, path=request.url.path)
    elif exc.status_code == 405:
        message = guess.METHOD_NOT_ALLOWED_MESSAGE.format(
            method=request.method, path=request.url.path
        )
    else:
        message = str(exc.detail)
    error = GatewayError(exc.status_code, message, headers=dict(exc.headers or {}))
    return error.response()


async def _unexpected_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("mock gateway bug while serving %s %s", request.method, request.url.path)
    return GatewayError(500, f"Internal error in the mock gateway: {type(exc).__name__}").response()


EXCEPTION_HANDLERS = {
    GatewayError: _gateway_error_handler,
    CartesiaError: _cartesia_error_handler,
    HTTPException: _http_exception_handler,
    Exception: _unexpected_error_handler,
}
