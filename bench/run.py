"""`make bench`: the notebook suite, the mock's speech speed, load, the voice agent, cold start.

Prints a table and writes bench/results.json with the machine the figures were measured on.
Nothing here asserts a speed: the aims are printed beside the figures.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import agent_latency
import cold_start
import concurrency
import notebook_suite
import speech_engines
import speech_speed
from mock_process import running_mock
from table import render

from helpers.clients import stt_client, tts_client
from helpers.config import Settings
from helpers.gateway import MOCK_LEARNER_KEY

RESULTS = Path(__file__).resolve().parent / "results.json"


def machine() -> dict[str, object]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


async def gateway_figures() -> dict[str, object]:
    """TTS, STT and concurrency against one mock run as a subprocess, as a learner would run it."""
    figures: dict[str, object] = {}
    with running_mock("--concurrency-limit", "0") as mock:  # the mock's own speed, no plan limit
        settings = Settings(tfy_api_key=MOCK_LEARNER_KEY, gateway_base_url=mock.url)
        tts, stt = tts_client(settings, max_retries=0), stt_client(settings, max_retries=0)
        async with tts, stt:
            await part("tts", speech_speed.measure_tts(tts), figures)
            await part("stt", speech_speed.measure_stt(stt, tts), figures)
            await part("round_trip", speech_engines.measure_round_trip(tts, stt), figures)
            own = await speech_speed.mock_speech_wav(tts, speech_speed.SENTENCES[1])
            stt_wav = (own, "the mock's TTS speech, recognized by Whisper")
            await part("concurrency", concurrency.measure(tts, stt, mock, stt_wav), figures)
            agent = asyncio.to_thread(agent_latency.measure, mock.url, MOCK_LEARNER_KEY)
            await part("voice_agent", agent, figures)  # through examples/voice_agent.py
    return figures


async def part(name: str, measure: Awaitable[object], figures: dict[str, object]) -> None:
    """Await one measurement; a failure is recorded and printed, and the others still run."""
    print(f"… {name}", file=sys.stderr, flush=True)
    try:
        figures[name] = await measure
    except Exception as error:
        traceback.print_exc()
        figures[name] = {"error": f"{type(error).__name__}: {error}"[:300]}


def section(name: str, measure: Callable[[], object], results: dict[str, object]) -> None:
    """Run one measurement; a failure is recorded and printed, and the other sections still run."""
    print(f"… {name}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        results[name] = measure()
    except Exception as error:
        traceback.print_exc()
        results[name] = {"error": f"{type(error).__name__}: {error}"[:300]}
    print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def main() -> int:
    results: dict[str, object] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    started = time.perf_counter()
    section("gateway", lambda: asyncio.run(gateway_figures()), results)
    section("model_load", speech_engines.measure_loads, results)
    # Kernels' connection files go to a throwaway runtime dir, not the user's.
    with tempfile.TemporaryDirectory(prefix="bench-jupyter-runtime-") as runtime:
        os.environ["JUPYTER_RUNTIME_DIR"] = runtime
        section("notebook_suite", notebook_suite.measure, results)
    section("cold_start", cold_start.measure, results)
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(render(results))
    print(f"\nWritten to {RESULTS}")
    return 1 if has_error(results) else 0


def has_error(figures: object) -> bool:
    """True if any measurement, however deeply nested, recorded an error."""
    if not isinstance(figures, dict):
        return False
    return "error" in figures or any(has_error(value) for value in figures.values())


if __name__ == "__main__":
    raise SystemExit(main())
