"""The voice agent's stage latencies, as examples/voice_agent.py prints them: the median of runs."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RECIPE = Path(__file__).resolve().parent.parent / "examples" / "voice_agent.py"
QUESTION = "What is the capital of France?"
RUNS = 5
PACE = 1.0  # the question is streamed in real time, as a caller speaks; figures start at its end
REPORTED = ("final transcript", "first token", "first audio", "last audio")
SETTINGS = ("CARTESIA_PROVIDER_ACCOUNT", "TTS_MODEL", "STT_MODEL", "VOICE_ID", "LLM_MODEL")
STAGE_LINE = re.compile(r"\s*([a-z ]+): +(\d+) ms after speech end$")


def one_turn(url: str, key: str, folder: str) -> dict[str, float]:
    """Run the recipe once, as a user would, and read the milliseconds it prints per milestone."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS}  # the defaults
    environment.update(GATEWAY_BASE_URL=url, TFY_API_KEY=key)
    command = [sys.executable, str(RECIPE), QUESTION, "--pace", str(PACE)]
    result = subprocess.run(
        command, cwd=folder, env=environment, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"voice_agent.py failed: {result.stderr.strip()}")
    stages = (STAGE_LINE.match(line) for line in result.stdout.splitlines())
    return {m.group(1): float(m.group(2)) for m in stages if m}


def measure(url: str, key: str) -> dict[str, object]:
    """A warm-up turn, then RUNS turns: median milliseconds from speech end to each milestone."""
    with tempfile.TemporaryDirectory() as folder:  # where the answer's WAV is written
        one_turn(url, key, folder)
        turns = [one_turn(url, key, folder) for _ in range(RUNS)]
    samples = {milestone: [turn[milestone] for turn in turns] for milestone in REPORTED}
    return {
        "runs": RUNS,
        "pace": PACE,
        "question": QUESTION,
        "median_ms": {m: round(statistics.median(v), 1) for m, v in samples.items()},
        "max_ms": {m: round(max(v), 1) for m, v in samples.items()},
    }
