"""Seconds from `make lab`'s command to JupyterLab answering `/api/status`.

`make lab` runs `python -m helpers.lab` (after a no-op `setup` on an existing venv), which forwards
its arguments to `jupyter lab`; this calls it directly, to pass a free port and a fixed token.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil
from mock_process import ROOT

from helpers.ports import free_port

MOCK_LINE = "Mock gateway for the notebooks"  # helpers.lab's first line, with the mock's URL


def measure(timeout: float = 60) -> dict[str, object]:
    """Start the lab with throwaway Jupyter dirs, poll `/api/status` until it answers, stop it."""
    port, token = free_port(), "bench-token"
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as tmp:
        env = {
            **os.environ,
            **{f"JUPYTER_{kind}_DIR": str(Path(tmp, kind.lower())) for kind in ("CONFIG", "DATA")},
            "JUPYTER_RUNTIME_DIR": str(Path(tmp, "runtime")),
            "GATEWAY_BASE_URL": "",
            "TFY_API_KEY": "",
        }
        command = [sys.executable, "-m", "helpers.lab", f"--port={port}"]
        command += [f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False"]
        started = time.perf_counter()
        lab = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: helpers.lab and the jupyter it runs
        )
        mock_ready: list[float] = []
        threading.Thread(target=_watch_banner, args=(lab, mock_ready), daemon=True).start()
        try:
            url = f"http://127.0.0.1:{port}/api/status"
            seconds = _wait_for_status(url, token, started + timeout, lab)
        finally:
            _stop(lab)
    return {
        "command": "python -m helpers.lab --port=N --IdentityProvider.token=T",
        "seconds": round(seconds - started, 2) if seconds is not None else None,
        "mock_ready_seconds": round(mock_ready[0] - started, 2) if mock_ready else None,
    }


def _watch_banner(lab: subprocess.Popen, ready_at: list[float]) -> None:
    """Note when helpers.lab prints the mock's banner; keep draining the output after."""
    assert lab.stdout is not None
    for line in lab.stdout:
        if MOCK_LINE in line and not ready_at:
            ready_at.append(time.perf_counter())


def _wait_for_status(url: str, token: str, deadline: float, lab: subprocess.Popen) -> float | None:
    """The perf_counter() time at which `url` first answered 200, or None."""
    while time.perf_counter() < deadline and lab.poll() is None:
        try:
            if httpx.get(url, params={"token": token}, timeout=1).status_code == 200:
                return time.perf_counter()
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    return None


def _stop(lab: subprocess.Popen) -> None:
    """SIGTERM helpers.lab and the jupyter it started; wait until both are gone."""
    if lab.poll() is not None:
        return
    processes = [psutil.Process(lab.pid), *psutil.Process(lab.pid).children(recursive=True)]
    os.killpg(lab.pid, signal.SIGTERM)
    _, alive = psutil.wait_procs(processes, timeout=20)
    for process in alive:
        process.kill()
    lab.wait()
