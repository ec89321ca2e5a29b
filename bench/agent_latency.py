"""The voice agent's stage latencies (notebook 08's pipeline): the median of several turns."""

from __future__ import annotations

import statistics

from cartesia import AsyncCartesia
from openai import AsyncOpenAI

from helpers import voice_agent
from helpers.config import Settings

QUESTION = "What is the capital of France?"
RUNS = 5
PACE = 8.0  # the question is streamed 8x faster than real time; the figures start at speech end
REPORTED = (
    voice_agent.FINAL_TRANSCRIPT,
    voice_agent.FIRST_TOKEN,
    voice_agent.FIRST_AUDIO,
    voice_agent.LAST_AUDIO,
)


async def measure(
    tts: AsyncCartesia, stt: AsyncCartesia, chat: AsyncOpenAI, settings: Settings
) -> dict[str, object]:
    """A warm-up turn, then RUNS turns: median milliseconds from speech end to each milestone."""
    clients = (tts, stt, chat)
    speech = await voice_agent.say(tts, settings, QUESTION)
    await voice_agent.one_turn(clients, settings, speech, [], pace=PACE)
    samples: dict[str, list[float]] = {milestone: [] for milestone in REPORTED}
    for _ in range(RUNS):
        turn = await voice_agent.one_turn(clients, settings, speech, [], pace=PACE)
        after = turn.timeline.after_speech_end()
        for milestone in REPORTED:
            samples[milestone].append(after[milestone] * 1000)
    return {
        "runs": RUNS,
        "question": QUESTION,
        "median_ms": {m: round(statistics.median(v), 1) for m, v in samples.items()},
        "max_ms": {m: round(max(v), 1) for m, v in samples.items()},
    }
