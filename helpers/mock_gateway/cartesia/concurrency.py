"""Cartesia's per-account limits: requests in flight, open WebSockets, idle WebSocket time.

Above its concurrency limit Cartesia answers 429, and likewise above 10 times that many open
WebSockets; it closes a WebSocket idle for 5 minutes [doc]. A request holds its slot for as long
as its ASGI call lasts (a streamed body until its last byte, a WebSocket until it closes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .. import undocumented as guess
from .errors import CartesiaError

WEBSOCKETS_PER_CONCURRENCY = 10  # [doc]
IDLE_WEBSOCKET_SECONDS = 300.0  # [doc] 5 minutes
_SLOTS = "mock_gateway.cartesia_slots"


@dataclass
class AccountLimits:
    """The counters of every provider account (one Cartesia key each); 0 means no limit."""

    concurrency: int = guess.DEFAULT_CONCURRENCY_LIMIT
    idle_seconds: float = IDLE_WEBSOCKET_SECONDS
    in_use: Counter[tuple[str, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        if self.concurrency < 0 or self.idle_seconds <= 0:
            raise ValueError(
                "the concurrency limit must be 0 (no limit) or more, and the WebSocket idle time "
                f"a positive number of seconds; got {self.concurrency} and {self.idle_seconds}"
            )

    def take(self, scope: Scope, account: str) -> None:
        """Count this request (or open WebSocket) of `account` until its call ends; 429 if full."""
        kind = scope["type"]
        limit = self.concurrency * (WEBSOCKETS_PER_CONCURRENCY if kind == "websocket" else 1)
        key = (kind, account)
        if limit and self.in_use[key] >= limit:
            what = "Another open WebSocket" if kind == "websocket" else "Another request"
            error = CartesiaError(
                429,
                guess.CONCURRENCY_ERROR_TITLE,
                guess.CONCURRENCY_MESSAGE.format(what=what, limit=limit),
                error_code=guess.CONCURRENCY_ERROR_CODE,
            )
            error.headers["Retry-After"] = str(guess.CONCURRENCY_RETRY_AFTER_SECONDS)
            raise error
        self.in_use[key] += 1
        scope[_SLOTS].append(key)

    def release(self, scope: Scope) -> None:
        for key in scope.pop(_SLOTS, []):
            self.in_use[key] -= 1


class ReleaseSlots:
    """ASGI middleware: frees the slots a call took once the call is over, however it ended."""

    def __init__(self, app: ASGIApp, limits: AccountLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope[_SLOTS] = []
        try:
            await self.app(scope, receive, send)
        finally:
            self.limits.release(scope)


def account_limits(connection: Any) -> AccountLimits:
    """The AccountLimits of the app serving this request or WebSocket."""
    return connection.app.state.limits
