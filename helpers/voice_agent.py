"""One voice-agent turn through one gateway: Ink hears, the LLM thinks, Sonic speaks, all timed.

Each stage is a small function (notebook 08 shows and runs them one by one; `make bench` times
them); `Timeline` keeps a `time.perf_counter()` stamp for each milestone of a turn.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

from cartesia import AsyncCartesia
from cartesia.types import RawOutputFormatParam
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam

from helpers.config import Settings

SPEECH_END = "speech end"
FINAL_TRANSCRIPT = "final transcript"
FIRST_TOKEN = "first token"
LAST_TOKEN = "last token"
FIRST_AUDIO = "first audio"
LAST_AUDIO = "last audio"
MILESTONES = (SPEECH_END, FINAL_TRANSCRIPT, FIRST_TOKEN, FIRST_AUDIO, LAST_TOKEN, LAST_AUDIO)

MIC_RATE: Final = 16000  # what the microphone sends Ink: 16 kHz, 16-bit mono PCM
CHUNK_SECONDS = 0.1  # 100 ms of audio per WebSocket message, as a microphone delivers it
MIC_FORMAT: RawOutputFormatParam = {
    "container": "raw",
    "encoding": "pcm_s16le",
    "sample_rate": MIC_RATE,
}
ANSWER_FORMAT: RawOutputFormatParam = {
    "container": "raw",
    "encoding": "pcm_s16le",
    "sample_rate": 24000,
}
SYSTEM_PROMPT = "You are a voice assistant. Answer in one or two short spoken sentences."
# Sonic may wait this long for more text before speaking what it has: tokens arrive a few at a
# time, and speaking each at once would cut the voice into words.
BUFFER_DELAY_MS = 500


History = list[ChatCompletionMessageParam]  # the conversation so far, as the chat API takes it


@dataclass
class Timeline:
    """The `time.perf_counter()` stamp of each milestone of one turn (the first one counts)."""

    stamps: dict[str, float] = field(default_factory=dict)

    def mark(self, milestone: str) -> None:
        self.stamps.setdefault(milestone, time.perf_counter())

    def after_speech_end(self) -> dict[str, float]:
        """Seconds from the end of the user's speech to each milestone, in milestone order."""
        origin = self.stamps[SPEECH_END]
        return {m: self.stamps[m] - origin for m in MILESTONES if m in self.stamps}


@dataclass
class Turn:
    """What one turn heard, answered and said, and when."""

    question: str
    answer: str
    audio: bytes
    timeline: Timeline


def system_prompt() -> ChatCompletionMessageParam:
    """The system message that opens every chat request of the agent."""
    return {"role": "system", "content": SYSTEM_PROMPT}


def streaming_stt_model(settings: Settings) -> str:
    """The Ink model for streaming recognition: STT_STREAMING_MODEL when the settings have it."""
    return getattr(settings, "stt_streaming_model", "") or settings.stt_model


async def say(tts: AsyncCartesia, settings: Settings, text: str) -> bytes:
    """`text` spoken by the gateway's own TTS, as a microphone would hear it (16 kHz PCM)."""
    response = await tts.tts.generate(
        model_id=settings.tts_model,
        transcript=text,
        voice={"id": settings.voice_id},
        language="en",
        output_format=MIC_FORMAT,
    )
    return await response.read()


async def _talk(connection: Any, pcm: bytes, timeline: Timeline, pace: float) -> None:
    """Send `pcm` in 100 ms chunks at `pace` × real time, then finalize: the speech has ended."""
    size = int(MIC_RATE * CHUNK_SECONDS) * 2
    for start in range(0, len(pcm), size):
        await connection.send_raw(pcm[start : start + size])
        await asyncio.sleep(CHUNK_SECONDS / pace)
    timeline.mark(SPEECH_END)
    await connection.send("finalize")


async def hear(
    stt: AsyncCartesia, settings: Settings, pcm: bytes, timeline: Timeline, *, pace: float = 1.0
) -> str:
    """Stream the user's speech to Ink and return the final transcript (stamped at flush_done)."""
    finals: list[str] = []
    async with stt.stt.manual_finalize.websocket(
        model=streaming_stt_model(settings),
        language="en",
        encoding="pcm_s16le",
        sample_rate=MIC_RATE,
    ) as connection:
        sender = asyncio.create_task(_talk(connection, pcm, timeline, pace))
        try:
            async for event in connection:
                if event.type == "transcript" and event.is_final:
                    finals.append(event.text)
                elif event.type == "flush_done":  # all speech before the finalize is transcribed
                    timeline.mark(FINAL_TRANSCRIPT)
                    break
                elif event.type == "error":
                    raise RuntimeError(f"STT error: {event.title}: {event.message}")
            await sender
        finally:
            sender.cancel()
    return "".join(finals).strip()


async def think(
    chat: AsyncOpenAI, settings: Settings, messages: History, timeline: Timeline
) -> AsyncIterator[str]:
    """The LLM's answer through the gateway, token by token as the stream delivers it."""
    stream = await chat.chat.completions.create(
        model=settings.llm_model,
        messages=messages,
        stream=True,
        stream_options={"include_usage": True},
        max_tokens=120,
    )
    async with stream:  # leaving early (barge-in, timeout) closes the HTTP stream
        async for chunk in stream:
            for choice in chunk.choices:
                if choice.delta.content:
                    timeline.mark(FIRST_TOKEN)
                    yield choice.delta.content
    timeline.mark(LAST_TOKEN)


async def _events(context: Any, *stops: asyncio.Event) -> AsyncIterator[Any]:
    """The context's events until `done`, or until one of `stops` is set (then it is cancelled)."""
    events = context.receive().__aiter__()
    stoppers = [asyncio.ensure_future(stop.wait()) for stop in stops]
    try:
        while True:
            upcoming = asyncio.ensure_future(events.__anext__())
            await asyncio.wait({upcoming, *stoppers}, return_when=asyncio.FIRST_COMPLETED)
            if not upcoming.done():
                upcoming.cancel()
                await context.cancel()  # Sonic stops generating this context
                return
            try:
                yield upcoming.result()
            except StopAsyncIteration:
                return
    finally:
        for stopper in stoppers:
            stopper.cancel()


async def speak(
    connection: Any,
    settings: Settings,
    tokens: AsyncIterator[str],
    timeline: Timeline,
    *,
    interrupt: asyncio.Event | None = None,
) -> tuple[bytes, str]:
    """Feed tokens into ONE Sonic context as they arrive (`continue_=True`) while its audio comes
    back; `interrupt` (barge-in) cancels both. Returns (audio, the text that was sent)."""
    context = connection.context(
        model_id=settings.tts_model,
        voice={"id": settings.voice_id},
        output_format=ANSWER_FORMAT,
        language="en",
        max_buffer_delay_ms=BUFFER_DELAY_MS,
    )
    sent: list[str] = []

    async def feed() -> None:
        async for token in tokens:
            sent.append(token)
            await context.push(token)  # push = send(transcript=token, continue_=True, ...)
        await context.no_more_inputs()

    failed = asyncio.Event()  # the LLM stream broke: no more text will come

    def note_failure(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            failed.set()

    feeder = asyncio.create_task(feed())
    feeder.add_done_callback(note_failure)
    audio = bytearray()
    try:
        async for event in _events(context, interrupt or asyncio.Event(), failed):
            if event.type == "chunk" and event.audio:
                timeline.mark(FIRST_AUDIO)
                audio += event.audio
                timeline.stamps[LAST_AUDIO] = time.perf_counter()
            elif event.type == "error":
                raise RuntimeError(f"TTS error: {getattr(event, 'message', event)}")
        if failed.is_set() or not (interrupt and interrupt.is_set()):
            await feeder  # re-raises the LLM's error, if any
    finally:
        feeder.cancel()  # on barge-in or error: stop reading the LLM's stream
    return bytes(audio), "".join(sent)


async def one_turn(
    clients: tuple[AsyncCartesia, AsyncCartesia, AsyncOpenAI],
    settings: Settings,
    speech: bytes,
    history: History,
    *,
    pace: float = 1.0,
    interrupt: asyncio.Event | None = None,
) -> Turn:
    """Hear `speech`, think with `history`, speak the answer; append both to `history`."""
    tts, stt, chat = clients
    timeline = Timeline()
    question = await hear(stt, settings, speech, timeline, pace=pace)
    history.append({"role": "user", "content": question})
    tokens = think(chat, settings, [system_prompt(), *history], timeline)
    async with tts.tts.websocket_connect() as connection:
        audio, answer = await speak(connection, settings, tokens, timeline, interrupt=interrupt)
    history.append({"role": "assistant", "content": answer})
    return Turn(question, answer, audio, timeline)
