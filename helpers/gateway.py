"""Use the configured gateway, or a local mock when none is configured; check the key first."""

from __future__ import annotations

import os
import threading
from typing import TypedDict

import httpx

from helpers.config import Settings
from helpers.error_lines import OneLineError, show_api_errors_in_one_line

MOCK_LEARNER_KEY = "tfy-mock-learner-key"
# Set by `make lab` (and by the test session) for the kernels: "a shared mock is here". It is
# used only while `.env` names no gateway, so a `.env` naming one always wins.
SHARED_MOCK_VARIABLE = "GUIDE_SHARED_MOCK_URL"
CHECK_TIMEOUT_SECONDS = 10.0

_lock = threading.Lock()
_running = None  # the mock started by this process, shared by every later call


class GatewayError(OneLineError, ConnectionError):
    """The gateway refused the key or did not answer; the message says what to change."""


def ensure_gateway(settings: Settings) -> Settings:
    """Point `settings` at a gateway that accepts the key, or raise GatewayError with the fix.

    A gateway named in the settings wins; else the shared mock of `make lab` or of the test
    session, if one is announced; else this process starts its own embedded mock. In IPython,
    a refused SDK call then shows as one line with its fix.
    """
    show_api_errors_in_one_line()
    if settings.uses_mock:
        shared = os.environ.get(SHARED_MOCK_VARIABLE, "")
        if shared:  # the gateway's URL (with MOCK_GATEWAY_BASE_PATH); the control plane's, without
            base_url = shared
            control_plane = shared.removesuffix(mock_options()["base_path"])
        else:
            own = start_mock_gateway()
            base_url, control_plane = own.base_url, own.url  # with MOCK_GATEWAY_BASE_PATH, if set
        settings = settings.with_overrides(
            gateway_base_url=base_url,
            tfy_host=control_plane,
            tfy_api_key=settings.tfy_api_key or MOCK_LEARNER_KEY,
        )
        if not shared:
            return settings  # this process's own mock, started just now
    check_connection(settings)
    return settings


def check_connection(settings: Settings) -> None:
    """`GET {gateway}/models` with the key; raise GatewayError with a one-line diagnosis."""
    url = f"{settings.gateway_base_url}/models"
    try:
        response = httpx.get(
            url, headers={"x-tfy-api-key": settings.tfy_api_key}, timeout=CHECK_TIMEOUT_SECONDS
        )
    except httpx.TimeoutException:
        raise GatewayError(
            f"timeout: {settings.gateway_base_url} did not answer in "
            f"{CHECK_TIMEOUT_SECONDS:.0f} s; check GATEWAY_BASE_URL in .env and your network"
        ) from None
    except httpx.TransportError:
        raise GatewayError(_no_connection(settings)) from None
    problem = diagnose(response, settings)
    if problem:
        raise GatewayError(problem)


def diagnose(response: httpx.Response, settings: Settings) -> str | None:
    """What a `GET /models` answer other than 200 means, and the fix; None when it is 200."""
    status, key = response.status_code, settings.masked_key
    if status == 200:
        return None
    if status == 401 and is_mock_gateway(settings):
        return (
            f"401 wrong key: the local mock does not know TFY_API_KEY {key}; "
            "empty TFY_API_KEY in .env (the mock's own key is used) and restart the kernel"
        )
    if status == 401:
        return (
            f"401 wrong key: the gateway does not accept TFY_API_KEY {key}; "
            "put a valid TrueFoundry API key in .env and restart the kernel"
        )
    if status == 403:
        return (
            f"403 no access: the key {key} is valid but may not use this gateway; "
            "ask a tenant admin for access, or put another key in TFY_API_KEY"
        )
    if status == 404:
        return (
            f"404 wrong URL: {settings.gateway_base_url} is not the gateway's base URL; "
            "copy GATEWAY_BASE_URL again from the dashboard"
        )
    return f"{status} from {settings.gateway_base_url}/models: {response.text[:120]}"


def _no_connection(settings: Settings) -> str:
    if settings.gateway_base_url == os.environ.get(SHARED_MOCK_VARIABLE):
        return (
            f"no connection: the shared mock at {settings.gateway_base_url} is gone; "
            "restart `make lab`"
        )
    return (
        f"no connection: nothing answers at {settings.gateway_base_url}; "
        "check GATEWAY_BASE_URL in .env, your VPN or proxy"
    )


def is_mock_gateway(settings: Settings) -> bool:
    """True when `settings` point at a mock: this process's own, or the shared one."""
    mock_urls = {os.environ.get(SHARED_MOCK_VARIABLE, "")}
    if _running is not None:
        mock_urls.add(_running.base_url)
    return settings.gateway_base_url in mock_urls - {""}


class MockOptions(TypedDict):
    """What the environment says about the embedded mock."""

    registry_file: str | None
    base_path: str


def mock_options() -> MockOptions:
    """The embedded mock's options from the environment: `MOCK_GATEWAY_REGISTRY` may name a
    registry YAML instead of the built-in one, `MOCK_GATEWAY_BASE_PATH` a prefix such as /api/llm
    that the gateway URL then carries."""
    return MockOptions(
        registry_file=os.environ.get("MOCK_GATEWAY_REGISTRY") or None,
        base_path=os.environ.get("MOCK_GATEWAY_BASE_PATH", ""),
    )


def start_mock_gateway():
    """Start the embedded mock gateway (see mock_options) on a free loopback port, once per
    process."""
    global _running
    with _lock:
        if _running is None:
            from helpers.mock_gateway.server import start_in_thread

            _running = start_in_thread(host="127.0.0.1", port=0, **mock_options())
        return _running
