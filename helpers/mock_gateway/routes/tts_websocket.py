"""WebSocket /tts/{account}/tts/websocket: contexts, continue, flush, cancel (as lib/_tts.py).

Text of a context is buffered until a sentence ends (or `flush` / `continue: false`), spoken one
sentence at a time; every chunk and timestamp carries the context id and the flush id it belongs
to, a flush answers `flush_done`, and `continue: false` ends the context with `done`.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from .. import undocumented as guess
from ..cartesia.concurrency import account_limits
from ..cartesia.errors import CartesiaError, engine_failure, invalid_request
from ..cartesia.stream_events import done_event, sentence_events
from ..cartesia.tts_request import TTSRequest, tts_request
from ..cartesia.voice_lookup import resolve_voice, speech_options
from ..gateway.errors import GatewayError
from ..gateway.manifests import TTS_MODEL_TYPE
from ..gateway.registry import Principal
from ..gateway.state import GatewayState, gateway_state
from ..speech.synthesizer import synthesize_stream
from ..speech.timed_speech import shifted
from ..speech.voices import Voice
from .error_handlers import cartesia_version
from .websocket_frames import serve_frames

_SENTENCE_END = re.compile(r"^.*[.!?…。！？](?:\s+|$)", re.DOTALL)


@dataclass
class _Context:
    """One TTS context: its buffered text, audio sent so far and its worker task."""

    id: str
    queue: asyncio.Queue[tuple[TTSRequest, Voice | None]] = field(default_factory=asyncio.Queue)
    buffer: str = ""
    transcript: str = ""
    flushes: int = 0
    offset: float = 0.0
    last: tuple[TTSRequest, Voice] | None = None  # the last message that named a real voice
    task: asyncio.Task[None] | None = None


def gateway_error_event(error: GatewayError, context_id: str | None) -> dict[str, Any]:
    """A gateway refusal as a Cartesia-style WebSocket error message."""
    event: dict[str, Any] = {
        "type": "error",
        "done": True,
        "status_code": error.status,
        "error_code": guess.WEBSOCKET_GATEWAY_ERROR_CODE,
        "title": guess.WEBSOCKET_GATEWAY_ERROR_TITLE,
        "message": error.message,
        "request_id": str(uuid.uuid4()),
    }
    if context_id is not None:
        event["context_id"] = context_id
    return event


class _TTSSession:
    """One accepted TTS WebSocket: reads messages, runs a worker per context."""

    def __init__(self, websocket: WebSocket, state: GatewayState, principal: Principal) -> None:
        self.websocket = websocket
        self.state = state
        self.principal = principal
        self.contexts: dict[str, _Context] = {}
        self._send_lock = asyncio.Lock()

    async def send(self, event: dict[str, Any]) -> None:
        async with self._send_lock:
            await self.websocket.send_text(json.dumps(event))

    async def run(self) -> None:
        try:
            await serve_frames(self.websocket, lambda message: self.handle(message.get("text")))
        finally:
            for context in self.contexts.values():
                if context.task is not None:
                    context.task.cancel()

    async def handle(self, text: str | None) -> None:
        """Route one client frame (None: a binary frame); a bad frame gets an error message,
        never a dead socket."""
        if text is None:
            await self.send(
                invalid_request("binary frames are not accepted; send JSON text").event()
            )
            return
        try:
            body = json.loads(text)
        except (ValueError, RecursionError) as exc:
            await self.send(invalid_request(f"message is not valid JSON: {exc}").event())
            return
        if not isinstance(body, dict):
            await self.send(invalid_request("message must be a JSON object").event())
            return
        context_id = body.get("context_id")
        if not isinstance(context_id, str) or not context_id:
            await self.send(invalid_request("'context_id' is required (a string)").event())
            return
        if "cancel" in body:
            await self.cancel(body, context_id)
            return
        try:
            req, voice = self.check(body)
        except CartesiaError as exc:
            await self.send(exc.event(context_id=context_id))
            return
        except GatewayError as exc:
            await self.send(gateway_error_event(exc, context_id))
            return
        context = self.contexts.get(context_id)
        if context is None:
            if voice is None:  # a closing message for a context that never spoke
                await self.send(done_event(context_id))
                return
            context = self.contexts[context_id] = _Context(context_id)
            context.task = asyncio.create_task(self.work(context))
        context.queue.put_nowait((req, voice))

    def check(self, body: dict[str, Any]) -> tuple[TTSRequest, Voice | None]:
        """Validate a generation message; the closing message needs no model or voice check."""
        closing = body.get("transcript") == "" and body.get("continue") is False
        if not (closing and guess.CLOSING_MESSAGE_SKIPS_MODEL_CHECK):
            self.state.admit(
                self.principal,
                self.websocket,
                body.get("model_id"),
                field="model_id",
                model_type=TTS_MODEL_TYPE,
            )
        req = tts_request(body, containers=("raw",))
        return req, None if closing else resolve_voice(req.voice_id)

    async def cancel(self, body: dict[str, Any], context_id: str) -> None:
        if body.get("cancel") is not True:
            await self.send(invalid_request("'cancel' must be true").event(context_id=context_id))
            return
        context = self.contexts.pop(context_id, None)
        if context is not None and context.task is not None:
            context.task.cancel()

    async def next_message(self, context: _Context) -> tuple[TTSRequest, Voice | None] | None:
        """The context's next message; None when its buffer delay elapsed first."""
        delay = context.last[0].max_buffer_delay_ms if context.last else None
        if not (delay and context.buffer.strip()):
            return await context.queue.get()
        try:
            return await asyncio.wait_for(context.queue.get(), delay / 1000)
        except TimeoutError:
            return None

    async def work(self, context: _Context) -> None:
        """Speak the context's messages in order until `continue: false` (or an error).

        Without max_buffer_delay_ms each message is spoken at once [sdk]; with it, text waits
        for the end of a sentence, a flush, `continue: false` or the delay, whichever is first.
        """
        try:
            while True:
                message = await self.next_message(context)
                if message is None:  # buffer delay elapsed: speak what is buffered
                    text, context.buffer = context.buffer, ""
                    if context.last:  # a delay is only set once a message named a voice
                        await self.speak(context, *context.last, text)
                elif await self.take(context, *message):
                    return
        except CartesiaError as exc:
            self.contexts.pop(context.id, None)
            await self.send(exc.event(context_id=context.id))
        except ValueError as exc:
            self.contexts.pop(context.id, None)
            await self.send(invalid_request(str(exc)).event(context_id=context.id))
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client went away mid-stream
        except Exception as exc:  # an engine bug: tell the client, keep the socket
            self.contexts.pop(context.id, None)
            await self.send(engine_failure(exc).event(context_id=context.id))

    async def take(self, context: _Context, req: TTSRequest, voice: Voice | None) -> bool:
        """Buffer one message's text, speak what is ready, answer flush and continue: false.

        True once the context is done.
        """
        if voice is not None:
            context.last = (req, voice)
        context.buffer += req.transcript
        context.transcript += req.transcript
        text = context.buffer
        if not (req.flush or not req.continue_) and req.max_buffer_delay_ms:
            match = _SENTENCE_END.match(context.buffer)
            text = match.group(0) if match else ""
        context.buffer = context.buffer[len(text) :]
        if text.strip():
            await self.speak(context, *(context.last or (req, voice)), text)
        if req.flush:
            context.flushes += 1
            await self.send(self.flush_done(context))
        if not req.continue_:
            self.finish(context)
            await self.send(done_event(context.id))
            return True
        return False

    async def speak(
        self, context: _Context, req: TTSRequest, voice: Voice | None, text: str
    ) -> None:
        """Synthesize text piece by piece as it is spoken, sending chunk (and timestamps) messages.

        Word times run on from the audio this context already sent.
        """
        voice = voice or resolve_voice(req.voice_id)
        first = context.offset == 0.0
        pieces = synthesize_stream(text, **speech_options(req, voice), lead=first)
        base = context.offset
        while True:
            started = time.perf_counter()
            piece = await run_in_threadpool(next, pieces, None)
            if piece is None:
                return
            piece = shifted(piece, base)
            messages = sentence_events(
                piece,
                req.output_format,
                step_ms=(time.perf_counter() - started) * 1000,
                add_timestamps=req.add_timestamps,
                add_phoneme_timestamps=req.add_phoneme_timestamps,
                context_id=context.id,
                flush_id=context.flushes + 1,
            )
            for message in messages:
                await self.send(message)
            context.offset += piece.duration

    def flush_done(self, context: _Context) -> dict[str, Any]:
        return {
            "type": "flush_done",
            "context_id": context.id,
            "done": False,
            "flush_done": True,
            "flush_id": context.flushes,
            "status_code": guess.STREAM_STATUS_CODE,
        }

    def finish(self, context: _Context) -> None:
        """Forget the context."""
        self.contexts.pop(context.id, None)


async def tts_websocket(websocket: WebSocket) -> None:
    """Authenticate the handshake by x-tfy-api-key, then serve TTS contexts."""
    state = gateway_state(websocket)
    try:
        principal = await state.enter(websocket.headers, websocket=True)
        account_limits(websocket).take(websocket.scope, websocket.path_params["account"])
    except GatewayError as exc:
        await websocket.send_denial_response(exc.response())
        return
    except CartesiaError as exc:
        await websocket.send_denial_response(exc.response(cartesia_version(websocket)))
        return
    await websocket.accept()
    session = _TTSSession(websocket, state, principal)
    await session.run()
