"""OpenAI's 400 for a chat request it refuses, as the gateway passes it on to the caller."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from .. import undocumented as guess


class ChatRequestError(Exception):
    """OpenAI's 400 for a request it refuses, as the gateway passes it on."""

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message, self.param, self.code = message, param, code

    def body(self) -> dict[str, Any]:
        error = {"message": self.message, "type": "invalid_request_error"}
        return {
            "status": "failure",
            "message": self.message,
            "error": {**error, "param": self.param, "code": self.code},
            "error_origin_level": guess.CHAT_UPSTREAM_ERROR_ORIGIN,
            "provider": guess.CHAT_UPSTREAM_PROVIDER,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=400)
