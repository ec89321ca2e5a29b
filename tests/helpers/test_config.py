"""Settings: every error path names its fix, and the key never shows in full."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.config import VARIABLES, ConfigError, Settings, load_settings, mask_key

KEY = "tfy-test-0123456789abcdef"


def write_env(tmp_path: Path, **values: str) -> Path:
    path = tmp_path / ".env"
    path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return path


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """load_settings writes `.env` into os.environ: give each test a copy without our variables."""
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    monkeypatch.setattr(os, "environ", environment)


def test_empty_env_file_means_mock_with_documented_defaults(tmp_path: Path) -> None:
    settings = load_settings(write_env(tmp_path))
    assert settings.uses_mock
    assert (settings.provider_account, settings.tts_model, settings.stt_model) == (
        "cartesia-main",
        "sonic-3.5",
        "ink-2",
    )
    assert settings.voice_id == "a0e99841-438c-4a64-b679-ae501e7d6091"


def test_values_from_env_file_build_the_gateway_routes(tmp_path: Path) -> None:
    env = write_env(
        tmp_path,
        TFY_API_KEY=KEY,
        GATEWAY_BASE_URL="https://gateway.truefoundry.ai",
        CARTESIA_PROVIDER_ACCOUNT="voice-prod",
    )
    settings = load_settings(env)
    assert settings.tts_base_url == "https://gateway.truefoundry.ai/tts/voice-prod"
    assert settings.stt_base_url == "https://gateway.truefoundry.ai/stt/voice-prod"
    assert settings.tts_websocket_base_url == "wss://gateway.truefoundry.ai/tts/voice-prod"
    assert settings.stt_websocket_base_url == "wss://gateway.truefoundry.ai/stt/voice-prod"


def test_environment_variables_override_the_env_file(tmp_path) -> None:
    env = write_env(tmp_path, TFY_API_KEY=KEY, GATEWAY_BASE_URL="https://gateway.truefoundry.ai")
    os.environ["GATEWAY_BASE_URL"] = ""
    assert load_settings(env).uses_mock


def test_env_file_reaches_the_environment_for_optional_variables(tmp_path) -> None:
    load_settings(write_env(tmp_path, TFY_ADMIN_API_KEY="tfy-admin-0123456789"))
    assert os.environ["TFY_ADMIN_API_KEY"] == "tfy-admin-0123456789"


def test_local_http_gateway_maps_to_ws() -> None:
    settings = Settings(tfy_api_key=KEY, gateway_base_url="http://127.0.0.1:8790")
    assert settings.tts_websocket_base_url == "ws://127.0.0.1:8790/tts/cartesia-main"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"GATEWAY_BASE_URL": "https://gateway.truefoundry.ai"},
            "TFY_API_KEY is missing: put your TrueFoundry API key in .env "
            "(or leave GATEWAY_BASE_URL empty to use the local mock gateway).",
        ),
        (
            {"TFY_API_KEY": KEY, "GATEWAY_BASE_URL": "https://gateway.truefoundry.ai/"},
            "GATEWAY_BASE_URL ends with '/': remove the trailing slash (https://gateway.truefoundry.ai).",
        ),
        (
            {"TFY_API_KEY": KEY, "GATEWAY_BASE_URL": "gateway.truefoundry.ai"},
            "GATEWAY_BASE_URL must start with https:// (or http:// for a local server): "
            "'gateway.truefoundry.ai'.",
        ),
        (
            {"TFY_HOST": "https://acme.truefoundry.cloud/"},
            "TFY_HOST ends with '/': remove the trailing slash (https://acme.truefoundry.cloud).",
        ),
        (
            {"TFY_HOST": "acme.truefoundry.cloud"},
            "TFY_HOST must start with https:// (or http:// for a local server): "
            "'acme.truefoundry.cloud'.",
        ),
        (
            {"CARTESIA_PROVIDER_ACCOUNT": "cartesia-main/sonic-3.5"},
            "CARTESIA_PROVIDER_ACCOUNT must be the account's bare name, e.g. 'cartesia-main', "
            "not 'cartesia-main/sonic-3.5': remove the '/' and anything after it.",
        ),
    ],
)
def test_each_bad_setting_gets_one_line_naming_the_fix(tmp_path, values, message) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(write_env(tmp_path, **values))
    assert str(error.value) == message
    assert "\n" not in str(error.value)
    assert KEY not in str(error.value)


def test_gateway_routes_without_a_gateway_say_how_to_start_the_mock() -> None:
    with pytest.raises(ConfigError, match=r"call helpers\.gateway\.ensure_gateway\(settings\)"):
        _ = Settings(tfy_api_key="").tts_base_url


def test_key_is_masked_in_repr_and_str() -> None:
    settings = Settings(tfy_api_key=KEY, gateway_base_url="https://gateway.truefoundry.ai")
    for text in (repr(settings), str(settings), f"{settings}", repr([settings])):
        assert KEY not in text
        assert mask_key(KEY) in text
    assert mask_key(KEY) == "tfy-…(25 chars)"
    assert mask_key("") == "<not set>"


def test_settings_are_frozen() -> None:
    settings = Settings(tfy_api_key=KEY)
    with pytest.raises(AttributeError):
        settings.tfy_api_key = "other"  # type: ignore[misc]


def test_overrides_are_validated_again() -> None:
    settings = Settings(tfy_api_key=KEY)
    with pytest.raises(ConfigError, match="trailing slash"):
        settings.with_overrides(gateway_base_url="http://127.0.0.1:8790/")
