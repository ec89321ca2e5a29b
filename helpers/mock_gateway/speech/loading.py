"""Engines loaded once per process, in a background thread, shared by every request.

The thread is not a daemon: Python waits for a load before it finalizes, since native code still
running then (ctranslate2, onnxruntime) makes the process crash or abort as it exits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class LoadOnce(Generic[T]):
    """A value made by load() once: start() begins in the background, get() waits for it."""

    def __init__(self, name: str, load: Callable[[], T]) -> None:
        self.name = name
        self._load = load
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._value: T | None = None
        self._error: BaseException | None = None
        self.seconds: float | None = None  # how long loading took

    def start(self) -> None:
        """Begin loading in a thread that exit waits for (no-op when already started)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"load-{self.name}")
                self._thread.start()

    def _run(self) -> None:
        began = time.perf_counter()
        try:
            self._value = self._load()
        except BaseException as error:  # kept and raised again to every caller of get()
            self._error = error
        self.seconds = time.perf_counter() - began
        self._done.set()

    def get(self) -> T:
        """The loaded value, waiting for the load; the load's error is raised again."""
        self.start()
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._error is None
