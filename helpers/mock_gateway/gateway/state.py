"""The running gateway's shared state and the admission steps every data-plane call goes through."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection

from .. import undocumented as guess
from ..speech.recognizer import Recognizer
from .access import authenticate, authenticate_openai_style, authorize, model_name
from .faults import FaultInjector
from .manifests import ModelRecord
from .rate_limits import RateLimiter
from .registry import Principal, Registry
from .request_timeout import request_timeout


@dataclass
class GatewayState:
    """Registry, recognizer, rate limiter and faults."""

    registry: Registry
    recognizer: Recognizer
    limiter: RateLimiter
    faults: FaultInjector
    chat_token_seconds: float = 0.0  # pause before each streamed chat token (the LLM's pace)
    requests_seen: int = 0  # data-plane calls that reached the gateway, faulted ones included

    async def enter(
        self, headers: Headers, *, websocket: bool = False, openai_style: bool = False
    ) -> Principal:
        """First steps of any data-plane call: count it, injected latency/faults, then the key
        (openai_style: `Authorization: Bearer` as well, as on the OpenAI-compatible routes)."""
        self.requests_seen += 1
        await self.faults.apply()
        if openai_style:
            return authenticate_openai_style(self.registry, headers)
        if websocket:
            return authenticate(self.registry, headers, guess.WEBSOCKET_API_KEY_HEADER)
        return authenticate(self.registry, headers)

    def admit(
        self,
        principal: Principal,
        connection: HTTPConnection,
        model: object,
        *,
        field: str,
        model_type: str,
        account: str | None = None,
    ) -> ModelRecord:
        """Authorize the model named in the request (on `account`, else the account in its path),
        check x-tfy-request-timeout, then count the request against rate limits."""
        account = account if account is not None else connection.path_params["account"]
        headers = connection.headers
        name = model_name(model, field)
        request_timeout(headers)  # a malformed value is a 400 before any upstream work
        record = authorize(self.registry, principal, account, name, model_type)
        self.limiter.check(principal, f"{account}/{name}", headers.get("x-tfy-metadata"))
        return record


def gateway_state(connection: HTTPConnection) -> GatewayState:
    """The GatewayState of the app serving this request or WebSocket."""
    return connection.app.state.gateway
