"""The mock gateway as a Starlette app: data plane (TTS, STT, models) and control plane."""

from __future__ import annotations

from starlette.applications import Starlette

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
    chat_token_ms: float | None = None,
) -> Starlette:
    """A fresh gateway app over `registry` (the default registry when None); the speech engines
    start loading in the background (once per process).

    chat_token_ms: pause before each streamed chat token (None: $MOCK_CHAT_TOKEN_MS, else 20).
    """
    engines.start_loading()
    registry = registry if registry is not None else Registry.default()
    app = Starlette(
        routes=[
            *tts_http.ROUTES,
            *stt_http.ROUTES,
            *model_list.ROUTES,
            *chat_completions.ROUTES,
            *control_plane.ROUTES,
        ],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    app.state.gateway = GatewayState(
        registry=registry,
        recognizer=Recognizer(),
        limiter=RateLimiter(registry),
        faults=FaultInjector(fault_rate, latency_ms, seed),
        chat_token_seconds=token_seconds(chat_token_ms),
    )
    return app
