"""Errors of Cartesia's API (bad request fields, unknown voice), in Cartesia's shapes."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response

from .. import undocumented as guess

log = logging.getLogger(__name__)

CARTESIA_VERSION_HEADER = "cartesia-version"
JSON_ERRORS_SINCE = "2026-03-01"  # [doc] error bodies are JSON from this Cartesia-Version on
_DATED_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}")


def json_errors(version: str | None) -> bool:
    """Whether Cartesia answers a JSON error body (else plain text) for this Cartesia-Version."""
    if not version or not _DATED_VERSION.fullmatch(version):
        return guess.UNDATED_VERSION_JSON_ERRORS
    return version >= JSON_ERRORS_SINCE or not guess.OLD_VERSION_PLAIN_TEXT_ERRORS


class CartesiaError(Exception):
    """An error Cartesia's API raises (bad request fields, unknown voice), in Cartesia's shape."""

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        *,
        error_code: str | None = guess.INVALID_REQUEST_CODE,
        doc_url: str | None = None,
    ) -> None:
        super().__init__(f"{title}: {message}")
        self.status = status
        self.title = title
        self.message = message
        self.error_code = error_code
        self.doc_url = doc_url
        self.request_id = str(uuid.uuid4())
        self.headers: dict[str, str] = {}

    def body(self) -> dict[str, Any]:
        """Cartesia's HTTP error object: error_code, title, message, request_id[, doc_url]."""
        body: dict[str, Any] = {
            "error_code": self.error_code,
            "title": self.title,
            "message": self.message,
            "request_id": self.request_id,
        }
        if self.doc_url:
            body["doc_url"] = self.doc_url
        return body

    def response(self, version: str | None = None) -> Response:
        """The HTTP answer, shaped by the Cartesia-Version in effect: JSON, or `Title: Message`."""
        if json_errors(version):
            return JSONResponse(self.body(), status_code=self.status, headers=self.headers)
        return PlainTextResponse(
            f"{self.title}: {self.message}",
            status_code=self.status,
            headers=self.headers,
            media_type=guess.PLAIN_TEXT_ERROR_MEDIA_TYPE,
        )

    def event(self, *, context_id: str | None = None) -> dict[str, Any]:
        """The same error as an SSE or WebSocket `error` message, every documented field:
        type, done (true), status_code, error_code (may be null), title, message, request_id,
        doc_url and context_id when known [doc]."""
        event = {"type": "error", "done": True, "status_code": self.status, **self.body()}
        if context_id is not None:
            event["context_id"] = context_id
        return event

    def stt_event(self) -> dict[str, Any]:
        """The same error as an STT WebSocket `STTErrorResponse` (plus done, as documented)."""
        return self.event()


def invalid_request(message: str, *, doc_url: str | None = None) -> CartesiaError:
    """A request that breaks Cartesia's request schema; the message names the field."""
    return CartesiaError(
        guess.INVALID_REQUEST_STATUS, guess.INVALID_REQUEST_TITLE, message, doc_url=doc_url
    )


def engine_failure(exc: Exception) -> CartesiaError:
    """A bug of the mock's speech engine met mid-stream: a 500 error event, logged."""
    log.error("mock speech engine failed", exc_info=exc)
    return CartesiaError(
        500,
        "Internal error",
        f"The mock's speech engine failed ({type(exc).__name__}); please report this input.",
        error_code="internal_error",
    )
