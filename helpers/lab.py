"""`make lab`: a mock gateway the kernels share while `.env` names no gateway, then JupyterLab.

JupyterLab runs as a child that stops with this process: SIGINT, SIGTERM or SIGHUP here stop
it (and its kernels) before the mock goes, and it gets SIGTERM if this process dies anyhow.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from jupyter_server.serverapp import list_running_servers

from helpers.config import ConfigError, load_settings
from helpers.gateway import SHARED_MOCK_VARIABLE, start_mock_gateway

ROOT = Path(__file__).resolve().parent.parent
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1  # linux/prctl.h
SHUTDOWN_SECONDS = 20.0
READY_SECONDS = 120.0


def main() -> int:
    """Start the shared mock if `.env` names no gateway, run JupyterLab until it stops."""
    env = dict(os.environ)  # before load_settings adds .env: kernels must read .env themselves
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if settings.uses_mock:
        mock = start_mock_gateway()
        env[SHARED_MOCK_VARIABLE] = mock.base_url
        print(f"Mock gateway for the notebooks (not a page to open): {mock.base_url}", flush=True)
    else:
        print(f"Notebooks use the gateway in .env: {settings.gateway_base_url}", flush=True)
    jupyter = start_jupyter(jupyter_command(sys.argv[1:]), env)
    stop_on_signals(jupyter)
    url = wait_until_serving(jupyter)
    if url:
        print(f"\n    JupyterLab is ready, open:  {url}\n", flush=True)
    code = jupyter.wait()
    return 0 if code < 0 else code  # stopped by a signal: a normal end of `make lab`


def jupyter_command(arguments: list[str]) -> list[str]:
    """`jupyter lab` on loopback with notebooks/ as its root, then any arguments given."""
    command = [sys.executable, "-m", "jupyter", "lab", "--ip=127.0.0.1", "--no-browser"]
    command.append(f"--ServerApp.root_dir={ROOT / 'notebooks'}")
    if os.geteuid() == 0:
        command.append("--allow-root")
    return [*command, *arguments]


def start_jupyter(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start JupyterLab in its own session (a terminal's Ctrl-C reaches only this process)."""
    parent = os.getpid()
    return subprocess.Popen(
        command, env=env, start_new_session=True, preexec_fn=lambda: _die_with(parent)
    )


def _die_with(parent: int) -> None:
    """In the child before exec: get SIGTERM when the parent dies (Linux), even by SIGKILL."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def stop_on_signals(jupyter: subprocess.Popen) -> None:
    """On SIGINT, SIGTERM or SIGHUP: ask JupyterLab to shut down; kill it if it hangs."""

    def stop(signum: int, _frame: object) -> None:
        if jupyter.returncode is not None:
            return
        jupyter.terminate()  # Jupyter's SIGTERM: shut the kernels down, then exit
        timer = threading.Timer(SHUTDOWN_SECONDS, _kill_if_running, (jupyter,))
        timer.daemon = True
        timer.start()

    for number in STOP_SIGNALS:
        signal.signal(number, stop)


def _kill_if_running(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()


def wait_until_serving(jupyter: subprocess.Popen) -> str | None:
    """The JupyterLab URL with its token once the server answers; None if it exits first."""
    deadline = time.monotonic() + READY_SECONDS
    while jupyter.poll() is None and time.monotonic() < deadline:
        info = next((s for s in list_running_servers() if s.get("pid") == jupyter.pid), None)
        if info and _answers(info):
            return f"{info['url']}lab?token={info['token']}"
        time.sleep(0.2)
    return None


def _answers(info: dict) -> bool:
    try:
        status = httpx.get(f"{info['url']}api/status", params={"token": info["token"]}, timeout=2)
    except httpx.HTTPError:
        return False
    return status.status_code == 200


if __name__ == "__main__":
    raise SystemExit(main())
