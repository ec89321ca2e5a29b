"""Injected 429/503 faults and latency, and clients that hang up mid-stream.

The SDK's retries recover from injected faults; without retries the right exception class
surfaces; a stream abandoned by its client leaves the server healthy and its logs clean.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from cartesia import (
    APITimeoutError,
    AsyncCartesia,
    DefaultAsyncHttpxClient,
    InternalServerError,
    RateLimitError,
)

from helpers.clients import gateway_headers
from helpers.config import Settings
from helpers.gateway import MOCK_LEARNER_KEY
from helpers.mock_gateway.server import RunningGateway, start_in_thread

VOICE = {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"}
RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}
LONG_TEXT = " ".join(f"This is sentence number {n} of a long story." for n in range(1, 11))


class AttemptLog:
    """The status of every HTTP response the client received, in order."""

    def __init__(self) -> None:
        self.statuses: list[int] = []

    async def __call__(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)


def client_for(url: str, attempts: AttemptLog | None = None, **options) -> AsyncCartesia:
    settings = Settings(tfy_api_key=MOCK_LEARNER_KEY, gateway_base_url=url)
    hooks = {"response": [attempts]} if attempts else {}
    return AsyncCartesia(
        api_key="dummy",
        base_url=settings.tts_base_url,
        websocket_base_url=settings.tts_websocket_base_url,
        default_headers=gateway_headers(settings),
        http_client=DefaultAsyncHttpxClient(event_hooks=hooks),
        _strict_response_validation=True,
        **options,
    )


async def speak(client: AsyncCartesia, transcript: str = "Retries recover.") -> bytes:
    response = await client.tts.generate(
        model_id="sonic-3.5", transcript=transcript, voice=VOICE, output_format=RAW
    )
    return await response.read()


@pytest.fixture
def faulty_gateway() -> Iterator[RunningGateway]:
    """A mock that fails about half of the data-plane requests (seeded), after 20 ms each."""
    running = start_in_thread(port=0, fault_rate=0.5, latency_ms=20)
    yield running
    running.stop()


@pytest.fixture
def broken_gateway() -> Iterator[RunningGateway]:
    """A mock that fails every data-plane request with 429 or 503."""
    running = start_in_thread(port=0, fault_rate=1.0)
    yield running
    running.stop()


@pytest.fixture
def slow_gateway() -> Iterator[str]:
    running = start_in_thread(port=0, latency_ms=400)
    yield running.url
    running.stop()


@pytest.mark.slow
async def test_sdk_retries_recover_from_injected_faults(faulty_gateway: RunningGateway) -> None:
    attempts = AttemptLog()
    async with client_for(faulty_gateway.url, attempts, max_retries=6) as client:
        for _ in range(4):
            assert len(await speak(client)) > 1000
    faults = [status for status in attempts.statuses if status != 200]
    # The server saw every attempt (faulted ones included), and four of them succeeded.
    assert faulty_gateway.state.requests_seen == len(attempts.statuses), attempts.statuses
    assert attempts.statuses.count(200) == 4, attempts.statuses
    assert faults, "the seeded fault rate injected nothing: this test would prove nothing"
    assert set(faults) <= {429, 503}, attempts.statuses


async def test_without_retries_the_fault_surfaces_as_its_sdk_exception(
    broken_gateway: RunningGateway,
) -> None:
    seen: set[type] = set()
    async with client_for(broken_gateway.url, max_retries=0) as client:
        for _ in range(8):
            with pytest.raises((RateLimitError, InternalServerError)) as caught:
                await speak(client)
            error = caught.value
            expected = RateLimitError if error.status_code == 429 else InternalServerError
            assert type(error) is expected and error.status_code in (429, 503), error
            assert error.response.headers.get("retry-after"), "a fault says when to retry"
            assert error.body["status"] == "failure" and error.body["message"], error.body
            seen.add(type(error))
    assert broken_gateway.state.requests_seen == 8  # max_retries=0: one attempt per call
    assert seen == {RateLimitError, InternalServerError}, seen


async def test_injected_latency_trips_a_short_timeout_and_passes_a_long_one(
    slow_gateway: str,
) -> None:
    async with client_for(slow_gateway, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            await client.tts.generate(
                model_id="sonic-3.5",
                transcript="Too slow.",
                voice=VOICE,
                output_format=RAW,
                timeout=0.1,
            )
        assert len(await speak(client)) > 1000


class ServerErrors(logging.Handler):
    """Collects warnings and errors the mock (or uvicorn serving it) logs."""

    LOGGERS = ("helpers.mock_gateway", "uvicorn", "uvicorn.error", "uvicorn.asgi")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> ServerErrors:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


async def test_client_hanging_up_mid_sse_leaves_the_server_healthy(gateway) -> None:
    with ServerErrors() as logged:
        async with client_for(gateway.url, max_retries=0) as client:
            stream = await client.tts.generate_sse(
                model_id="sonic-3.5", transcript=LONG_TEXT, voice=VOICE, output_format=RAW
            )
            first = await stream.__anext__()
            assert first.type == "chunk"
            await stream.close()  # hang up with nine sentences still to come
            assert len(await speak(client)) > 1000
    assert not logged.records, [record.getMessage() for record in logged.records]


async def test_client_hanging_up_mid_websocket_leaves_the_server_healthy(gateway) -> None:
    with ServerErrors() as logged:
        async with client_for(gateway.url, max_retries=0) as client:
            connection = await client.tts.websocket_connect().enter()
            context = connection.context(model_id="sonic-3.5", voice=VOICE, output_format=RAW)
            await context.send(transcript=LONG_TEXT, voice=VOICE, continue_=False)
            async for event in context.receive():
                assert event.type == "chunk", event
                break
            await connection.close()  # hang up mid-generation
            async with client.tts.websocket_connect() as again:
                fresh = again.context(model_id="sonic-3.5", voice=VOICE, output_format=RAW)
                await fresh.send(transcript="Still here.", voice=VOICE, continue_=False)
                events = [event async for event in fresh.receive()]
            assert events[-1].type == "done", events[-1]
            assert len(await speak(client)) > 1000
    assert not logged.records, [record.getMessage() for record in logged.records]
