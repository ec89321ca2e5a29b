"""x-tfy-request-timeout and x-tfy-ttft-timeout-ms [doc]: a malformed value is a 400; upstream
work past the request timeout is a 504 [guess], past the time-to-first-token one a 408 [doc]."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Mapping
from typing import TypeVar

from .. import undocumented as guess
from .errors import GatewayError

T = TypeVar("T")
TTFT_TIMEOUT_HEADER = "x-tfy-ttft-timeout-ms"  # [doc] 408 when the first token is late
TTFT_TIMEOUT_STATUS = 408  # [doc]


def _milliseconds_header(headers: Mapping[str, str], name: str) -> float | None:
    """Seconds from a header holding milliseconds, or None when absent; 400 when malformed."""
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        milliseconds = float(raw)
    except ValueError:
        milliseconds = -1.0
    if not (milliseconds > 0 and math.isfinite(milliseconds)):
        raise GatewayError(
            400,
            guess.BAD_TIMEOUT_HEADER_MESSAGE.format(header=name, got=raw),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    return milliseconds / 1000


def request_timeout(headers: Mapping[str, str]) -> float | None:
    """Seconds from the x-tfy-request-timeout header (checks x-tfy-ttft-timeout-ms too)."""
    first_token_timeout(headers)
    return _milliseconds_header(headers, guess.REQUEST_TIMEOUT_HEADER)


def first_token_timeout(headers: Mapping[str, str]) -> float | None:
    """Seconds from the x-tfy-ttft-timeout-ms header, or None when absent."""
    return _milliseconds_header(headers, TTFT_TIMEOUT_HEADER)


def first_token_late(seconds: float) -> GatewayError:
    """The 408 of an answer whose first token did not come within `seconds`."""
    ms = f"{seconds * 1000:g}"
    return GatewayError(TTFT_TIMEOUT_STATUS, guess.CHAT_TTFT_TIMEOUT_MESSAGE.format(ms=ms))


async def within_request_timeout(headers: Mapping[str, str], work: Awaitable[T]) -> T:
    """Await the upstream work until its first token (first audio, or the transcript), bounded by
    x-tfy-request-timeout (504) and x-tfy-ttft-timeout-ms (408), whichever ends first."""
    request = request_timeout(headers)
    first_token = first_token_timeout(headers)
    limits = [s for s in (request, first_token) if s is not None]
    if not limits:
        return await work
    try:
        return await asyncio.wait_for(work, min(limits))
    except TimeoutError:
        if first_token is not None and first_token == min(limits):
            raise first_token_late(first_token) from None
        raise GatewayError(
            guess.REQUEST_TIMEOUT_STATUS,
            guess.REQUEST_TIMEOUT_MESSAGE.format(ms=round(min(limits) * 1000, 3)),
        ) from None
