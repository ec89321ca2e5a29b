"""One bound on CPU-heavy speech work for the whole process: at most one model run per core."""

from __future__ import annotations

import atexit
import os
import threading

SLOTS = max(1, os.cpu_count() or 1)
DRAIN_SECONDS = 60.0  # at exit, the longest wait for model runs still going


class CpuSlots:
    """`with cpu_slot as alone:` waits for a free slot; alone is True when no other run is going
    (that run may use every core: a lone request's first audio comes sooner)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._running = 0

    def __enter__(self) -> bool:
        self._free.acquire()
        with self._lock:
            self._running += 1
            return self._running == 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._running -= 1
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
