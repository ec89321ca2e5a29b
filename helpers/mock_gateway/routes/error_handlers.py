"""Starlette exception handlers: every error leaves as TrueFoundry's or Cartesia's body."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from .. import undocumented as guess
from ..cartesia.errors import CartesiaError
from ..gateway.errors import GatewayError

log = logging.getLogger(__name__)


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
