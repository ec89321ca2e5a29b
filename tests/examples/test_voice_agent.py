"""examples/voice_agent.py's stages against the mock: a timed turn, history, barge-in, refusals."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType

import openai
import pytest
from support import LEARNER_KEY, sdk_client

from helpers import config
from helpers.mock_gateway.server import RunningGateway, start_in_thread

pytestmark = pytest.mark.slow  # whole voice-agent turns, a second or two each

RECIPE = Path(__file__).resolve().parents[2] / "examples" / "voice_agent.py"
QUESTION = "What is the capital of France?"
PACE = 16.0  # × real time: the milestones that matter start at the end of speech
IN_ORDER = ["speech end", "final transcript", "first token", "first audio", "last audio"]


def load_recipe() -> ModuleType:
    """The recipe imported from its path, as a user's code or `make bench` would."""
    spec = importlib.util.spec_from_file_location("voice_agent_recipe", RECIPE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def agent(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The recipe, reading its defaults (whatever this shell exports)."""
    for name in config.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return load_recipe()


@pytest.fixture(scope="module")
def slow_gateway() -> Iterator[RunningGateway]:
    """A mock whose chat model writes a token every 100 ms: its answer is still streaming when
    the first audio arrives, however busy the machine (so a barge-in has a stream to close)."""
    with start_in_thread(chat_token_ms=100) as running:
        yield running


@pytest.fixture
async def clients(slow_gateway: RunningGateway) -> AsyncIterator[tuple]:
    """Strict Sonic, Ink and chat clients for that mock, made as the recipe makes them."""
    url = slow_gateway.url
    chat = openai.AsyncOpenAI(api_key=LEARNER_KEY, base_url=url, _strict_response_validation=True)
    tts, stt = sdk_client(url, "tts"), sdk_client(url, "stt")
    async with tts, stt, chat:
        yield tts, stt, chat


@pytest.fixture
async def speech(agent: ModuleType, clients: tuple) -> bytes:
    return await agent.say(clients[0], QUESTION)


async def words(text: str) -> AsyncIterator[str]:
    """`text` as an LLM would stream it, a word at a time."""
    for word in text.split(" "):
        yield word + " "


async def test_a_turn_hears_answers_and_speaks_in_order(
    agent, clients, speech, word_error_rate
) -> None:
    history: list[dict[str, str]] = []
    heard, answer, audio, stamps = await agent.turn(clients, speech, history, PACE)
    assert word_error_rate([QUESTION], [heard]) <= 0.2, heard
    assert heard in answer  # the mock's model quotes what it was asked
    assert history == [
        {"role": "user", "content": heard},
        {"role": "assistant", "content": answer},
    ]
    assert len(audio) > 24000 * 2  # more than a second of 24 kHz 16-bit speech
    assert [stamps[m] for m in IN_ORDER] == sorted(stamps[m] for m in IN_ORDER), stamps
    assert stamps["first audio"] < stamps["last token"]  # speech began before the LLM finished


async def test_the_second_turn_carries_the_first(agent, clients, speech) -> None:
    history: list[dict[str, str]] = []
    first, *_ = await agent.turn(clients, speech, history, PACE)
    _, again, *_ = await agent.turn(clients, speech, history, PACE)
    assert f"Before that: {first}" in again and "question 2" in again
    assert [message["role"] for message in history] == ["user", "assistant"] * 2


async def test_barge_in_cancels_the_speech_and_closes_the_llm_stream(agent, clients) -> None:
    tts, _, chat = clients
    stamps: dict[str, float] = {}
    long = "Tell me everything about Paris, its river, its bridges, its parks and its museums."
    tokens = agent.think(chat, [{"role": "user", "content": long}], stamps)
    async with tts.tts.websocket_connect() as connection:
        speaking = asyncio.create_task(agent.speak(connection, tokens, stamps))
        while "first audio" not in stamps:  # the user talks over the first audio
            assert not speaking.done(), speaking
            await asyncio.sleep(0.005)
        speaking.cancel()
        with pytest.raises(asyncio.CancelledError):
            await speaking
        with pytest.raises(StopAsyncIteration):  # the LLM stream is closed, not left open
            await tokens.__anext__()
        assert "last token" not in stamps  # it was closed before its end
        after, said = await agent.speak(connection, words("Okay."), {})
    assert said.strip() == "Okay." and after  # the connection still speaks the next answer


async def test_a_chat_model_the_key_may_not_use_fails_the_turn_at_once(
    agent, clients, speech, monkeypatch
) -> None:
    monkeypatch.setenv("LLM_MODEL", "openai-main/not-registered")
    turn = agent.turn(clients, speech, [], PACE)
    with pytest.raises(openai.PermissionDeniedError):  # raised, not left waiting for audio
        await asyncio.wait_for(turn, timeout=60)  # a guard against hanging, not a speed check


def test_the_mock_chat_model_is_the_default_of_helpers_config() -> None:
    assert load_recipe().MOCK_LLM == config.DEFAULT_LLM_MODEL
