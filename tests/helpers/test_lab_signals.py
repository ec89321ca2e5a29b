"""Every way of stopping `make lab` stops JupyterLab, its kernels and the mock together.

A terminal delivers Ctrl-C (SIGINT) and a hang-up (SIGHUP) to its whole foreground job, so those
go to make's process group; `kill` sends SIGTERM to make alone. Sent to the launcher
(`python -m helpers.lab`) alone, each signal, and even SIGKILL, must stop everything too.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from lab_support import Lab, command_line, lab_launcher

pytestmark = pytest.mark.slow

STOP_SECONDS = 40


@pytest.fixture
def start_lab(tmp_path: Path) -> Iterator[Callable[[str], Lab]]:
    """Start `make lab` or the launcher; all stopped (or the test failed) at the end."""
    with lab_launcher(tmp_path) as start:
        yield start


def refuses(url: str) -> bool:
    """True when nothing listens at url any more."""
    try:
        httpx.get(url, timeout=2)
    except httpx.ConnectError:
        return True
    return False


def assert_all_stopped(lab, processes: list[psutil.Process]) -> None:
    """The launched process exits, every process it had started is gone, no port answers."""
    lab.process.wait(timeout=STOP_SECONDS)
    _, alive = psutil.wait_procs(processes, timeout=STOP_SECONDS)
    assert not alive, f"left running: {[command_line(p)[:4] for p in alive]}"
    assert refuses(lab.jupyter_url), "JupyterLab still answers"
    assert refuses(f"{lab.mock_url}/models"), "the mock gateway still answers"


def running_lab_with_a_kernel(start_lab, how: str):
    """`make lab` or the launcher, ready, with one kernel started; and all its processes."""
    lab = start_lab(how)
    lab.wait_ready()
    assert lab.mock_url, lab.printed
    lab.start_kernel()
    processes = lab.descendants()
    names = " ".join(" ".join(command_line(p)) for p in processes)
    assert "jupyter-lab" in names and "ipykernel_launcher" in names, names
    return lab, processes


@pytest.mark.parametrize(
    ("signal_number", "to_the_group"),
    [(signal.SIGINT, True), (signal.SIGHUP, True), (signal.SIGTERM, False)],
    ids=["ctrl-c", "terminal-closed", "kill"],
)
def test_a_signal_to_make_stops_jupyterlab_and_the_mock(
    start_lab, signal_number: int, to_the_group: bool
) -> None:
    lab, processes = running_lab_with_a_kernel(start_lab, "make")
    if to_the_group:
        os.killpg(lab.process.pid, signal_number)
    else:
        os.kill(lab.process.pid, signal_number)
    assert_all_stopped(lab, processes)


@pytest.mark.parametrize(
    "signal_number", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL]
)
def test_a_signal_to_the_launcher_stops_jupyterlab_and_the_mock(
    start_lab, signal_number: int
) -> None:
    lab, processes = running_lab_with_a_kernel(start_lab, "helpers.lab")
    os.kill(lab.launcher_pid(), signal_number)
    assert_all_stopped(lab, processes)
