"""Contract tests of the TTS WebSocket through the cartesia SDK's own connection and contexts."""

from __future__ import annotations

import asyncio
import json

import pytest
from cartesia import AsyncCartesia
from support import VOICE_ID, sdk_client
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from helpers.mock_gateway.routes import tts_websocket as tts_websocket_route
from helpers.mock_gateway.speech.synthesizer import synthesize_stream

RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000}
VOICE = {"mode": "id", "id": VOICE_ID}


def context(connection, **options):
    options = {"model_id": "sonic-3.5", "voice": VOICE, "output_format": RAW, **options}
    return connection.context(**options)


async def drain(ctx) -> list:
    return [event async for event in ctx.receive()]


@pytest.fixture
def spoken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the TTS WebSocket gives the synthesizer, one per utterance, in order."""
    texts: list[str] = []

    def recorded(text: str, **options):
        texts.append(text)
        return synthesize_stream(text, **options)

    monkeypatch.setattr(tts_websocket_route, "synthesize_stream", recorded)
    return texts


async def test_context_streams_chunks_flush_done_and_done(tts: AsyncCartesia) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = context(connection, add_timestamps=True)
        await ctx.push("Hello there, ")
        await ctx.push("my friend. How are", flush=True)
        await ctx.push(" you today?")
        await ctx.no_more_inputs()
        events = await drain(ctx)
    kinds = [e.type for e in events]
    assert kinds[-1] == "done" and kinds.count("done") == 1
    assert kinds.count("flush_done") == 1
    flush = next(e for e in events if e.type == "flush_done")
    assert flush.flush_id == 1 and flush.flush_done is True
    before = kinds.index("flush_done")
    assert {e.flush_id for e in events[:before] if e.type == "chunk"} == {1}
    assert {e.flush_id for e in events[before:] if e.type == "chunk"} == {2}
    words = [w for e in events if e.type == "timestamps" for w in e.word_timestamps.words]
    assert words == ["Hello", "there,", "my", "friend.", "How", "are", "you", "today?"]
    starts = [s for e in events if e.type == "timestamps" for s in e.word_timestamps.start]
    assert starts == sorted(starts) and starts[-1] > 1.0  # times run on across pushes
    audio = b"".join(e.audio for e in events if e.type == "chunk")
    assert len(audio) / 2 / 16000 > starts[-1]


async def test_without_buffer_delay_each_push_is_spoken_at_once(
    tts: AsyncCartesia, spoken: list[str]
) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = context(connection, add_timestamps=True)
        await ctx.push("This sentence arrives ")
        await ctx.push("in two pieces.")
        await ctx.no_more_inputs()
        events = await drain(ctx)
    assert spoken == ["This sentence arrives ", "in two pieces."]
    words = [w for e in events if e.type == "timestamps" for w in e.word_timestamps.words]
    assert words == ["This", "sentence", "arrives", "in", "two", "pieces."]


async def test_buffer_delay_speaks_a_half_sentence_once_it_elapses(tts: AsyncCartesia) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = context(connection, max_buffer_delay_ms=300)
        await ctx.push("A sentence that never ends")
        first = await anext(aiter(ctx.receive()))  # arrives with no flush and no close
        assert first.type == "chunk"
        await ctx.no_more_inputs()
        events = await drain(ctx)
    assert events[-1].type == "done"


async def test_with_buffer_delay_text_waits_for_the_sentence_end(
    tts: AsyncCartesia, spoken: list[str]
) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = context(connection, add_timestamps=True, max_buffer_delay_ms=3000)
        await ctx.push("This sentence arrives ")
        await ctx.push("in three ")
        await ctx.push("pieces.")
        await ctx.no_more_inputs()
        events = await drain(ctx)
    assert spoken == ["This sentence arrives in three pieces."]  # spoken once, whole
    words = [w for e in events if e.type == "timestamps" for w in e.word_timestamps.words]
    assert words == ["This", "sentence", "arrives", "in", "three", "pieces."]
    assert events[-1].type == "done"


async def test_two_contexts_share_one_connection(tts: AsyncCartesia) -> None:
    async with tts.tts.websocket_connect() as connection:
        first = context(connection, context_id="first")
        second = context(connection, context_id="second")
        await first.send(transcript="The first context speaks.", voice=VOICE, continue_=False)
        await second.send(transcript="And the second one too.", voice=VOICE, continue_=False)
        one, two = await asyncio.gather(drain(first), drain(second))
    assert {e.context_id for e in one} == {"first"} and one[-1].type == "done"
    assert {e.context_id for e in two} == {"second"} and two[-1].type == "done"


async def test_cancel_stops_a_context_and_the_connection_goes_on(tts: AsyncCartesia) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = context(connection)
        await ctx.send(transcript="One. Two. Three. Four. Five. Six.", voice=VOICE, continue_=False)
        await ctx.cancel()
        after = context(connection)
        await after.send(transcript="Still here.", voice=VOICE, continue_=False)
        events = await drain(after)
    assert events[-1].type == "done" and events[0].type == "chunk"


async def test_closing_message_with_the_sdk_fallback_voice_is_accepted(
    tts: AsyncCartesia,
) -> None:
    """A context made without a voice closes with voice 6ccbfb76-... and model sonic-latest."""
    async with tts.tts.websocket_connect() as connection:
        ctx = connection.context(output_format=RAW)
        await ctx.push("Spoken with an explicit voice.", voice=VOICE_ID, model_id="sonic-3")
        await ctx.no_more_inputs()
        events = await drain(ctx)
    kinds = [e.type for e in events]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"chunk"}


async def test_unknown_voice_and_forbidden_model_are_error_messages(tts: AsyncCartesia) -> None:
    async with tts.tts.websocket_connect() as connection:
        ctx = context(connection, voice="00000000-0000-0000-0000-000000000000")
        await ctx.push("Nobody speaks this.", continue_=False)
        (error,) = await drain(ctx)
        assert error.type == "error" and error.error_code == "voice_not_found"
        assert error.status_code == 404 and error.done is True
        ctx = context(connection, model_id="ink-2")
        await ctx.push("Wrong model type.", continue_=False)
        (error,) = await drain(ctx)
        assert error.type == "error" and error.status_code == 400
        ctx = context(connection, model_id="sonic-9")
        await ctx.push("Unregistered model.", continue_=False)
        (error,) = await drain(ctx)
        assert error.status_code == 403
        assert "not authorized to access model cartesia-main/sonic-9" in error.message


@pytest.mark.parametrize(("key", "status"), [(None, 401), ("tfy-wrong-key", 401)])
async def test_handshake_without_a_valid_key_is_refused_with_http_401(
    gateway, key: str | None, status: int
) -> None:
    async with sdk_client(gateway.url, "tts", key=key) as client:
        with pytest.raises(InvalidStatus) as caught:
            await client.tts.websocket_connect().enter()
    response = caught.value.response
    assert response.status_code == status
    assert json.loads(response.body)["error_origin_level"] == "authentication"
    assert "HTTP 401" in str(caught.value)


async def test_garbage_frames_get_error_messages_and_the_socket_keeps_serving(gateway) -> None:
    url = gateway.url.replace("http://", "ws://") + "/tts/cartesia-main/tts/websocket"
    headers = {"x-tfy-api-key": "tfy-mock-learner-key"}
    async with connect(url, additional_headers=headers) as ws:
        for frame in ["not json", "[1, 2]", "{}", b"\x00\x01binary", '{"context_id": 5}',
                      '{"context_id": "c", "cancel": "yes"}', '{"context_id": "c"}']:  # fmt: skip
            await ws.send(frame)
            reply = json.loads(await ws.recv())
            assert reply["type"] == "error" and 400 <= reply["status_code"] < 500, reply
        request = {"context_id": "ok", "model_id": "sonic-3", "transcript": "Fine.",
                   "voice": VOICE, "output_format": RAW, "continue": False}  # fmt: skip
        await ws.send(json.dumps(request))
        kinds = [json.loads(await ws.recv())["type"]]
        while kinds[-1] == "chunk":
            kinds.append(json.loads(await ws.recv())["type"])
    assert kinds[-1] == "done" and len(kinds) >= 2
