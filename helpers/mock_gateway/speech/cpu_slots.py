"""One bound on CPU-heavy speech work for the whole process: at most one model run per core."""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SLOTS = max(1, os.cpu_count() or 1)
DRAIN_SECONDS = 60.0  # at exit, the longest wait for model runs still going


class CpuSlots:
    """`with cpu_slot:` waits for a free slot; drain() takes them all."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)

    def __enter__(self) -> None:
        self._free.acquire()

    def __exit__(self, *exc: object) -> None:
        self._free.release()

    @contextmanager
    def every_core_if_idle(self) -> Iterator[bool]:
        """Hold a slot for one model run, and every other slot if all are free at this moment:
        yields whether the run may use every core (it then holds them all)."""
        self._free.acquire()
        held = 1
        while held < self.slots and self._free.acquire(blocking=False):
            held += 1
        if held < self.slots:  # another run is going: share the cores, one each
            for _ in range(held - 1):
                self._free.release()
            held = 1
        try:
            yield held == self.slots
        finally:
            for _ in range(held):
                self._free.release()

    def drain(self, timeout: float) -> None:
        """Take every slot (waiting at most timeout for each): no model run is left going."""
        for _ in range(self.slots):
            self._free.acquire(timeout=timeout)


# Every model inference (Piper, Whisper, the VAD's batches) holds a slot while it runs; callers
# beyond that wait their turn instead of thrashing the cores, so bursts finish, only later.
cpu_slot = CpuSlots(SLOTS)


@atexit.register
def _drain() -> None:
    """Wait for the model runs still going, so none is inside native code as Python finalizes."""
    cpu_slot.drain(DRAIN_SECONDS)
