"""x-tfy-ttft-timeout-ms [doc]: a streamed answer whose first token would be late is a 408."""

from __future__ import annotations

import math

from starlette.datastructures import Headers

from .. import undocumented as guess
from .errors import GatewayError


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
