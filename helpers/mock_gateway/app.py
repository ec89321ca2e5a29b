"""The mock gateway as a Starlette app: data plane (TTS, STT, models) and control plane."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount

from . import undocumented as guess
from .cartesia.concurrency import IDLE_WEBSOCKET_SECONDS, AccountLimits, ReleaseSlots
from .chat.mock_model import token_seconds
from .gateway.faults import FaultInjector
from .gateway.rate_limits import RateLimiter
from .gateway.registry import Registry
from .gateway.state import GatewayState
from .routes import chat_completions, control_plane, model_list, stt_http, tts_http
from .routes.error_handlers import EXCEPTION_HANDLERS
from .speech import engines
from .speech.recognizer import Recognizer


def create_app(
    registry: Registry | None = None,
    *,
    fault_rate: float = 0.0,
    latency_ms: int = 0,
    seed: int = 0,
    base_path: str = "",
    concurrency_limit: int = guess.DEFAULT_CONCURRENCY_LIMIT,
    websocket_idle_seconds: float = IDLE_WEBSOCKET_SECONDS,
    chat_token_ms: float | None = None,
) -> Starlette:
    """A fresh gateway app over `registry` (the default registry when None); the speech engines
    start loading in the background (once per process).

    With `base_path` (e.g. "/api/llm", as older and self-hosted gateways have) every route is
    served both at the root and under that prefix. `concurrency_limit` (0: none) and
    `websocket_idle_seconds` are Cartesia's per-account limits. chat_token_ms: pause before
    each streamed chat token (None: $MOCK_CHAT_TOKEN_MS, else 20)."""
    engines.start_loading()
    registry = registry if registry is not None else Registry.default()
    limits = AccountLimits(concurrency_limit, websocket_idle_seconds)
    app = Starlette(
        routes=_routes(check_base_path(base_path)),
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[Middleware(ReleaseSlots, limits=limits)],
    )
    app.state.base_path = base_path
    app.state.limits = limits
    app.state.gateway = GatewayState(
        registry=registry,
        recognizer=Recognizer(),
        limiter=RateLimiter(registry),
        faults=FaultInjector(fault_rate, latency_ms, seed),
        chat_token_seconds=token_seconds(chat_token_ms),
    )
    return app


def check_base_path(base_path: str) -> str:
    """The prefix as given: empty, or a path starting with '/' and not ending with one."""
    if base_path and (
        not base_path.startswith("/") or base_path.endswith("/") or "//" in base_path
    ):
        raise ValueError(
            f"base path must start with '/' and not end with one, e.g. /api/llm; got {base_path!r}"
        )
    return base_path


def _routes(base_path: str) -> list[BaseRoute]:
    routes = [
        *tts_http.ROUTES,
        *stt_http.ROUTES,
        *model_list.ROUTES,
        *chat_completions.ROUTES,
        *control_plane.ROUTES,
    ]
    return [Mount(base_path, routes=routes), *routes] if base_path else routes
