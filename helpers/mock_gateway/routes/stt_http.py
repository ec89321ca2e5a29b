"""Cartesia STT through the gateway: batch POST /stt/{account}/stt (multipart upload)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from ..cartesia.stt_request import (
    audio_error,
    sample_rate,
    stt_error,
    stt_language,
    upload_encoding,
    word_timestamps,
)
from ..gateway.manifests import STT_MODEL_TYPE
from ..gateway.request_bodies import read_form
from ..gateway.request_timeout import within_request_timeout
from ..gateway.state import gateway_state
from ..speech.audio_decoding import decode_upload
from ..speech.audio_encoding import AudioDecodeError
from ..speech.whisper_stt import Transcript
from .stt_websocket import stt_turns_websocket, stt_websocket


def transcript_body(transcript: Transcript, *, language: str, words: bool) -> dict[str, Any]:
    """STTTranscribeResponse: `language` is the one the request specified (default en) [sdk];
    words only when timestamp_granularities[] asked for them."""
    body: dict[str, Any] = {
        "type": "transcript",
        "text": transcript.text,
        "language": language,
        "duration": transcript.duration,
        "request_id": str(uuid.uuid4()),
    }
    if words:
        body["words"] = [{"word": w.word, "start": w.start, "end": w.end} for w in transcript.words]
    return body


async def stt_transcribe(request: Request) -> Response:
    """POST /stt/{account}/stt: transcribe a recording (M4A, WebM, OGG, MP3, FLAC, WAV) or PCM."""
    state = gateway_state(request)
    principal = await state.enter(request.headers)
    form = await read_form(request)
    state.admit(principal, request, form.get("model"), field="model", model_type=STT_MODEL_TYPE)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise stt_error("'file' is required: upload the audio as a file part named 'file'")
    language = stt_language(form.get("language"))
    words = word_timestamps(
        [v for v in form.getlist("timestamp_granularities[]") if isinstance(v, str)]
    )
    encoding = upload_encoding(request.query_params.get("encoding"))
    rate = sample_rate(request.query_params.get("sample_rate"))
    data = await upload.read()
    try:
        samples, sample_rate_hz = await run_in_threadpool(
            decode_upload, data, encoding=encoding, sample_rate=rate
        )
    except AudioDecodeError as exc:
        raise audio_error(str(exc)) from None
    work = run_in_threadpool(
        state.recognizer.transcribe, samples, sample_rate_hz, language=language
    )
    transcript = await within_request_timeout(request.headers, work)
    return JSONResponse(transcript_body(transcript, language=language, words=words))


ROUTES = [
    Route("/stt/{account}/stt", stt_transcribe, methods=["POST"]),
    WebSocketRoute("/stt/{account}/stt/websocket", stt_websocket),
    WebSocketRoute("/stt/{account}/stt/turns/websocket", stt_turns_websocket),
]
