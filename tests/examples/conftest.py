"""Fixtures for the copy-paste recipes: a mock gateway in its own process, and a script runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LEARNER_KEY = "tfy-mock-learner-key"
SETTINGS = (
    "GATEWAY_BASE_URL",
    "TFY_API_KEY",
    "CARTESIA_PROVIDER_ACCOUNT",
    "TTS_MODEL",
    "STT_MODEL",
    "STT_STREAMING_MODEL",
    "VOICE_ID",
    "LLM_MODEL",
)
Runner = Callable[..., subprocess.CompletedProcess[str]]


def _start_mock(*options: str) -> Iterator[str]:
    """`python -m helpers.mock_gateway --port 0 ...` as a user runs it; yields its URL."""
    command = [sys.executable, "-m", "helpers.mock_gateway", "--port", "0", *options]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # printed once it accepts connections
        if "listening on" not in banner:
            raise RuntimeError(f"the mock gateway did not start: {banner!r}")
        yield banner.split("listening on ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def mock_url() -> Iterator[str]:
    """A mock gateway for the recipes, in its own process for the whole session."""
    yield from _start_mock()


@pytest.fixture(scope="session")
def faulty_mock_url() -> Iterator[str]:
    """A mock gateway that answers 30% of calls with a 429 or 503, to exercise retries."""
    yield from _start_mock("--fault-rate", "0.3", "--seed", "3")


@pytest.fixture(scope="session")
def prefixed_mock_url() -> Iterator[str]:
    """A mock gateway whose URL carries a path, as older and self-hosted gateways have."""
    yield from _start_mock("--base-path", "/api/llm")


@pytest.fixture
def run_example(mock_url: str, tmp_path: Path) -> Runner:
    """Run `examples/<script>` in a fresh folder with only the two exports `make mock` prints.

    Keyword arguments change the environment; None removes a variable."""

    def run(script: str, *args: str, cwd: Path = tmp_path, **env: str | None):
        environment = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        environment.update(GATEWAY_BASE_URL=mock_url, TFY_API_KEY=LEARNER_KEY)
        for name, value in env.items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = value
        return subprocess.run(
            [sys.executable, str(EXAMPLES / script), *args],
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
