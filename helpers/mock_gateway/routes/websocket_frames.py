"""The receive loop every mock WebSocket runs: client frames to a handler until one side ends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect


async def serve_frames(
    websocket: WebSocket, handle: Callable[[Message], Awaitable[bool | None]]
) -> None:
    """Pass each client frame to `handle` until it returns True or the client disconnects."""
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect" or await handle(message):
                return
    except WebSocketDisconnect:
        return
