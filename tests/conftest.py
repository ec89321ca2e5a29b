"""Shared fixtures: one mock gateway per test session and strict cartesia SDK clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from cartesia import AsyncCartesia

from helpers.mock_gateway.server import RunningGateway, start_in_thread

ACCOUNT = "cartesia-main"
LEARNER_KEY = "tfy-mock-learner-key"
OUTSIDER_KEY = "tfy-mock-outsider-key"
ADMIN_KEY = "tfy-mock-admin-key"
VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"
SAMPLE_WAV = (
    Path(__file__).resolve().parents[2] / "shared" / "audio" / "sonic-sample-speech-4s-16k.wav"
)


@pytest.fixture(scope="session")
def gateway() -> Iterator[RunningGateway]:
    """The mock gateway on a free loopback port, for the whole session."""
    running = start_in_thread(host="127.0.0.1", port=0)
    try:
        yield running
    finally:
        running.stop()


def sdk_client(
    url: str, service: str, *, key: str | None = LEARNER_KEY, account: str = ACCOUNT, **options
) -> AsyncCartesia:
    """A strict AsyncCartesia for `{url}/{service}/{account}` with the gateway key header."""
    headers = {"x-tfy-api-key": key} if key is not None else {}
    ws_url = url.replace("http://", "ws://", 1)
    return AsyncCartesia(
        api_key="dummy",
        base_url=f"{url}/{service}/{account}",
        websocket_base_url=f"{ws_url}/{service}/{account}",
        default_headers=headers,
        _strict_response_validation=True,
        **options,
    )


@pytest.fixture
async def tts(gateway: RunningGateway) -> AsyncIterator[AsyncCartesia]:
    """Strict TTS client (base_url .../tts/cartesia-main), learner key, no retries."""
    async with sdk_client(gateway.url, "tts", max_retries=0) as client:
        yield client


@pytest.fixture
async def stt(gateway: RunningGateway) -> AsyncIterator[AsyncCartesia]:
    """Strict STT client (base_url .../stt/cartesia-main), learner key, no retries."""
    async with sdk_client(gateway.url, "stt", max_retries=0) as client:
        yield client
