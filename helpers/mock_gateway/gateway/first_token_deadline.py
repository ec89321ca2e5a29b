"""Deadlines on a streamed chat answer's first token: x-tfy-ttft-timeout-ms [doc] (408) and
x-tfy-request-timeout (504, as on the Cartesia routes: it bounds the wait for the answer)."""

from __future__ import annotations

import math

from starlette.datastructures import Headers

from .. import undocumented as guess
from .errors import GatewayError
from .request_timeout import request_timeout


def check_first_token_deadline(headers: Headers, pause: float) -> None:
    """408 when x-tfy-ttft-timeout-ms, 504 when x-tfy-request-timeout, is shorter than the wait
    for the first streamed token (`pause` seconds); 400 for a malformed value."""
    seconds = request_timeout(headers)
    if seconds is not None and pause > seconds:
        raise GatewayError(
            guess.REQUEST_TIMEOUT_STATUS,
            guess.REQUEST_TIMEOUT_MESSAGE.format(ms=round(seconds * 1000, 3)),
        )
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
