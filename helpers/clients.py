"""SDK clients pointed at the gateway: Cartesia's for TTS and STT, OpenAI's for chat."""

from __future__ import annotations

import httpx
from cartesia import AsyncCartesia
from openai import AsyncOpenAI
from typing_extensions import TypedDict, Unpack

from helpers.config import Settings

GATEWAY_KEY_HEADER = "x-tfy-api-key"


class ClientOptions(TypedDict, total=False):
    """AsyncCartesia options a caller may add; the gateway URL and headers stay fixed."""

    timeout: float | httpx.Timeout | None
    max_retries: int
    _strict_response_validation: bool


def gateway_headers(settings: Settings) -> dict[str, str]:
    """The header that authenticates a request to the TrueFoundry gateway."""
    return {GATEWAY_KEY_HEADER: settings.tfy_api_key}


def tts_client(settings: Settings, **options: Unpack[ClientOptions]) -> AsyncCartesia:
    """AsyncCartesia for `{gateway}/tts/{account}`, authenticated on HTTP and WebSocket alike.

    `default_headers` (unlike headers on a custom `http_client`) also reach the WebSocket
    handshake, and `websocket_base_url` stops the SDK from forcing `wss://` on a local server.
    """
    return AsyncCartesia(
        api_key="dummy",  # the gateway ignores it; it injects the stored Cartesia key itself
        base_url=settings.tts_base_url,
        websocket_base_url=settings.tts_websocket_base_url,
        default_headers=gateway_headers(settings),
        **options,
    )


def stt_client(settings: Settings, **options: Unpack[ClientOptions]) -> AsyncCartesia:
    """AsyncCartesia for `{gateway}/stt/{account}`, authenticated on HTTP and WebSocket alike."""
    return AsyncCartesia(
        api_key="dummy",
        base_url=settings.stt_base_url,
        websocket_base_url=settings.stt_websocket_base_url,
        default_headers=gateway_headers(settings),
        **options,
    )


class ChatClientOptions(TypedDict, total=False):
    """AsyncOpenAI options a caller may add; the gateway URL and the key stay fixed."""

    timeout: float | None
    max_retries: int
    _strict_response_validation: bool


def chat_client(settings: Settings, **options: Unpack[ChatClientOptions]) -> AsyncOpenAI:
    """AsyncOpenAI for the gateway's OpenAI-compatible routes (`{gateway}/chat/completions`).

    Here the TrueFoundry key is the SDK's own api_key: it travels as `Authorization: Bearer`.
    """
    return AsyncOpenAI(api_key=settings.tfy_api_key, base_url=settings.chat_base_url, **options)
