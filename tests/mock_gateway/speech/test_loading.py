"""Each engine loads once per process, in the background, and every mock shares it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from support import ROOT

from helpers.mock_gateway import create_app
from helpers.mock_gateway.speech import piper_tts, whisper_stt
from helpers.mock_gateway.speech.loading import LoadOnce


def test_load_runs_once_however_many_wait_for_it():
    calls = []

    def slow_load() -> object:
        calls.append(threading.current_thread().name)
        time.sleep(0.2)
        return object()

    engine = LoadOnce("slow", slow_load)
    engine.start()
    assert not engine.ready  # start() returned before the load finished
    results = []
    waiters = [threading.Thread(target=lambda: results.append(engine.get())) for _ in range(8)]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join()
    assert calls == ["load-slow"] and len({id(r) for r in results}) == 1
    assert engine.ready and engine.seconds is not None and engine.seconds >= 0.2


def test_a_failed_load_is_raised_to_every_caller():
    engine = LoadOnce("broken", lambda: 1 / 0)
    for _ in range(2):
        with pytest.raises(ZeroDivisionError):
            engine.get()
    assert not engine.ready


def test_every_mock_app_shares_the_loaded_engines(piper, whisper):
    create_app()
    create_app()
    assert piper_tts.ENGINE.get() is piper and whisper_stt.ENGINE.get() is whisper


# Ends the process a moment after the background load of Whisper base has begun.
_EXIT_WHILE_LOADING = """
import sys, threading, time
from helpers.mock_gateway.speech import engines
engines.start_loading()
while not any(t.name == "load-whisper-base" for t in threading.enumerate()):
    time.sleep(0.01)
time.sleep(float(sys.argv[1]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("moment", [0.0, 0.2, 0.4, 0.7])
def test_a_process_that_ends_while_the_engines_load_exits_cleanly(moment: float) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", _EXIT_WHILE_LOADING, str(moment)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (ended.returncode, ended.stderr) == (0, "")  # no crash, abort, or debugger dump
