"""Concurrent mixed traffic through the real SDK: nothing lost, every answer complete and valid."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from helpers.audio import describe_audio
from helpers.clients import stt_client, tts_client
from helpers.config import Settings
from helpers.gateway import MOCK_LEARNER_KEY
from helpers.mock_gateway.server import RunningGateway, start_in_thread

pytestmark = pytest.mark.slow

VOICE = {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"}
SENTENCES = [
    "Nothing gets lost under load.",
    "Every answer arrives complete.",
    "The gateway keeps up with many callers.",
    "Streams end with a done event.",
    "Speech comes back as the same words.",
    "Sample rates are what was asked for.",
]
RATES = [8000, 16000, 22050, 24000, 44100, 48000]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


@pytest.fixture(scope="module")
def unlimited() -> Iterator[RunningGateway]:
    """A mock without Cartesia's per-account concurrency limit: this measures the mock itself."""
    with start_in_thread(port=0, concurrency_limit=0) as running:
        yield running


@pytest.fixture
def settings(unlimited: RunningGateway) -> Settings:
    return Settings(tfy_api_key=MOCK_LEARNER_KEY, gateway_base_url=unlimited.url)


async def tts_wav(settings: Settings, index: int) -> None:
    rate = RATES[index % len(RATES)]
    async with tts_client(settings, max_retries=0, _strict_response_validation=True) as client:
        response = await client.tts.generate(
            model_id="sonic-3.5",
            transcript=SENTENCES[index % len(SENTENCES)],
            voice=VOICE,
            output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": rate},
        )
        info = describe_audio(await response.read())
    assert (info.container, info.sample_rate, info.channels) == ("wav", rate, 1), info
    assert info.frames > rate // 4, info  # at least a quarter second of speech


async def tts_sse(settings: Settings, index: int) -> None:
    rate = RATES[index % len(RATES)]
    output_format = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": rate}
    async with tts_client(settings, max_retries=0, _strict_response_validation=True) as client:
        stream = await client.tts.generate_sse(
            model_id="sonic-3.5",
            transcript=" ".join(SENTENCES[:3]),
            voice=VOICE,
            output_format=output_format,
        )
        events = [event async for event in stream]
    assert events[-1].type == "done", events[-1]
    audio = b"".join(event.audio or b"" for event in events if event.type == "chunk")
    assert len(audio) % 4 == 0 and len(audio) / 4 / rate > 1.0  # f32 samples, > 1 s of speech


async def tts_websocket(settings: Settings, index: int) -> None:
    rate = RATES[index % len(RATES)]
    output_format = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": rate}
    async with (
        tts_client(settings, max_retries=0) as client,
        client.tts.websocket_connect() as connection,
    ):
        contexts = [
            connection.context(model_id="sonic-3.5", voice=VOICE, output_format=output_format)
            for _ in range(2)
        ]
        for number, context in enumerate(contexts):
            transcript = SENTENCES[(index + number) % len(SENTENCES)]
            await context.send(transcript=transcript, voice=VOICE, continue_=False)
        for context in contexts:
            events = [event async for event in context.receive()]
            assert events[-1].type == "done", events[-1]
            audio = b"".join(e.audio or b"" for e in events if e.type == "chunk")
            assert len(audio) / 2 / rate > 0.5, len(audio)


async def stt_round_trip(settings: Settings, index: int) -> None:
    sentence = SENTENCES[index % len(SENTENCES)]
    async with tts_client(settings, max_retries=0) as tts:
        response = await tts.tts.generate(
            model_id="sonic-3.5",
            transcript=sentence,
            voice=VOICE,
            output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000},
        )
        wav = await response.read()
    async with stt_client(settings, max_retries=0, _strict_response_validation=True) as stt:
        result = await stt.stt.transcribe(
            file=("speech.wav", wav, "audio/wav"), model="ink-whisper"
        )
    heard = set(words(result.text)) & set(words(sentence))
    assert len(heard) >= len(words(sentence)) / 2, (result.text, sentence)  # recognized, not noise


async def test_mixed_concurrent_requests_all_complete_and_valid(settings: Settings) -> None:
    calls = (
        [tts_wav(settings, i) for i in range(12)]
        + [tts_sse(settings, i) for i in range(8)]
        + [tts_websocket(settings, i) for i in range(4)]
        + [stt_round_trip(settings, i) for i in range(6)]
    )
    outcomes = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), timeout=60)
    failures = [repr(outcome) for outcome in outcomes if outcome is not None]
    assert len(outcomes) == 30
    assert not failures, failures
