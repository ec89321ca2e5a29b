"""x-tfy-request-timeout: a malformed value is a 400; upstream work past it is a 504."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Mapping
from typing import TypeVar

from .. import undocumented as guess
from .errors import GatewayError

T = TypeVar("T")


def request_timeout(headers: Mapping[str, str]) -> float | None:
    """Seconds from the x-tfy-request-timeout header (milliseconds), or None when absent."""
    raw = headers.get(guess.REQUEST_TIMEOUT_HEADER)
    if raw is None:
        return None
    try:
        milliseconds = float(raw)
    except ValueError:
        milliseconds = -1.0
    if not (milliseconds > 0 and math.isfinite(milliseconds)):
        raise GatewayError(
            400,
            guess.BAD_REQUEST_TIMEOUT_MESSAGE.format(got=raw),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    return milliseconds / 1000


async def within_request_timeout(headers: Mapping[str, str], work: Awaitable[T]) -> T:
    """Await the upstream work, bounded by x-tfy-request-timeout (504 when it runs out)."""
    seconds = request_timeout(headers)
    if seconds is None:
        return await work
    try:
        return await asyncio.wait_for(work, seconds)
    except TimeoutError:
        raise GatewayError(
            guess.REQUEST_TIMEOUT_STATUS,
            guess.REQUEST_TIMEOUT_MESSAGE.format(ms=round(seconds * 1000, 3)),
        ) from None
