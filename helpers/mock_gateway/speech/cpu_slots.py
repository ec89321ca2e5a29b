"""One bound on CPU-heavy speech work for the whole process: at most one model run per core."""

from __future__ import annotations

import atexit
import os
import threading

SLOTS = max(1, os.cpu_count() or 1)
DRAIN_SECONDS = 60.0  # at exit, the longest wait for model runs still going

# Every model inference (Piper, Whisper, the VAD's batches) holds a slot while it runs; callers
# beyond that wait their turn instead of thrashing the cores, so bursts finish, only later.
cpu_slot = threading.BoundedSemaphore(SLOTS)


@atexit.register
def _drain() -> None:
    """Wait for the model runs still going, so none is inside native code as Python finalizes."""
    for _ in range(SLOTS):
        cpu_slot.acquire(timeout=DRAIN_SECONDS)
