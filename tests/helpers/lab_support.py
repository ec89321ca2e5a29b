"""`make lab` (or `python -m helpers.lab`) run for real in a copy of the project, for the tests.

A plain module, like tests/support.py: the lab tests import its context managers by name.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("Makefile", "requirements.txt", "pyproject.toml")
PROJECT_DIRS = ("helpers", "notebooks")
SETTINGS = ("GATEWAY_BASE_URL", "TFY_API_KEY", "TFY_HOST", "GUIDE_SHARED_MOCK_URL")
TOKEN = "lab-test-token"
READY_SECONDS = 90


@dataclass
class Lab:
    """A running `make lab` or `helpers.lab`, with what it printed and the URLs it serves."""

    process: subprocess.Popen
    tree: Path
    port: int
    lines: queue.Queue = field(default_factory=queue.Queue)
    printed: list[str] = field(default_factory=list)

    @property
    def jupyter_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Read its output until the JupyterLab banner; fail if it exits or takes too long."""
        deadline = time.monotonic() + READY_SECONDS
        while not any("JupyterLab is ready" in line for line in self.printed):
            assert time.monotonic() < deadline, f"no banner in {READY_SECONDS} s: {self.printed}"
            try:
                self.printed.append(self.lines.get(timeout=1))
            except queue.Empty:
                assert self.process.poll() is None, f"exited early: {self.printed}"

    @property
    def mock_url(self) -> str | None:
        """The shared mock's URL from the launcher's first line, if it started one."""
        for line in self.printed:
            found = re.search(r"Mock gateway for the notebooks .*: (http://[\d.:]+)$", line)
            if found:
                return found.group(1)
        return None

    def start_kernel(self) -> str:
        """Start a python3 kernel through JupyterLab's REST API; its id."""
        response = httpx.post(
            f"{self.jupyter_url}/api/kernels",
            headers={"Authorization": f"token {TOKEN}"},
            json={"name": "python3"},
            timeout=60,
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def stop(self) -> None:
        """SIGTERM, as `kill` sends it; wait for the launched process to end."""
        self.process.terminate()
        self.process.wait(timeout=READY_SECONDS)

    def descendants(self) -> list[psutil.Process]:
        """Every process below the launched one (launcher, JupyterLab, kernels)."""
        return psutil.Process(self.process.pid).children(recursive=True)

    def launcher_pid(self) -> int:
        """The pid of `python -m helpers.lab` (the launched process itself, or make's child)."""
        for candidate in [psutil.Process(self.process.pid), *self.descendants()]:
            if command_line(candidate)[1:3] == ["-m", "helpers.lab"]:
                return candidate.pid
        raise AssertionError("no helpers.lab process")


def command_line(process: psutil.Process) -> list[str]:
    """A process's command line; empty once it has ended (a short-lived helper, a zombie)."""
    try:
        return process.cmdline()
    except psutil.NoSuchProcess:  # ZombieProcess is one too
        return []


def copy_project(destination: Path) -> Path:
    """The files `make lab` needs, mtimes kept (so make sees .venv up to date), .venv linked."""
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in PROJECT_DIRS:
        shutil.copytree(
            ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__", "output")
        )
    (destination / ".venv").symlink_to(Path(sys.prefix))
    return destination


def lab_environment(scratch: Path, port: int) -> dict[str, str]:
    """os.environ without gateway settings or make's own variables (VENV and PYTHON, which
    `make test-pythons` sets, included: the copy's .venv is this one); Jupyter dirs in scratch."""
    config = scratch / "jupyter-config"
    config.mkdir()
    server = {"ServerApp": {"port": port, "port_retries": 0}, "IdentityProvider": {"token": TOKEN}}
    (config / "jupyter_server_config.json").write_text(json.dumps(server))
    dropped = {*SETTINGS, "VENV", "PYTHON"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and "MAKE" not in k}
    return {
        **env,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(scratch / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "jupyter-runtime"),
        "IPYTHONDIR": str(scratch / "ipython"),
    }


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


@contextmanager
def lab_launcher(tmp_path: Path) -> Iterator[Callable[[str], Lab]]:
    """`start("make")` runs `make lab`, `start("helpers.lab")` the launcher alone.

    Each runs in its own session (as a terminal's foreground job), in a copy of the project.
    Whatever is still running at the end is killed, and the test fails on it.
    """
    (tmp_path / "project").mkdir()
    tree = copy_project(tmp_path / "project")
    port = free_tcp_port()
    started: list[Lab] = []

    def start(how: str) -> Lab:
        make = ["make", "--no-print-directory", "-o", ".venv/.installed", "lab"]
        command = make if how == "make" else [sys.executable, "-m", "helpers.lab"]
        process = subprocess.Popen(
            command,
            cwd=tree,
            env=lab_environment(tmp_path, port),
            stdout=subprocess.PIPE,
            stderr=(tmp_path / "lab.log").open("w"),
            text=True,
            start_new_session=True,
        )
        lab = Lab(process=process, tree=tree, port=port)
        threading.Thread(target=_pump, args=(process.stdout, lab.lines), daemon=True).start()
        started.append(lab)
        return lab

    yield start
    leftovers = []
    for lab in started:
        if lab.process.poll() is None:
            leftovers += [lab.process, *lab.descendants()]
    for process in leftovers:
        process.kill()
    assert not leftovers, f"still running after the test: {leftovers}"


def free_tcp_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
