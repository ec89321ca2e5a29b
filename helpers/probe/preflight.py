"""Whether the probe can run: a configured gateway, a key it accepts, a model the key may use."""

from __future__ import annotations

import httpx

from helpers.config import ConfigError, Settings, load_settings

from .calls import Calls
from .registry import body


class CannotRun(Exception):
    """The probe cannot run; the message is one line naming the fix (never the key)."""


def configured_settings() -> Settings:
    """The settings from `.env`, which must name a gateway (the mock needs no probe)."""
    try:
        settings = load_settings()
    except ConfigError as error:
        raise CannotRun(str(error)) from None
    if settings.uses_mock:
        raise CannotRun(
            "no gateway configured: set GATEWAY_BASE_URL and TFY_API_KEY in .env "
            "(the probe compares a real gateway with the mock's guesses)"
        )
    return settings


def check_access(calls: Calls) -> None:
    """GET /models with the key: reachable, key accepted, the TTS model usable."""
    settings = calls.settings
    try:
        response = calls.get("/models")
    except httpx.HTTPError as error:
        raise CannotRun(
            f"cannot reach the gateway at {settings.gateway_base_url} ({type(error).__name__}): "
            "check GATEWAY_BASE_URL"
        ) from None
    if response.status_code == 401:
        raise CannotRun(
            f"the gateway refused TFY_API_KEY ({settings.masked_key}) with 401: "
            "put a valid TrueFoundry key in .env"
        )
    if response.status_code != 200:
        raise CannotRun(
            f"GET {settings.gateway_base_url}/models answered {response.status_code}: "
            "check GATEWAY_BASE_URL (no trailing slash, e.g. https://gateway.truefoundry.ai)"
        )
    ids = {str(entry.get("id")) for entry in body(response).get("data", [])}
    model = f"{settings.provider_account}/{settings.tts_model}"
    if model not in ids:
        raise CannotRun(
            f"this key may not use {model} (GET /models does not list it): register the model "
            "or ask for access, or fix TTS_MODEL / CARTESIA_PROVIDER_ACCOUNT"
        )
