"""Many simultaneous TTS and STT requests against one mock: completed, errors, latency, memory."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from cartesia import AsyncCartesia
from mock_process import MockProcess
from speech_speed import SENTENCES, VOICE

WAV_22K = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 22050}


async def timed(call: Callable[[], Awaitable[object]]) -> float | BaseException:
    """Seconds one request took in all, or the exception it raised."""
    started = time.perf_counter()
    try:
        await call()
    except Exception as error:  # counted as an error, never hidden
        return error
    return time.perf_counter() - started


async def burst(count: int, call: Callable[[], Awaitable[object]], mock: MockProcess) -> dict:
    """Start `count` requests at once: completed, errors, p50/p95, the server's peak RSS."""
    mock.reset_peak()
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(timed(call) for _ in range(count)))
    wall = time.perf_counter() - started
    await asyncio.sleep(0.05)  # let the sampler see the tail
    latencies = sorted(o for o in outcomes if isinstance(o, float))
    errors = [o for o in outcomes if not isinstance(o, float)]
    return {
        "requests": count,
        "completed": len(latencies),
        "errors": len(errors),
        "first_error": repr(errors[0])[:200] if errors else None,
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95) * 1000) if latencies else None,
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": round(mock.peak_rss / 2**20, 1),
    }


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, round(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


async def measure(
    tts: AsyncCartesia, stt: AsyncCartesia, mock: MockProcess, stt_wav: tuple[bytes, str]
) -> dict[str, object]:
    """100 simultaneous one-sentence TTS requests, then 50 simultaneous STT requests."""

    async def one_tts() -> None:
        response = await tts.tts.generate(
            model_id="sonic-3.5", transcript=SENTENCES[0], voice=VOICE, output_format=WAV_22K
        )
        if len(await response.read()) <= 44:
            raise RuntimeError("TTS answered a WAV without audio")

    async def one_stt() -> None:
        result = await stt.stt.transcribe(
            file=("speech.wav", stt_wav[0], "audio/wav"), model="ink-whisper"
        )
        if not result.text:
            raise RuntimeError("STT answered an empty transcript")

    baseline = round(mock.rss() / 2**20, 1)
    return {
        "server_rss_at_rest_mb": baseline,
        "tts_100": await burst(100, one_tts, mock),
        "stt_50": {"audio": stt_wav[1], **await burst(50, one_stt, mock)},
    }
