"""The running gateway's shared state and the admission steps every data-plane call goes through."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection

from .. import undocumented as guess
from ..speech.recognizer import Recognizer
from .access import authenticate, authorize, model_name
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
    requests_seen: int = 0  # data-plane calls that reached the gateway, faulted ones included

    async def enter(self, headers: Headers, *, websocket: bool = False) -> Principal:
        """First steps of any data-plane call: count it, injected latency/faults, then the key."""
        self.requests_seen += 1
        await self.faults.apply()
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
    ) -> ModelRecord:
        """Authorize the model named in the request (on the account in its path), check
        x-tfy-request-timeout, then count the request against rate limits."""
        account, headers = connection.path_params["account"], connection.headers
        name = model_name(model, field)
        request_timeout(headers)  # a malformed value is a 400 before any upstream work
        record = authorize(self.registry, principal, account, name, model_type)
        self.limiter.check(principal, f"{account}/{name}", headers.get("x-tfy-metadata"))
        return record


def gateway_state(connection: HTTPConnection) -> GatewayState:
    """The GatewayState of the app serving this request or WebSocket."""
    return connection.app.state.gateway
