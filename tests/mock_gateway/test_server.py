"""The mock as a program: `python -m helpers.mock_gateway`, banner, loopback rule, signals."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from support import ROOT

from helpers.mock_gateway.__main__ import main
from helpers.mock_gateway.server import start_in_thread

STOPS = (signal.SIGINT, signal.SIGTERM)
BANNER = re.compile(r"Mock TrueFoundry AI Gateway listening on (http://127\.0\.0\.1:(\d+))")


def launch(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "helpers.mock_gateway", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_cli_prints_the_banner_serves_and_stops_cleanly_on_sigint_and_sigterm() -> None:
    processes = {stop: launch("--host", "127.0.0.1", "--port", "0") for stop in STOPS}
    try:
        for stop, process in processes.items():
            line = process.stdout.readline()
            match = BANNER.search(line)
            assert match, line + process.stderr.read()
            headers = {"x-tfy-api-key": "tfy-mock-learner-key"}
            response = httpx.get(f"{match.group(1)}/models", headers=headers)
            assert response.status_code == 200 and len(response.json()["data"]) == 5  # 4 + chat
            process.send_signal(stop)
        for process in processes.values():
            assert process.wait(timeout=15) == 0
            assert process.stderr.read() == ""  # no traceback, no noise
    finally:
        for process in processes.values():
            process.kill()
            process.wait()


def test_cli_refuses_a_non_loopback_host_without_allow_remote(capsys) -> None:
    assert main(["--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "--allow-remote" in err and "0.0.0.0" in err


def test_cli_reports_a_bad_registry_in_one_line(tmp_path: Path, capsys) -> None:
    registry = tmp_path / "registry.yaml"
    manifest = "{name: x, type: provider-account/cartesia, cartesia_version: '1999-01-01'}"
    registry.write_text(f"manifests:\n  - {manifest}\n")
    assert main(["--port", "0", "--registry", str(registry)]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "cartesia_version" in err


def test_start_in_thread_refuses_remote_hosts_and_stops() -> None:
    with pytest.raises(ValueError, match="allow-remote"):
        start_in_thread(host="0.0.0.0")
    running = start_in_thread(latency_ms=0)
    url = running.url
    assert httpx.get(f"{url}/models").status_code == 401
    running.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/models", timeout=2)
