"""The mock gateway as a Starlette app: data plane (TTS, STT, models) and control plane."""

from __future__ import annotations

from starlette.applications import Starlette

from . import chat_completions, control_plane, models, stt, tts
from .errors import EXCEPTION_HANDLERS
from .limits import FaultInjector, RateLimiter
from .recognizer import Recognizer
from .registry import Registry
from .state import GatewayState


def create_app(
    registry: Registry | None = None,
    *,
    fault_rate: float = 0.0,
    latency_ms: int = 0,
    seed: int = 0,
    chat_token_ms: float | None = None,
) -> Starlette:
    """A fresh gateway app over `registry` (the default registry when None).

    chat_token_ms: pause before each streamed chat token (None: $MOCK_CHAT_TOKEN_MS, else 20).
    """
    registry = registry if registry is not None else Registry.default()
    app = Starlette(
        routes=[
            *tts.ROUTES,
            *stt.ROUTES,
            *models.ROUTES,
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
        chat_token_seconds=chat_completions.token_seconds(chat_token_ms),
    )
    return app
