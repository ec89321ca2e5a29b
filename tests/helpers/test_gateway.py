"""ensure_gateway: a configured gateway (checked), a shared mock, or this process's own mock."""

from __future__ import annotations

import socket

import httpx
import pytest

from helpers.config import Settings
from helpers.gateway import (
    MOCK_LEARNER_KEY,
    SHARED_MOCK_VARIABLE,
    GatewayError,
    diagnose,
    ensure_gateway,
    is_mock_gateway,
)

SOMEWHERE = Settings(tfy_api_key="tfy-real-key-0123456789", gateway_base_url="https://gw.example")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_configured_gateway_that_accepts_the_key_is_returned_unchanged(gateway) -> None:
    settings = Settings(tfy_api_key=MOCK_LEARNER_KEY, gateway_base_url=gateway.url)
    assert ensure_gateway(settings) is settings


def test_a_wrong_key_stops_with_the_401_diagnosis(gateway) -> None:
    settings = Settings(tfy_api_key="not-a-real-key", gateway_base_url=gateway.url)
    with pytest.raises(GatewayError, match=r"^401 wrong key: .* put a valid TrueFoundry API key"):
        ensure_gateway(settings)


def test_a_wrong_key_for_the_shared_mock_says_to_empty_it(monkeypatch, gateway) -> None:
    monkeypatch.setenv(SHARED_MOCK_VARIABLE, gateway.url)
    with pytest.raises(GatewayError, match=r"^401 wrong key: the local mock .* empty TFY_API_KEY"):
        ensure_gateway(Settings(tfy_api_key="tfy-my-real-key-for-later"))


def test_nothing_listening_stops_with_no_connection() -> None:
    settings = SOMEWHERE.with_overrides(gateway_base_url=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(GatewayError, match=r"^no connection: nothing answers at http://127"):
        ensure_gateway(settings)


@pytest.mark.parametrize(
    ("status", "start"),
    [(403, "403 no access: "), (404, "404 wrong URL: "), (502, "502 from https://gw.example")],
)
def test_each_refusal_has_its_own_line(status: int, start: str) -> None:
    line = diagnose(httpx.Response(status, text="upstream says no"), SOMEWHERE)
    assert line.startswith(start), line
    assert "\n" not in line and "tfy-real-key-0123456789" not in line


def test_the_diagnosis_shows_one_line_in_ipython_not_a_traceback() -> None:
    error = GatewayError("401 wrong key: fix it")
    assert error._render_traceback_() == ["GatewayError: 401 wrong key: fix it"]


def test_no_gateway_starts_one_mock_per_process_with_the_learner_key(monkeypatch) -> None:
    monkeypatch.delenv(SHARED_MOCK_VARIABLE, raising=False)
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


def test_an_announced_shared_mock_is_used_and_recognized(monkeypatch, gateway) -> None:
    monkeypatch.setenv(SHARED_MOCK_VARIABLE, gateway.url)
    settings = ensure_gateway(Settings(tfy_api_key=""))
    assert settings.gateway_base_url == gateway.url
    assert is_mock_gateway(settings)


def test_a_configured_gateway_wins_over_the_shared_mock(monkeypatch, gateway) -> None:
    monkeypatch.setenv(SHARED_MOCK_VARIABLE, f"http://127.0.0.1:{closed_port()}")
    settings = Settings(tfy_api_key=MOCK_LEARNER_KEY, gateway_base_url=gateway.url)
    assert ensure_gateway(settings).gateway_base_url == gateway.url
    assert not is_mock_gateway(settings)


def test_a_vanished_shared_mock_says_restart_make_lab(monkeypatch) -> None:
    monkeypatch.setenv(SHARED_MOCK_VARIABLE, f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(GatewayError, match=r"the shared mock at .* is gone; restart `make lab`"):
        ensure_gateway(Settings(tfy_api_key=""))
