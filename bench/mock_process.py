"""The mock gateway as a child process, as a learner runs it, with its memory sampled."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from helpers.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
READY_LINE = "Mock TrueFoundry AI Gateway listening on"


@dataclass
class MockProcess:
    """A running `python -m helpers.mock_gateway` and the peak RSS seen so far."""

    process: subprocess.Popen[str]
    url: str
    peak_rss: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def rss(self) -> int:
        """Resident memory of the server process now, in bytes."""
        return psutil.Process(self.process.pid).memory_info().rss

    def reset_peak(self) -> None:
        self.peak_rss = self.rss()

    def _sample(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.peak_rss = max(self.peak_rss, self.rss())
            except psutil.NoSuchProcess:
                return


@contextmanager
def running_mock(*extra_args: str, sample_every: float = 0.01) -> Iterator[MockProcess]:
    """Start the mock on a free loopback port, wait for its ready line, stop it on exit."""
    port = free_port()
    command = [sys.executable, "-m", "helpers.mock_gateway", "--host", "127.0.0.1"]
    command += ["--port", str(port), *extra_args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    ready = threading.Event()
    # Read the server's output all along, so a chatty log never blocks it on a full pipe.
    threading.Thread(target=_read_output, args=(process, output, ready), daemon=True).start()
    try:
        if not ready.wait(30) or process.poll() is not None:
            raise RuntimeError("the mock gateway did not start:\n" + "".join(output[-20:]))
        mock = MockProcess(process, f"http://127.0.0.1:{port}")
        mock.reset_peak()
        sampler = threading.Thread(target=mock._sample, args=(sample_every,), daemon=True)
        sampler.start()
        yield mock
        mock._stop.set()
        sampler.join()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_output(process: subprocess.Popen[str], lines: list[str], ready: threading.Event) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if READY_LINE in line:
            ready.set()
    ready.set()  # the process ended: stop waiting
