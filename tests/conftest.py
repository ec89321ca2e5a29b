"""Shared fixtures: one mock gateway per test session, strict cartesia SDK clients for it, and a
word error rate meter for what its recognizer heard."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import jiwer
import pytest
from cartesia import AsyncCartesia
from support import BESIDE, require_outside_file, sdk_client

from helpers.mock_gateway.server import RunningGateway, start_in_thread

SONIC_SAMPLE = BESIDE / "shared" / "audio" / "sonic-sample-speech-4s-16k.wav"


@pytest.fixture(scope="session")
def gateway() -> Iterator[RunningGateway]:
    """The mock gateway on a free loopback port, for the whole session."""
    with start_in_thread(host="127.0.0.1", port=0, wait_for_engines=True) as running:
        yield running


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


@pytest.fixture
def sonic_sample_wav() -> Path:
    """Four seconds of real Sonic speech (16 kHz WAV), kept beside the repository, not in it."""
    return require_outside_file(SONIC_SAMPLE, "the Sonic speech sample")


_NORMALIZE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


@pytest.fixture(scope="session")
def word_error_rate() -> Callable[[list[str], list[str]], float]:
    """WER of hypotheses against references, case and punctuation ignored."""

    def rate(references: list[str], hypotheses: list[str]) -> float:
        return jiwer.wer(
            references, hypotheses, reference_transform=_NORMALIZE, hypothesis_transform=_NORMALIZE
        )

    return rate
