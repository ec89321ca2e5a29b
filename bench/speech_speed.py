"""Mock TTS time to first audio and real-time factor; mock STT real-time factor."""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

import numpy as np
import soundfile
from cartesia import AsyncCartesia

VOICE = {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"}
SAMPLE_RATE = 44100
RAW_S16 = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": SAMPLE_RATE}
SHARED_SPEECH = (
    Path(__file__).resolve().parent.parent.parent / "shared/audio/sonic-sample-speech-4s-16k.wav"
)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Voice models turn written text into natural speech.",
    "The gateway checks every key before a request reaches the provider.",
    "Streaming lets the first audio play while the rest is still being made.",
    "A transcript comes back with the time of every word.",
    "Short sentences keep each step of the guide easy to follow.",
    "The mock server answers exactly like the real one would.",
    "Retries recover from a busy server without any extra code.",
    "Every notebook runs from top to bottom in a few seconds.",
    "That is all there is to it, so let us try it now.",
]
TRANSCRIPTS = {"1 sentence": SENTENCES[0], "10 sentences": " ".join(SENTENCES)}


def audio_seconds(pcm_s16_bytes: int) -> float:
    return pcm_s16_bytes / 2 / SAMPLE_RATE


async def tts_bytes(client: AsyncCartesia, transcript: str) -> tuple[float, float, float]:
    """(seconds to first audio byte, seconds in all, seconds of audio) for `/tts/bytes`."""
    started = time.perf_counter()
    first = None
    size = 0
    async with client.tts.with_streaming_response.generate(
        model_id="sonic-3.5", transcript=transcript, voice=VOICE, output_format=RAW_S16
    ) as response:
        async for chunk in response.iter_bytes():
            if chunk and first is None:
                first = time.perf_counter() - started
            size += len(chunk)
    return first or 0.0, time.perf_counter() - started, audio_seconds(size)


async def tts_sse(client: AsyncCartesia, transcript: str) -> tuple[float, float, float]:
    """The same for `/tts/sse`: the first `chunk` event that carries audio."""
    started = time.perf_counter()
    first = None
    size = 0
    stream = await client.tts.generate_sse(
        model_id="sonic-3.5", transcript=transcript, voice=VOICE, output_format=RAW_S16
    )
    async for event in stream:
        if event.type == "chunk" and event.data:
            first = first or time.perf_counter() - started
            size += len(event.audio or b"")
    return first or 0.0, time.perf_counter() - started, audio_seconds(size)


async def tts_websocket(connection, transcript: str) -> tuple[float, float, float]:
    """The same over an open TTS WebSocket: one context, the whole transcript, `continue: false`."""
    context = connection.context(model_id="sonic-3.5", voice=VOICE, output_format=RAW_S16)
    started = time.perf_counter()
    first = None
    size = 0
    await context.send(transcript=transcript, voice=VOICE, continue_=False)
    async for event in context.receive():
        if event.type == "chunk" and event.data:
            first = first or time.perf_counter() - started
            size += len(event.audio or b"")
        if event.type == "error":
            raise RuntimeError(f"TTS WebSocket error: {event}")
    return first or 0.0, time.perf_counter() - started, audio_seconds(size)


def summarize(runs: list[tuple[float, float, float]]) -> dict[str, float]:
    """Medians of the runs: first audio (ms), total (ms), audio length (s), real-time factor."""
    first = statistics.median(run[0] for run in runs)
    total = statistics.median(run[1] for run in runs)
    audio = statistics.median(run[2] for run in runs)
    return {
        "first_audio_ms": round(first * 1000, 1),
        "total_ms": round(total * 1000, 1),
        "audio_seconds": round(audio, 2),
        "rtf": round(total / audio, 4) if audio else None,
    }


async def measure_tts(client: AsyncCartesia, repeats: int = 5) -> dict[str, object]:
    """Each transport × each transcript, `repeats` times, after one warm-up call per transport."""
    results: dict[str, object] = {}
    async with client.tts.websocket_connect() as connection:
        transports = {
            "bytes": lambda text: tts_bytes(client, text),
            "sse": lambda text: tts_sse(client, text),
            "websocket": lambda text: tts_websocket(connection, text),
        }
        for transport, call in transports.items():
            await call(SENTENCES[0])  # warm-up of this transport's code path; not counted
            per_length = {}
            for label, transcript in TRANSCRIPTS.items():
                per_length[label] = summarize([await call(transcript) for _ in range(repeats)])
            short, long = per_length["1 sentence"], per_length["10 sentences"]
            per_length["first_audio_ratio_10_to_1"] = round(
                long["first_audio_ms"] / short["first_audio_ms"], 2
            )
            results[transport] = per_length
    return results


async def mock_speech_wav(client: AsyncCartesia, transcript: str) -> bytes:
    """The mock's own TTS of `transcript` as 16 kHz WAV."""
    response = await client.tts.generate(
        model_id="sonic-3.5",
        transcript=transcript,
        voice=VOICE,
        output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000},
    )
    return await response.read()


async def real_speech_wav(client: AsyncCartesia, seconds: float) -> tuple[bytes, str]:
    """About `seconds` of 16 kHz speech (WAV): the shared Sonic sample if present, else mock TTS."""
    if SHARED_SPEECH.exists():
        samples, rate = soundfile.read(SHARED_SPEECH, dtype="int16")
        source = "Sonic sample speech"
    else:
        wav = await mock_speech_wav(client, " ".join(SENTENCES[:3]))
        samples, rate = soundfile.read(io.BytesIO(wav), dtype="int16")
        source = "mock TTS speech"
    repeats = max(1, round(seconds * rate / len(samples)))
    buffer = io.BytesIO()
    soundfile.write(buffer, np.tile(samples, repeats), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue(), f"{source} ×{repeats}" if repeats > 1 else source


async def transcribe_seconds(client: AsyncCartesia, wav: bytes) -> tuple[float, float]:
    """(wall seconds, audio duration the server reported) for one batch transcription."""
    started = time.perf_counter()
    result = await client.stt.transcribe(
        file=("speech.wav", wav, "audio/wav"), model="ink-2", timeout=600
    )
    return time.perf_counter() - started, result.duration or 0.0


async def measure_stt(client: AsyncCartesia, tts: AsyncCartesia) -> dict[str, object]:
    """Real-time factor of `/stt` for about 4 s (3 runs, median) and 60 s (1 run) of speech."""
    results: dict[str, object] = {}
    for label, seconds, repeats in (("4 s", 4, 3), ("60 s", 60, 1)):
        wav, source = await real_speech_wav(tts, seconds)
        runs = [await transcribe_seconds(client, wav) for _ in range(repeats)]
        wall = statistics.median(run[0] for run in runs)
        duration = runs[0][1]
        results[label] = {
            "audio": source,
            "audio_seconds": round(duration, 2),
            "wall_seconds": round(wall, 3),
            "rtf": round(wall / duration, 4) if duration else None,
        }
    return results
