"""Streaming STT WebSockets: manual finalize (stt/websocket), auto finalize (stt/turns/websocket).

Binary frames carry audio in the `encoding` and `sample_rate` of the query string. Manual
finalize answers partial and final `transcript` messages, `flush_done` after `finalize` and
`done` after `close`; auto finalize answers `connected` and `turn.*` events.
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from collections import deque
from typing import Any

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.types import Message
from starlette.websockets import WebSocket

from .. import undocumented as guess
from ..cartesia.concurrency import account_limits
from ..cartesia.errors import CartesiaError
from ..cartesia.stt_request import StreamParams, stt_error, turns_model
from ..gateway.errors import GatewayError
from ..gateway.manifests import STT_MODEL_TYPE
from ..gateway.state import gateway_state
from ..speech.audio_encoding import AudioDecodeError, decode
from ..speech.timed_speech import shift_words
from ..speech.vad import TurnDetector, TurnEvent
from ..speech.whisper_stream import StreamingRecognizer
from ..speech.whisper_stt import Transcript
from .error_handlers import cartesia_version
from .websocket_frames import serve_frames


async def _open(websocket: WebSocket, *, turns: bool = False) -> tuple[StreamParams, str] | None:
    """Handshake: key and model checked before accepting (HTTP 401/403 on refusal); bad
    Cartesia parameters (and, for turns, a model other than ink-2) get an STTErrorResponse and a
    close. None when refused."""
    state = gateway_state(websocket)
    try:
        principal = await state.enter(websocket.headers, websocket=True)
        state.admit(
            principal,
            websocket,
            websocket.query_params.get("model"),
            field="model (query parameter)",
            model_type=STT_MODEL_TYPE,
        )
        account_limits(websocket).take(websocket.scope, websocket.path_params["account"])
    except GatewayError as exc:
        await websocket.send_denial_response(exc.response())
        return None
    except CartesiaError as exc:
        await websocket.send_denial_response(exc.response(cartesia_version(websocket)))
        return None
    await websocket.accept()
    request_id = str(uuid.uuid4())
    try:
        params = StreamParams.from_query(websocket.query_params)
        if turns:
            turns_model(params.model)
        return params, request_id
    except CartesiaError as exc:
        event = exc.stt_event()
        event["request_id"] = request_id
        await websocket.send_text(json.dumps(event))
        await websocket.close(guess.STT_WEBSOCKET_PARAM_CLOSE_CODE, exc.message[:120])
        return None


def _decode_frame(data: bytes, params: StreamParams) -> np.ndarray:
    if len(data) > guess.MAX_WEBSOCKET_FRAME_BYTES:
        raise AudioDecodeError(
            f"audio frame of {len(data)} bytes exceeds {guess.MAX_WEBSOCKET_FRAME_BYTES}; "
            "send audio in small chunks (e.g. 100 ms)"
        )
    samples, _ = decode(data, encoding=params.encoding, sample_rate=params.sample_rate)
    return samples


def _error(message: str, request_id: str) -> str:
    event = stt_error(message).stt_event()
    event["request_id"] = request_id
    return json.dumps(event)


class _Session(ABC):
    """One accepted STT WebSocket: its parameters, request id and recognition stream."""

    def __init__(self, websocket: WebSocket, params: StreamParams, request_id: str) -> None:
        self.websocket = websocket
        self.params = params
        self.request_id = request_id
        self.stream: StreamingRecognizer = gateway_state(websocket).recognizer.stream(
            params.sample_rate, language=params.language
        )

    async def run(self) -> None:
        await serve_frames(self.websocket, self.frame)

    async def frame(self, message: Message) -> bool:
        """Audio for binary frames, a command for text ones; True when the session should close."""
        if message.get("bytes") is not None:
            await self.audio(message["bytes"])
            return False
        return await self.command(message.get("text") or "")

    async def samples(self, data: bytes) -> np.ndarray | None:
        """The samples of an audio frame; None, after an error message, when it does not decode."""
        try:
            return _decode_frame(data, self.params)
        except AudioDecodeError as exc:
            await self.websocket.send_text(_error(str(exc), self.request_id))
            return None

    @abstractmethod
    async def audio(self, data: bytes) -> None:
        """Feed one audio frame to the recognizer and send what it heard."""

    @abstractmethod
    async def command(self, text: str) -> bool:
        """Handle a text frame; True when the session should close."""


class _ManualSession(_Session):
    """Manual-finalize transcription: deltas since the last final, whitespace kept."""

    def __init__(self, websocket: WebSocket, params: StreamParams, request_id: str) -> None:
        super().__init__(websocket, params, request_id)
        self.offset = 0.0
        self.spoke = False

    def _text(self, text: str) -> str:
        return f" {text}" if self.spoke and text else text

    def transcript(self, text: str, *, final: Transcript | None = None) -> str:
        event: dict[str, Any] = {
            "type": "transcript",
            "is_final": final is not None,
            "request_id": self.request_id,
            "text": self._text(text),
        }
        if final is not None:
            words = shift_words(final.words, self.offset)
            event["duration"] = final.duration
            event["language"] = final.language
            event["words"] = [
                {
                    "words": [w.word for w in words],
                    "start": [w.start for w in words],
                    "end": [w.end for w in words],
                }
            ]
        return json.dumps(event)

    async def finalize(self) -> None:
        final = await run_in_threadpool(self.stream.finalize)
        await self.websocket.send_text(self.transcript(final.text, final=final))
        self.offset += final.duration
        self.spoke = self.spoke or bool(final.text)

    async def command(self, text: str) -> bool:
        """Handle a text command; True when the session should close."""
        command = text.strip()
        if command == "finalize":
            await self.finalize()
            await self.websocket.send_text(
                json.dumps({"type": "flush_done", "request_id": self.request_id})
            )
        elif command in guess.STT_CLOSE_COMMANDS:
            await self.finalize()
            await self.websocket.send_text(
                json.dumps({"type": "done", "request_id": self.request_id})
            )
            await self.websocket.close(1000)
            return True
        else:
            await self.websocket.send_text(
                _error(
                    f"unknown command {command[:40]!r}: send binary audio frames, "
                    "or the text commands 'finalize' and 'close'",
                    self.request_id,
                )
            )
        return False

    async def audio(self, data: bytes) -> None:
        samples = await self.samples(data)
        if samples is None:
            return
        partial = await run_in_threadpool(self.stream.feed, samples)
        if partial:
            await self.websocket.send_text(self.transcript(partial))


async def stt_websocket(websocket: WebSocket) -> None:
    """WebSocket /stt/{account}/stt/websocket (manual finalize)."""
    opened = await _open(websocket)
    if opened is not None:
        await _ManualSession(websocket, *opened).run()


class _TurnSession(_Session):
    """Auto-finalize transcription: Silero VAD finds the turns, Whisper hears them."""

    def __init__(self, websocket: WebSocket, params: StreamParams, request_id: str) -> None:
        super().__init__(websocket, params, request_id)
        self.detector = TurnDetector(
            params.sample_rate,
            end_silence=guess.TURN_END_SILENCE_SECONDS,
            eager_end_silence=guess.TURN_EAGER_END_SILENCE_SECONDS,
        )
        self.before: deque[np.ndarray] = deque()  # the audio just before a turn starts
        self.heard = ""  # the transcript of the turn so far

    async def event(self, kind: str, **fields: Any) -> None:
        await self.websocket.send_text(
            json.dumps({"type": kind, "request_id": self.request_id, **fields})
        )

    async def end_turn(self) -> None:
        final = await run_in_threadpool(self.stream.finalize)
        self.heard = ""
        await self.event("turn.end", transcript=final.text)

    async def hear(self, samples: np.ndarray) -> None:
        partial = await run_in_threadpool(self.stream.feed, samples)
        if partial:
            self.heard = partial
            await self.event("turn.update", transcript=partial)

    async def audio(self, data: bytes) -> None:
        samples = await self.samples(data)
        if samples is None or len(samples) == 0:
            return
        was_in_turn = self.detector.in_turn
        events = await run_in_threadpool(self.detector.feed, samples)
        if was_in_turn or events:
            starting = [e for e in events if e.kind == "start"]
            if starting:
                await self.event("turn.start")
            lead = list(self.before) if starting else []
            self.before.clear()
            await self.hear(np.concatenate([*lead, samples]))
            for turn in events:
                await self.turn_event(turn)
        else:
            self.keep_before(samples)

    def keep_before(self, samples: np.ndarray) -> None:
        """Keep the last PRE_ROLL_SECONDS of audio outside turns: a turn starts a little before
        the detector is sure of it."""
        self.before.append(samples)
        keep = guess.TURN_PRE_ROLL_SECONDS * self.params.sample_rate
        while sum(len(s) for s in self.before) - len(self.before[0]) > keep:
            self.before.popleft()

    async def turn_event(self, turn: TurnEvent) -> None:
        if turn.kind == "eager_end":
            await self.event("turn.eager_end", transcript=self.heard)
        elif turn.kind == "resume":
            await self.event("turn.resume")
        elif turn.kind == "end":
            await self.end_turn()

    async def command(self, text: str) -> bool:
        """Handle a JSON command; True when the session should close."""
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        kind = body.get("type") if isinstance(body, dict) else None
        if kind == "close":
            if self.detector.in_turn:
                await self.end_turn()
            await self.websocket.close(1000)
            return True
        if kind != "config":
            await self.websocket.send_text(
                _error(
                    'send binary audio frames, or JSON commands {"type": "close"} / '
                    '{"type": "config", ...}',
                    self.request_id,
                )
            )
        return False

    async def run(self) -> None:
        await self.event("connected")
        await super().run()


async def stt_turns_websocket(websocket: WebSocket) -> None:
    """WebSocket /stt/{account}/stt/turns/websocket (auto finalize, turn events)."""
    opened = await _open(websocket, turns=True)
    if opened is not None:
        await _TurnSession(websocket, *opened).run()
