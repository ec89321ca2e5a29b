"""One bound on CPU-heavy speech work for the whole process: at most one model run per core."""

from __future__ import annotations

import os
import threading

SLOTS = max(1, os.cpu_count() or 1)

# Every model inference (Piper, Whisper, the VAD's batches) holds a slot while it runs; callers
# beyond that wait their turn instead of thrashing the cores, so bursts finish, only later.
cpu_slot = threading.BoundedSemaphore(SLOTS)
