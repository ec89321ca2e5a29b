"""LLM_MODEL: the voice agent's chat model, an `account/model` id; and the chat client it feeds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.clients import chat_client
from helpers.config import VARIABLES, ConfigError, Settings, load_settings


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    monkeypatch.setattr(os, "environ", environment)


def test_default_is_the_mocks_chat_model(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LLM_MODEL=\n")
    assert load_settings(tmp_path / ".env").llm_model == "openai-main/mock-chat"


def test_value_from_env_file_is_used_and_shown(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LLM_MODEL=openai-main/gpt-4o-mini\n")
    settings = load_settings(tmp_path / ".env")
    assert settings.llm_model == "openai-main/gpt-4o-mini"
    assert "llm_model=openai-main/gpt-4o-mini" in repr(settings)


@pytest.mark.parametrize("model", ["gpt-4o-mini", "/gpt-4o", "openai-main/", " / "])
def test_a_model_without_its_account_names_the_fix(model: str) -> None:
    with pytest.raises(ConfigError, match="account/model") as caught:
        Settings(tfy_api_key="k", llm_model=model)
    assert "openai-main/gpt-4o-mini" in str(caught.value)


def test_chat_client_uses_the_gateway_root_and_the_key_as_bearer() -> None:
    settings = Settings(
        tfy_api_key="tfy-key-1234", gateway_base_url="https://gw.example.com/api/llm"
    )
    client = chat_client(settings)
    assert str(client.base_url).rstrip("/") == "https://gw.example.com/api/llm"
    assert client.auth_headers["Authorization"] == "Bearer tfy-key-1234"
    assert "tfy-key-1234" not in repr(settings)
