"""Deadlines on a streamed chat answer's first token: x-tfy-ttft-timeout-ms [doc] (408) and
x-tfy-request-timeout (504, as on the Cartesia routes: it bounds the wait for the answer)."""

from __future__ import annotations

from starlette.datastructures import Headers

from .. import undocumented as guess
from .errors import GatewayError
from .request_timeout import first_token_late, first_token_timeout, request_timeout


def check_first_token_deadline(headers: Headers, pause: float) -> None:
    """408 when x-tfy-ttft-timeout-ms, 504 when x-tfy-request-timeout, is shorter than the wait
    for the first streamed token (`pause` seconds); 400 for a malformed value."""
    seconds = request_timeout(headers)
    if seconds is not None and pause > seconds:
        raise GatewayError(
            guess.REQUEST_TIMEOUT_STATUS,
            guess.REQUEST_TIMEOUT_MESSAGE.format(ms=round(seconds * 1000, 3)),
        )
    first_token = first_token_timeout(headers)
    if first_token is not None and pause > first_token:
        raise first_token_late(first_token)
