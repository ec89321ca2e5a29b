"""Fault injection for the data plane: fixed latency and a seeded share of 503/429 answers."""

from __future__ import annotations

import asyncio
import random
import threading

from .. import undocumented as guess
from .errors import GatewayError


class FaultInjector:
    """Answers a seeded fraction of data-plane requests with 503 or 429, after a fixed latency."""

    def __init__(self, fault_rate: float = 0.0, latency_ms: int = 0, seed: int = 0) -> None:
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError(f"fault_rate must be between 0 and 1, got {fault_rate}")
        if latency_ms < 0:
            raise ValueError(f"latency_ms must be >= 0, got {latency_ms}")
        self.fault_rate = fault_rate
        self.latency_ms = latency_ms
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def draw(self) -> GatewayError | None:
        """The fault for the next request, or None (deterministic for a given seed)."""
        with self._lock:
            if self._random.random() >= self.fault_rate:
                return None
            overloaded = self._random.random() < 0.5
        headers = {"Retry-After": str(guess.FAULT_RETRY_AFTER_SECONDS)}
        if overloaded:
            return GatewayError(503, guess.FAULT_503_MESSAGE, headers=headers)
        return GatewayError(
            429,
            guess.FAULT_429_MESSAGE,
            error_type=guess.RATE_LIMIT_ERROR_TYPE,
            origin=guess.RATE_LIMIT_ORIGIN,
            headers=headers,
        )

    async def apply(self) -> None:
        """Wait the configured latency, then raise the drawn fault, if any."""
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        fault = self.draw()
        if fault is not None:
            raise fault
