"""ensure_gateway: the embedded mock when no gateway is configured, the real one otherwise."""

from __future__ import annotations

import httpx
import pytest

from helpers.config import Settings
from helpers.gateway import MOCK_LEARNER_KEY, ensure_gateway, is_mock_gateway

REAL = Settings(
    tfy_api_key="tfy-real-key-0123456789", gateway_base_url="https://gateway.truefoundry.ai"
)


def test_a_configured_gateway_is_returned_unchanged() -> None:
    assert ensure_gateway(REAL) is REAL
    assert not is_mock_gateway(REAL)


def test_no_gateway_starts_one_mock_per_process_with_the_learner_key(monkeypatch) -> None:
    monkeypatch.delenv("MOCK_GATEWAY_URL", raising=False)
    first = ensure_gateway(Settings(tfy_api_key=""))
    second = ensure_gateway(Settings(tfy_api_key=""))
    assert first.gateway_base_url == second.gateway_base_url
    assert first.gateway_base_url.startswith("http://127.0.0.1:")
    assert first.tfy_host == first.gateway_base_url
    assert first.tfy_api_key == MOCK_LEARNER_KEY
    assert is_mock_gateway(first)
    models = httpx.get(
        f"{first.gateway_base_url}/models", headers={"x-tfy-api-key": first.tfy_api_key}
    )
    assert models.status_code == 200


def test_make_labs_shared_mock_is_recognized(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = Settings(tfy_api_key=MOCK_LEARNER_KEY, gateway_base_url="http://127.0.0.1:8790")
    assert not is_mock_gateway(shared)
    monkeypatch.setenv("MOCK_GATEWAY_URL", "http://127.0.0.1:8790")
    assert is_mock_gateway(shared)
