"""Settings for the notebooks: read `.env`, validate, and never show the key in full."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from dotenv import find_dotenv, load_dotenv

from helpers.error_lines import OneLineError

DEFAULT_PROVIDER_ACCOUNT = "cartesia-main"
DEFAULT_TTS_MODEL = "sonic-3.5"
DEFAULT_STT_MODEL = "ink-2"
DEFAULT_VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
DEFAULT_LLM_MODEL = "openai-main/mock-chat"  # the mock's chat model (notebook 08)

VARIABLES = (
    "TFY_API_KEY",
    "GATEWAY_BASE_URL",
    "CARTESIA_PROVIDER_ACCOUNT",
    "TTS_MODEL",
    "STT_MODEL",
    "VOICE_ID",
    "TFY_HOST",
    "LLM_MODEL",
)


class ConfigError(OneLineError, ValueError):
    """A setting is missing or malformed; the message names the fix."""


def mask_key(key: str) -> str:
    """Show a key as its first characters and its length, never in full."""
    if not key:
        return "<not set>"
    return f"{key[:4]}…({len(key)} chars)"


@dataclass(frozen=True)
class Settings:
    """Everything a notebook needs to reach Cartesia through the gateway."""

    tfy_api_key: str = field(repr=False)
    gateway_base_url: str = ""
    provider_account: str = DEFAULT_PROVIDER_ACCOUNT
    tts_model: str = DEFAULT_TTS_MODEL
    stt_model: str = DEFAULT_STT_MODEL
    voice_id: str = DEFAULT_VOICE_ID
    tfy_host: str = ""
    llm_model: str = DEFAULT_LLM_MODEL

    def __post_init__(self) -> None:
        _check_url("GATEWAY_BASE_URL", self.gateway_base_url)
        _check_url("TFY_HOST", self.tfy_host)
        _check_account(self.provider_account)
        _check_llm_model(self.llm_model)
        if self.gateway_base_url and not self.tfy_api_key:
            raise ConfigError(
                "TFY_API_KEY is missing: put your TrueFoundry API key in .env "
                "(or leave GATEWAY_BASE_URL empty to use the local mock gateway)."
            )

    def __repr__(self) -> str:
        target = self.gateway_base_url or "<embedded mock, not started>"
        return (
            f"Settings(gateway={target}, account={self.provider_account}, "
            f"tts_model={self.tts_model}, stt_model={self.stt_model}, "
            f"voice_id={self.voice_id}, tfy_host={self.tfy_host or '<not set>'}, "
            f"llm_model={self.llm_model}, "
            f"tfy_api_key={mask_key(self.tfy_api_key)})"
        )

    __str__ = __repr__

    @property
    def uses_mock(self) -> bool:
        """True until a gateway URL is configured or the embedded mock is started."""
        return not self.gateway_base_url

    @property
    def masked_key(self) -> str:
        return mask_key(self.tfy_api_key)

    @property
    def tts_base_url(self) -> str:
        """The `base_url` for AsyncCartesia's TTS calls: `{gateway}/tts/{account}`."""
        return f"{self._require_gateway()}/tts/{self.provider_account}"

    @property
    def stt_base_url(self) -> str:
        """The `base_url` for AsyncCartesia's STT calls: `{gateway}/stt/{account}`."""
        return f"{self._require_gateway()}/stt/{self.provider_account}"

    @property
    def chat_base_url(self) -> str:
        """The `base_url` for the OpenAI SDK: the gateway base URL itself [TrueFoundry docs]."""
        return self._require_gateway()

    @property
    def tts_websocket_base_url(self) -> str:
        """The TTS base URL with a WebSocket scheme (the SDK would force `wss://` otherwise)."""
        return to_websocket_url(self.tts_base_url)

    @property
    def stt_websocket_base_url(self) -> str:
        """The STT base URL with a WebSocket scheme."""
        return to_websocket_url(self.stt_base_url)

    def with_overrides(self, **changes: str) -> Settings:
        """A copy with some fields changed, validated again."""
        return replace(self, **changes)

    def _require_gateway(self) -> str:
        if not self.gateway_base_url:
            raise ConfigError(
                "GATEWAY_BASE_URL is empty: call helpers.gateway.ensure_gateway(settings) "
                "to start the local mock, or set GATEWAY_BASE_URL in .env."
            )
        return self.gateway_base_url


def to_websocket_url(url: str) -> str:
    """Map `http://` to `ws://` and `https://` to `wss://`."""
    scheme, rest = url.split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}"


def load_settings(env_file: str | os.PathLike[str] | None = None) -> Settings:
    """Load `.env` (searched upwards from the cwd) into the environment, then read the settings.

    Variables already set in the environment win over `.env`, as with python-dotenv.
    """
    path = env_file if env_file is not None else find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)
    values = {name: os.environ.get(name, "").strip() for name in VARIABLES}
    return Settings(
        tfy_api_key=values["TFY_API_KEY"],
        gateway_base_url=values["GATEWAY_BASE_URL"],
        provider_account=values["CARTESIA_PROVIDER_ACCOUNT"] or DEFAULT_PROVIDER_ACCOUNT,
        tts_model=values["TTS_MODEL"] or DEFAULT_TTS_MODEL,
        stt_model=values["STT_MODEL"] or DEFAULT_STT_MODEL,
        voice_id=values["VOICE_ID"] or DEFAULT_VOICE_ID,
        tfy_host=values["TFY_HOST"],
        llm_model=values["LLM_MODEL"] or DEFAULT_LLM_MODEL,
    )


def _check_url(name: str, url: str) -> None:
    if not url:
        return
    if url.endswith("/"):
        raise ConfigError(f"{name} ends with '/': remove the trailing slash ({url.rstrip('/')}).")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{name} must start with https:// (or http:// for a local server): {url!r}."
        )


def _check_account(account: str) -> None:
    if "/" in account or not account.strip():
        raise ConfigError(
            f"CARTESIA_PROVIDER_ACCOUNT must be the account's bare name, e.g. 'cartesia-main', "
            f"not {account!r}: remove the '/' and anything after it."
        )


def _check_llm_model(model: str) -> None:
    account, slash, name = model.partition("/")
    if not (slash and account.strip() and name.strip()):
        raise ConfigError(
            "LLM_MODEL must be a gateway model id 'account/model', e.g. "
            f"'openai-main/gpt-4o-mini', not {model!r}: copy it from GET /models (notebook 00)."
        )
