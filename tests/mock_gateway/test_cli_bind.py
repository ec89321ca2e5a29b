"""The mock refuses to listen beyond loopback unless told so explicitly (--allow-remote)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import ROOT

from helpers.mock_gateway.server import start_in_thread


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "helpers.mock_gateway", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_cli_refuses_a_non_loopback_host_with_one_line(host: str) -> None:
    result = run_cli("--host", host, "--port", "0")
    assert result.returncode != 0
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message  # one line, no traceback
    assert host in message and "--allow-remote" in message, message
    assert "listening" not in result.stdout


def test_in_process_start_refuses_a_non_loopback_host() -> None:
    with pytest.raises(ValueError, match="allow-remote"):
        start_in_thread(host="0.0.0.0", port=0)


def test_loopback_is_accepted() -> None:
    running = start_in_thread(host="127.0.0.1", port=0)
    try:
        assert running.url.startswith("http://127.0.0.1:") and running.port > 0
    finally:
        running.stop()
