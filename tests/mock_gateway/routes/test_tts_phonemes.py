"""add_phoneme_timestamps: phoneme_timestamps messages on SSE and WebSocket, strict SDK types."""

from __future__ import annotations

import re

from cartesia import AsyncCartesia
from support import VOICE_ID

RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}
VOICE = {"mode": "id", "id": VOICE_ID}
TEXT = "Good morning. The coffee is ready."


def _check_lined_up(events: list) -> None:
    """Phonemes in order, inside the audio sent before them, each inside the span of one word."""
    phonemes = [e.phoneme_timestamps for e in events if e.type == "phoneme_timestamps"]
    words = [e.word_timestamps for e in events if e.type == "timestamps"]
    starts = [s for p in phonemes for s in p.start]
    ends = [s for p in phonemes for s in p.end]
    assert [x for p in phonemes for x in p.phonemes][:3] == ["ɡ", "ʊ", "d"]  # "Good"
    assert all(s < e for s, e in zip(starts, ends, strict=True))
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))
    audio = b"".join(e.audio for e in events if e.type == "chunk")
    assert starts[0] > 0 and ends[-1] <= len(audio) / 2 / 16000
    spans = [(s, e) for w in words for s, e in zip(w.start, w.end, strict=True)]
    assert all(any(a <= s < e <= b for a, b in spans) for s, e in zip(starts, ends, strict=True))
    heard = 0.0
    for event in events:
        if event.type == "chunk":
            heard += len(event.audio) / 2 / 16000
        elif event.type == "phoneme_timestamps":
            assert all(end <= heard + 0.001 for end in event.phoneme_timestamps.end), event


async def test_sse_sends_phoneme_timestamps_after_their_audio(tts: AsyncCartesia) -> None:
    stream = await tts.tts.generate_sse(
        model_id="sonic-3.5",
        transcript=TEXT,
        voice=VOICE,
        output_format=RAW,
        add_timestamps=True,
        add_phoneme_timestamps=True,
    )
    events = [event async for event in stream]
    kinds = "".join(event.type[0] for event in events)  # c(hunk), t(imestamps), p(honemes), d(one)
    assert re.fullmatch(r"(c+t?p)+d", kinds) and kinds.count("p") >= 2, kinds
    _check_lined_up(events)


async def test_sse_without_the_flag_sends_no_phonemes(tts: AsyncCartesia) -> None:
    stream = await tts.tts.generate_sse(
        model_id="sonic-3.5", transcript=TEXT, voice=VOICE, output_format=RAW, add_timestamps=True
    )
    events = [event async for event in stream]
    assert events and all(event.type != "phoneme_timestamps" for event in events)


async def test_websocket_context_sends_phoneme_timestamps(tts: AsyncCartesia) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = connection.context(
            model_id="sonic-3.5",
            voice=VOICE,
            output_format=RAW,
            add_timestamps=True,
            add_phoneme_timestamps=True,
        )
        await ctx.push("Good morning. ")
        await ctx.push("The coffee is ready.")
        await ctx.no_more_inputs()
        events = [event async for event in ctx.receive()]
    assert [e.type for e in events].count("phoneme_timestamps") >= 2  # a part or more a push
    contexts = {e.context_id for e in events if e.type in ("chunk", "phoneme_timestamps")}
    assert len(contexts) == 1
    _check_lined_up(events)
