"""The receive loop every mock WebSocket runs: client frames to a handler until one side ends,
or until the client stays idle longer than Cartesia allows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

from .. import undocumented as guess
from ..cartesia.concurrency import account_limits


async def serve_frames(
    websocket: WebSocket, handle: Callable[[Message], Awaitable[bool | None]]
) -> None:
    """Pass each client frame to `handle` until it returns True or the client disconnects;
    close the socket when no frame came for the account's idle time."""
    idle = account_limits(websocket).idle_seconds
    try:
        while True:
            try:
                message = await asyncio.wait_for(websocket.receive(), idle)
            except TimeoutError:
                reason = guess.IDLE_CLOSE_REASON.format(seconds=idle)
                await websocket.close(guess.IDLE_CLOSE_CODE, reason)
                return
            if message["type"] == "websocket.disconnect" or await handle(message):
                return
    except WebSocketDisconnect:
        return
