"""Contract tests of the mock's streamed TTS: SSE events and /tts/bytes sentence by sentence."""

from __future__ import annotations

import base64
import io
import re
import threading
from collections.abc import Callable, Iterator

import pytest
import soundfile
from cartesia import AsyncCartesia, BadRequestError
from support import VOICE_ID

import helpers.mock_gateway.routes.tts_http as tts_routes
from helpers.mock_gateway.speech.synthesizer import synthesize_stream
from helpers.mock_gateway.speech.timed_speech import Speech

TEXT = "The quick brown fox jumps over the lazy dog."
SAMPLE_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
SUBTYPES = {"pcm_s16le": "PCM_16", "pcm_f32le": "FLOAT", "pcm_mulaw": "ULAW", "pcm_alaw": "ALAW"}
WIDTHS = {"pcm_s16le": 2, "pcm_f32le": 4, "pcm_mulaw": 1, "pcm_alaw": 1}
VOICE = {"mode": "id", "id": VOICE_ID}


async def generate(client: AsyncCartesia, output_format: dict, **options) -> bytes:
    options.setdefault("transcript", TEXT)
    options.setdefault("voice", VOICE)
    response = await client.tts.generate(
        model_id="sonic-3.5", output_format=output_format, **options
    )
    return await response.read()


def wav_info(data: bytes) -> soundfile._SoundFileInfo:
    return soundfile.info(io.BytesIO(data))


def held_after_one(client_got_it: threading.Event, what: str) -> Callable[..., Iterator[Speech]]:
    """synthesize_stream that holds every sentence after the first until the client got it."""

    def gated(*args, **kwargs) -> Iterator[Speech]:
        pieces = synthesize_stream(*args, **kwargs)
        yield next(pieces)
        assert client_got_it.wait(10), f"client never got the first {what}"
        yield from pieces

    return gated


RAW24 = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000}
WAV16 = {"container": "wav", "encoding": "pcm_f32le", "sample_rate": 16000}
THREE_SENTENCES = "Hello there. This is the second sentence. And here is the third one."


async def test_sse_streams_chunks_timestamps_then_done(tts: AsyncCartesia) -> None:
    stream = await tts.tts.generate_sse(
        model_id="sonic-3.5",
        transcript=THREE_SENTENCES,
        voice=VOICE,
        output_format=RAW24,
        add_timestamps=True,
        context_id="ctx-1",
    )
    events = [event async for event in stream]
    kinds = "".join(event.type[0] for event in events)  # c(hunk), t(imestamps), d(one)
    assert re.fullmatch(r"(c+t)(c+t?)+d", kinds) and kinds.count("t") >= 3, kinds
    heard = 0.0  # seconds of audio received so far
    for event in events:
        if event.type == "chunk":
            heard += len(event.audio) / 2 / 24000
        elif event.type == "timestamps":  # the words whose audio has all been sent
            assert all(end <= heard + 0.001 for end in event.word_timestamps.end), event
    assert all(event.context_id == "ctx-1" for event in events)
    assert all(len(e.audio) <= 2 * 24000 * 0.2 for e in events if e.type == "chunk")
    audio = b"".join(event.audio for event in events if event.type == "chunk")
    words = [w for e in events if e.type == "timestamps" for w in e.word_timestamps.words]
    starts = [s for e in events if e.type == "timestamps" for s in e.word_timestamps.start]
    ends = [s for e in events if e.type == "timestamps" for s in e.word_timestamps.end]
    assert words == THREE_SENTENCES.split()
    assert starts == sorted(starts) and all(s <= e for s, e in zip(starts, ends, strict=True))
    total = len(audio) / 2 / 24000
    assert ends[-1] <= total + 0.01 and ends[-1] > total - 1.0  # times run on across chunks


async def test_sse_without_timestamps_sends_only_chunks_and_done(tts: AsyncCartesia) -> None:
    stream = await tts.tts.generate_sse(
        model_id="sonic-3", transcript=THREE_SENTENCES, voice=VOICE_ID, output_format=RAW24
    )
    kinds = [event.type async for event in stream]
    assert kinds[-1] == "done" and set(kinds[:-1]) == {"chunk"} and len(kinds) > 3


async def test_sse_audio_lasts_as_long_as_the_bytes_route(tts: AsyncCartesia) -> None:
    stream = await tts.tts.generate_sse(
        model_id="sonic-3.5", transcript=THREE_SENTENCES, voice=VOICE, output_format=RAW24
    )
    streamed = b"".join([e.audio async for e in stream if e.type == "chunk"])
    whole = await generate(tts, RAW24, transcript=THREE_SENTENCES)
    # same speech, sentence by sentence vs. at once (eSpeak varies by a few samples per call)
    assert len(streamed) / 2 / 24000 == pytest.approx(len(whole) / 2 / 24000, abs=0.02)


async def test_sse_first_chunk_leaves_before_the_rest_is_synthesized(
    tts: AsyncCartesia, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second sentence is held back until the client has the first chunk: a server that
    buffered the whole answer would never send that chunk, and the test would time out."""
    first_chunk_seen = threading.Event()
    monkeypatch.setattr(tts_routes, "synthesize_stream", held_after_one(first_chunk_seen, "chunk"))
    stream = await tts.tts.generate_sse(
        model_id="sonic-3.5", transcript=THREE_SENTENCES, voice=VOICE, output_format=RAW24
    )
    kinds = []
    async for event in stream:
        kinds.append(event.type)
        first_chunk_seen.set()
    assert kinds[0] == "chunk" and kinds[-1] == "done"


@pytest.mark.parametrize("container", ["raw", "wav"])
async def test_bytes_stream_sentence_by_sentence(
    tts: AsyncCartesia, monkeypatch: pytest.MonkeyPatch, container: str
) -> None:
    """Same gate as above on /tts/bytes (raw and WAV): the body starts before the end."""
    first_bytes_seen = threading.Event()
    monkeypatch.setattr(tts_routes, "synthesize_stream", held_after_one(first_bytes_seen, "bytes"))
    received = b""
    async with tts.tts.with_streaming_response.generate(
        model_id="sonic-3.5",
        transcript=THREE_SENTENCES,
        voice=VOICE,
        output_format={**RAW24, "container": container},
    ) as response:
        async for chunk in response.iter_bytes():
            received += chunk
            first_bytes_seen.set()
    if container == "wav":
        info = wav_info(received)  # the header said "unknown length"; readers use the data
        assert (info.samplerate, info.subtype) == (24000, "PCM_16") and info.duration > 2.0
    else:
        assert len(received) / 2 / 24000 > 2.0


async def test_sse_rejects_non_raw_containers(tts: AsyncCartesia) -> None:
    with pytest.raises(BadRequestError, match="output_format.container"):
        await tts.tts.generate_sse(
            model_id="sonic-3.5", transcript=TEXT, voice=VOICE, output_format=WAV16
        )


def test_sse_chunk_payload_is_base64_of_raw_pcm(gateway) -> None:
    import json

    import httpx

    body = {"model_id": "sonic-3.5", "transcript": TEXT, "voice": VOICE, "output_format": RAW24}
    headers = {"x-tfy-api-key": "tfy-mock-learner-key"}
    with httpx.stream(
        "POST", f"{gateway.url}/tts/cartesia-main/tts/sse", json=body, headers=headers
    ) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        frames = response.read().decode().strip().split("\n\n")
    first = json.loads(frames[0].split("data: ", 1)[1])
    assert frames[0].startswith("event: chunk\n")
    assert len(base64.b64decode(first["data"])) % 2 == 0
    assert first["done"] is False and first["step_time"] >= 0
