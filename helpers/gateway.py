"""Use the configured gateway, or start the local mock when none is configured."""

from __future__ import annotations

import os
import threading

from helpers.config import Settings

MOCK_LEARNER_KEY = "tfy-mock-learner-key"
# Set by `make lab` for its kernels: the URL of the mock they all share.
SHARED_MOCK_VARIABLE = "MOCK_GATEWAY_URL"

_lock = threading.Lock()
_running = None  # the mock started by this process, shared by every later call


def ensure_gateway(settings: Settings) -> Settings:
    """Return `settings` as is for a real gateway; else start the mock once and point at it."""
    if not settings.uses_mock:
        return settings
    running = start_mock_gateway()
    return settings.with_overrides(
        gateway_base_url=running.base_url,
        tfy_host=running.url,
        tfy_api_key=settings.tfy_api_key or MOCK_LEARNER_KEY,
    )


def is_mock_gateway(settings: Settings) -> bool:
    """True when `settings` point at the mock: this process's own, or the one `make lab` shares."""
    mock_urls = {os.environ.get(SHARED_MOCK_VARIABLE, "")}
    if _running is not None:
        mock_urls.add(_running.base_url)
    return settings.gateway_base_url in mock_urls - {""}


def start_mock_gateway():
    """Start the embedded mock gateway on a free loopback port, once per process.

    `MOCK_GATEWAY_REGISTRY` may name a registry YAML to use instead of the built-in one, and
    `MOCK_GATEWAY_BASE_PATH` a prefix such as /api/llm that the gateway URL then carries.
    """
    global _running
    with _lock:
        if _running is None:
            from helpers.mock_gateway.server import start_in_thread

            registry = os.environ.get("MOCK_GATEWAY_REGISTRY") or None
            base_path = os.environ.get("MOCK_GATEWAY_BASE_PATH", "")
            _running = start_in_thread(
                host="127.0.0.1", port=0, registry_file=registry, base_path=base_path
            )
        return _running
