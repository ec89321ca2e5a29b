"""`--chat-token-ms` and MOCK_CHAT_TOKEN_MS: a bad pace is one clear line and exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import ROOT

pytestmark = pytest.mark.slow  # starts Python subprocesses


def run_mock(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "helpers.mock_gateway", "--port", "0", *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, **env}
    )


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--chat-token-ms", "-5"], {}, "the chat token pace must be 0 to 60000 ms, got -5.0"),
        ([], {"MOCK_CHAT_TOKEN_MS": "soon"}, "MOCK_CHAT_TOKEN_MS must be a number of milliseconds"),
    ],
)
def test_a_bad_pace_is_one_line_naming_it(args: list[str], env: dict, message: str) -> None:
    outcome = run_mock(*args, **env)
    assert outcome.returncode == 2
    (line,) = outcome.stderr.strip().splitlines()  # one line, no traceback
    assert line.startswith("mock gateway error: ") and message in line
