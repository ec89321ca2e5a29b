"""Errors of Cartesia's API (bad request fields, unknown voice), in Cartesia's shapes."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from starlette.responses import JSONResponse

from .. import undocumented as guess

log = logging.getLogger(__name__)


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

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status)

    def event(self, *, context_id: str | None = None) -> dict[str, Any]:
        """The same error as an SSE or TTS WebSocket `error` event (done is always true)."""
        event = {"type": "error", "done": True, "status_code": self.status, **self.body()}
        if self.error_code is None:
            event.pop("error_code")
        if context_id is not None:
            event["context_id"] = context_id
        return event

    def stt_event(self) -> dict[str, Any]:
        """The same error as an STT WebSocket `STTErrorResponse`."""
        event = {"type": "error", "status_code": self.status, **self.body()}
        if self.error_code is None:
            event.pop("error_code")
        return event


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
