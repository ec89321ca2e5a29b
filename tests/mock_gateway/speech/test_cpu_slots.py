"""Bursts of speech work all finish, never running more models at once than there are cores;
a run sounds the same beside others, and exit waits for the runs still going."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
import pytest
from support import ROOT

from helpers.mock_gateway.speech.cpu_slots import SLOTS, CpuSlots


class _Meter:
    """Counts the cores that model runs in progress hold, and remembers the most at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = self.most = 0

    @contextmanager
    def run(self, cores: int) -> Iterator[None]:
        with self._lock:
            self.now += cores
            self.most = max(self.most, self.now)
        try:
            yield
        finally:
            with self._lock:
                self.now -= cores


@pytest.mark.slow
def test_a_burst_of_tts_and_stt_completes_within_the_cpu_slots(piper, whisper, monkeypatch):
    meter = _Meter()

    class MeteredSession:
        def __init__(self, session) -> None:
            self._session = session

        def run(self, *args, **kwargs):
            with meter.run(1):
                return self._session.run(*args, **kwargs)

    def metered(model, cores: int) -> None:
        real_transcribe = model.transcribe

        def transcribe(*args, **kwargs):
            segments, info = real_transcribe(*args, **kwargs)

            def run():
                with meter.run(cores):
                    yield from segments

            return run(), info

        monkeypatch.setattr(model, "transcribe", transcribe)

    for half in ("front", "_back"):
        monkeypatch.setattr(piper._model, half, MeteredSession(getattr(piper._model, half)))
    metered(whisper._english.one_core, 1)
    metered(whisper._english.every_core, SLOTS)  # it holds every slot
    clip = piper.speak("Short and sweet.")

    def tts(i: int) -> int:
        return len(piper.speak(f"Request number {i} is here.").words)

    def stt(_: int) -> str:
        return whisper.transcribe(clip.samples, clip.sample_rate).text

    with ThreadPoolExecutor(max_workers=24) as pool:
        spoken = pool.map(tts, range(16))
        heard = pool.map(stt, range(8))
        words, texts = list(spoken), list(heard)
    assert words == [5] * 16
    assert all("sweet" in text.lower() for text in texts), texts
    assert 1 <= meter.most <= SLOTS


def test_a_run_gets_every_core_only_when_no_other_run_holds_one() -> None:
    slots = CpuSlots(2)
    with slots.every_core_if_idle() as every_core:
        assert every_core and not slots._free.acquire(blocking=False)  # it holds both
    with slots, slots.every_core_if_idle() as every_core:  # beside another run
        assert not every_core and not slots._free.acquire(blocking=False)  # one each
    assert all(slots._free.acquire(blocking=False) for _ in range(2))  # all given back


def test_a_sentence_sounds_the_same_alone_or_beside_another_run(piper) -> None:
    text = "Alone or side by side, the samples are the same."
    alone = piper.speak(text).samples
    with ThreadPoolExecutor(1) as pool:  # another sentence is spoken at the same time
        other = pool.submit(piper.speak, "Another sentence, spoken at the very same time.")
        beside = piper.speak(text).samples
        other.result()
    assert np.array_equal(alone, beside)


# Ends the process while a daemon thread is inside a Whisper run (native code, GIL released).
_EXIT_DURING_A_RUN = """
import threading, time
import numpy as np
from helpers.mock_gateway.speech import piper_tts, whisper_stt
clip = piper_tts.ENGINE.get().speak("The quick brown fox jumps over the lazy dog. " * 3)
whisper = whisper_stt.ENGINE.get()
started = threading.Event()
def listen():
    started.set()
    whisper.transcribe(clip.samples, clip.sample_rate)
threading.Thread(target=listen, daemon=True).start()
started.wait()
time.sleep(0.3)
"""


@pytest.mark.slow
def test_a_process_that_ends_during_a_model_run_waits_for_it_and_exits_cleanly() -> None:
    ended = subprocess.run(
        [sys.executable, "-c", _EXIT_DURING_A_RUN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (ended.returncode, ended.stderr) == (0, "")  # no crash, abort, or debugger dump
