"""helpers.voice_agent against the mock: a timed turn, history, barge-in, and failures that stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import openai
import pytest

from helpers import voice_agent
from helpers.clients import chat_client, stt_client, tts_client
from helpers.config import Settings
from helpers.mock_gateway.server import RunningGateway
from helpers.waterfall import plot_waterfall, stage_seconds

pytestmark = pytest.mark.slow  # whole voice-agent turns, a second or two each

QUESTION = "What is the capital of France?"


@pytest.fixture
def settings(gateway: RunningGateway) -> Settings:
    return Settings(tfy_api_key="tfy-mock-learner-key", gateway_base_url=gateway.url)


@pytest.fixture
async def clients(settings: Settings) -> AsyncIterator[tuple]:
    tts, stt, chat = tts_client(settings), stt_client(settings), chat_client(settings)
    async with tts, stt, chat:
        yield tts, stt, chat


@pytest.fixture
async def speech(clients: tuple, settings: Settings) -> bytes:
    return await voice_agent.say(clients[0], settings, QUESTION)


async def test_a_turn_hears_answers_and_speaks_in_order(clients, settings, speech) -> None:
    history: list[dict[str, str]] = []
    turn = await voice_agent.one_turn(clients, settings, speech, history, pace=16)
    assert turn.question == QUESTION and QUESTION in turn.answer
    assert history == [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": turn.answer},
    ]
    assert len(turn.audio) > 24000 * 2  # more than a second of 24 kHz 16-bit speech
    after = turn.timeline.after_speech_end()
    assert list(after) == list(voice_agent.MILESTONES)
    order = ["speech end", "final transcript", "first token", "first audio", "last audio"]
    assert [after[m] for m in order] == sorted(after[m] for m in order)
    assert after["first audio"] < after["last token"]  # speech began before the LLM finished
    labels = [label for label, _, _ in stage_seconds(turn.timeline)]
    assert labels[0] == "Ink: final transcript" and len(labels) == 5
    assert plot_waterfall(turn.timeline).axes


async def test_second_turn_carries_the_first(clients, settings, speech) -> None:
    history: list[dict[str, str]] = []
    await voice_agent.one_turn(clients, settings, speech, history, pace=16)
    again = await voice_agent.one_turn(clients, settings, speech, history, pace=16)
    assert "Before that" in again.answer and len(history) == 4


async def test_barge_in_cancels_speech_and_closes_the_llm_stream(clients, settings) -> None:
    tts, _, chat = clients
    timeline, interrupt = voice_agent.Timeline(), asyncio.Event()
    long = "Tell me everything about Paris, its river, its bridges, its parks and its museums."
    messages = [{"role": "user", "content": long}]
    async with tts.tts.websocket_connect() as connection:

        async def interrupt_at_first_audio() -> None:
            while voice_agent.FIRST_AUDIO not in timeline.stamps:
                await asyncio.sleep(0.005)
            interrupt.set()

        user = asyncio.create_task(interrupt_at_first_audio())
        tokens = voice_agent.think(chat, settings, messages, timeline)
        audio, said = await voice_agent.speak(
            connection, settings, tokens, timeline, interrupt=interrupt
        )
        await user
    assert audio and said and voice_agent.LAST_TOKEN not in timeline.stamps
    full = await chat.chat.completions.create(model=settings.llm_model, messages=messages)
    assert len(said) < len(full.choices[0].message.content)


async def test_a_chat_model_the_key_may_not_use_fails_the_turn_at_once(
    clients, settings, speech
) -> None:
    forbidden = settings.with_overrides(llm_model="openai-main/not-registered")
    turn = voice_agent.one_turn(clients, forbidden, speech, [], pace=16)
    with pytest.raises(openai.PermissionDeniedError):  # raised, not left waiting for audio
        await asyncio.wait_for(turn, timeout=60)  # a guard against hanging, not a speed check


def test_streaming_stt_model_prefers_the_streaming_setting(settings: Settings) -> None:
    assert voice_agent.streaming_stt_model(settings) == settings.stt_model

    class WithStreaming(Settings):
        stt_streaming_model = "ink-2"

    assert voice_agent.streaming_stt_model(WithStreaming(tfy_api_key="k")) == "ink-2"
