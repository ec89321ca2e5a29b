"""Cartesia STT through the gateway: batch POST /stt/{account}/stt (multipart upload)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from . import undocumented as guess
from .audio_decoding import decode_upload
from .audio_encoding import UPLOAD_ENCODINGS, AudioDecodeError
from .errors import CartesiaError, GatewayError, invalid_request, read_body
from .limits import within_request_timeout
from .recognizer import Transcript
from .state import gateway_state
from .stt_websocket import stt_turns_websocket, stt_websocket
from .validation import STT_LANGUAGES

STT_MODEL_TYPE = "audio_transcription"


def stt_error(message: str) -> CartesiaError:
    return invalid_request(message, doc_url=guess.STT_DOC_URL)


def audio_error(message: str) -> CartesiaError:
    return CartesiaError(
        guess.INVALID_AUDIO_STATUS,
        guess.INVALID_AUDIO_TITLE,
        message,
        error_code=guess.INVALID_AUDIO_CODE,
        doc_url=guess.STT_DOC_URL,
    )


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


async def _form(request: Request) -> FormData:
    """The multipart body, read with the upload limit; the gateway needs it to find `model`."""
    raw = await read_body(request, guess.MAX_UPLOAD_BYTES)
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise GatewayError(
            400,
            guess.NOT_MULTIPART_MESSAGE.format(got=repr(content_type or "none")),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    try:
        return await Request(request.scope, replay).form(max_files=1, max_fields=50)
    except Exception as exc:  # multipart parser errors of every kind
        raise GatewayError(
            400,
            guess.MALFORMED_MULTIPART_MESSAGE.format(detail=exc),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        ) from None


def _query(request: Request) -> tuple[str | None, int | None]:
    encoding = request.query_params.get("encoding")
    if encoding is not None and encoding not in UPLOAD_ENCODINGS:
        raise stt_error(
            f"'encoding' must be one of {', '.join(UPLOAD_ENCODINGS)}; got {encoding!r}"
        )
    raw_rate = request.query_params.get("sample_rate")
    rate = None
    if raw_rate is not None:
        if not raw_rate.isdigit() or int(raw_rate) <= 0:
            raise stt_error(f"'sample_rate' must be a positive integer (Hz); got {raw_rate!r}")
        rate = int(raw_rate)
    return encoding, rate


async def stt_transcribe(request: Request) -> Response:
    """POST /stt/{account}/stt: transcribe a recording (M4A, WebM, OGG, MP3, FLAC, WAV) or PCM."""
    state = gateway_state(request)
    principal = await state.enter(request.headers)
    form = await _form(request)
    state.admit(principal, request, form.get("model"), field="model", model_type=STT_MODEL_TYPE)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise stt_error("'file' is required: upload the audio as a file part named 'file'")
    language = form.get("language") or "en"
    if language not in STT_LANGUAGES:
        raise stt_error(f"'language' {language!r} is not an ISO-639-1 code Cartesia STT accepts")
    granularities = form.getlist("timestamp_granularities[]")
    for value in granularities:
        if value != "word":
            raise stt_error(f"'timestamp_granularities[]' accepts only 'word'; got {value!r}")
    encoding, rate = _query(request)
    data = await upload.read()
    try:
        samples, sample_rate = await run_in_threadpool(
            decode_upload, data, encoding=encoding, sample_rate=rate
        )
    except AudioDecodeError as exc:
        raise audio_error(str(exc)) from None
    work = run_in_threadpool(
        state.recognizer.transcribe, samples, sample_rate, language=str(language)
    )
    transcript = await within_request_timeout(request.headers, work)
    body = transcript_body(transcript, language=str(language), words=bool(granularities))
    return JSONResponse(body)


ROUTES = [
    Route("/stt/{account}/stt", stt_transcribe, methods=["POST"]),
    WebSocketRoute("/stt/{account}/stt/websocket", stt_websocket),
    WebSocketRoute("/stt/{account}/stt/turns/websocket", stt_turns_websocket),
]
