"""Cartesia TTS through the gateway: /tts/{account}/tts/bytes, /tts/sse and /tts/websocket."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute

from .. import undocumented as guess
from ..cartesia.concurrency import account_limits
from ..cartesia.errors import engine_failure, invalid_request
from ..cartesia.stream_events import done_event, sentence_events
from ..cartesia.tts_request import TTSRequest, tts_request
from ..cartesia.voice_lookup import resolve_voice, speech_options
from ..gateway.manifests import TTS_MODEL_TYPE
from ..gateway.request_bodies import parse_json_object, read_body
from ..gateway.request_timeout import within_request_timeout
from ..gateway.response_headers import resolved_model, server_timing
from ..gateway.state import gateway_state
from ..speech.audio_encoding import encode, encode_raw_chunk, media_type, wav_stream_header
from ..speech.synthesizer import synthesize, synthesize_stream
from ..speech.timed_speech import Speech
from .tts_websocket import tts_websocket


async def _tts_request(
    request: Request, *, containers: tuple[str, ...]
) -> tuple[TTSRequest, dict[str, str]]:
    """Gateway checks then Cartesia's request validation, shared by /bytes and /sse; the request
    and the gateway's response headers."""
    state = gateway_state(request)
    principal = await state.enter(request.headers)
    body = parse_json_object(await read_body(request, guess.MAX_JSON_BODY_BYTES))
    record = state.admit(
        principal, request, body.get("model_id"), field="model_id", model_type=TTS_MODEL_TYPE
    )
    req = tts_request(body, containers=containers)
    account_limits(request).take(request.scope, request.path_params["account"])
    if not req.transcript.strip():
        raise invalid_request("'transcript' must not be empty", doc_url=guess.TTS_DOC_URL)
    return req, resolved_model(record)


async def _first_piece(request: Request, pieces: Iterator[Speech]) -> Speech | None:
    """The first spoken sentence, before any response is sent: x-tfy-request-timeout bounds it,
    and a failure is still a proper HTTP error."""
    try:
        return await within_request_timeout(request.headers, _next_piece(pieces))
    except ValueError as exc:
        raise invalid_request(str(exc), doc_url=guess.TTS_DOC_URL) from None


async def _next_piece(pieces: Iterator[Speech]) -> Speech | None:
    return await run_in_threadpool(next, pieces, None)


async def tts_bytes(request: Request) -> Response:
    """POST /tts/{account}/tts/bytes: raw and WAV stream as the speech is made; MP3 comes whole."""
    started = time.perf_counter()
    req, headers = await _tts_request(request, containers=("raw", "wav", "mp3"))
    voice = resolve_voice(req.voice_id)
    if req.save:
        headers["Cartesia-File-ID"] = str(uuid.uuid4())
    kind = media_type(req.output_format)
    if req.output_format.container in guess.STREAMED_BYTES_CONTAINERS:
        pieces = synthesize_stream(req.transcript, **speech_options(req, voice))
        first = await _first_piece(request, pieces)

        async def body() -> AsyncIterator[bytes]:
            if req.output_format.container == "wav":
                yield wav_stream_header(req.output_format)
            piece = first
            while piece is not None:
                yield encode_raw_chunk(piece.samples, piece.sample_rate, req.output_format)
                piece = await _next_piece(pieces)

        return StreamingResponse(body(), media_type=kind, headers=headers)
    work = run_in_threadpool(synthesize, req.transcript, **speech_options(req, voice))
    speech = await within_request_timeout(request.headers, work)
    audio = await run_in_threadpool(encode, speech.samples, speech.sample_rate, req.output_format)
    return Response(audio, media_type=kind, headers={**headers, **server_timing(started)})


def _sse(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()


async def tts_sse(request: Request) -> Response:
    """POST /tts/{account}/tts/sse: chunks of each sentence as soon as it is spoken, then done."""
    req, headers = await _tts_request(request, containers=("raw",))
    voice = resolve_voice(req.voice_id)
    pieces = synthesize_stream(req.transcript, **speech_options(req, voice))
    started = time.perf_counter()
    first = await _first_piece(request, pieces)

    async def events() -> AsyncIterator[bytes]:
        nonlocal started
        piece = first
        while piece is not None:
            messages = sentence_events(
                piece,
                req.output_format,
                step_ms=(time.perf_counter() - started) * 1000,
                add_timestamps=req.add_timestamps,
                add_phoneme_timestamps=req.add_phoneme_timestamps,
                context_id=req.context_id,
            )
            for message in messages:
                yield _sse(message)
            started = time.perf_counter()
            try:
                piece = await _next_piece(pieces)
            except ValueError as exc:
                yield _sse(invalid_request(str(exc)).event(context_id=req.context_id))
                return
            except Exception as exc:  # an engine bug: tell the client, keep serving
                yield _sse(engine_failure(exc).event(context_id=req.context_id))
                return
        yield _sse(done_event(req.context_id))

    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


ROUTES = [
    Route("/tts/{account}/tts/bytes", tts_bytes, methods=["POST"]),
    Route("/tts/{account}/tts/sse", tts_sse, methods=["POST"]),
    WebSocketRoute("/tts/{account}/tts/websocket", tts_websocket),
]
