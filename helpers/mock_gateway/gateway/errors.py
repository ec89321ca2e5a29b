"""The gateway's own errors (keys, access, limits, bodies), sent with TrueFoundry's error body."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from .. import undocumented as guess


class GatewayError(Exception):
    """An error the gateway itself raises (auth, access, limits), sent with TrueFoundry's body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str = "Error",
        origin: str = guess.GATEWAY_ORIGIN,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.origin = origin
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """TrueFoundry's error body: status, message, error {message, type, code}, origin [seen]."""
        return {
            "status": "failure",
            "message": self.message,
            "error": {"message": self.message, "type": self.error_type, "code": str(self.status)},
            "error_origin_level": self.origin,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)
