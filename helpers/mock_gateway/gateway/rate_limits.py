"""Rate-limit rules (gateway-rate-limiting-config) and fault injection for the data plane."""

from __future__ import annotations

import asyncio
import json
import math
import random
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Mapping
from typing import TypeVar

from .. import undocumented as guess
from ..gateway.errors import GatewayError
from ..gateway.manifests import RateLimitRule
from ..gateway.registry import Principal, Registry

T = TypeVar("T")
_PER = {"requests_per_minute": "per minute", "requests_per_hour": "per hour",
        "requests_per_day": "per day"}  # fmt: skip


def _metadata(header: str | None) -> dict[str, str]:
    """The x-tfy-metadata header as a dict (empty if absent or malformed)."""
    if not header:
        return {}
    try:
        value = json.loads(header)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def request_timeout(headers: Mapping[str, str]) -> float | None:
    """Seconds from the x-tfy-request-timeout header (milliseconds), or None when absent."""
    raw = headers.get(guess.REQUEST_TIMEOUT_HEADER)
    if raw is None:
        return None
    try:
        milliseconds = float(raw)
    except ValueError:
        milliseconds = -1.0
    if not (milliseconds > 0 and math.isfinite(milliseconds)):
        raise GatewayError(
            400,
            guess.BAD_REQUEST_TIMEOUT_MESSAGE.format(got=raw),
            error_type=guess.BAD_REQUEST_ERROR_TYPE,
        )
    return milliseconds / 1000


async def within_request_timeout(headers: Mapping[str, str], work: Awaitable[T]) -> T:
    """Await the upstream work, bounded by x-tfy-request-timeout (504 when it runs out)."""
    seconds = request_timeout(headers)
    if seconds is None:
        return await work
    try:
        return await asyncio.wait_for(work, seconds)
    except TimeoutError:
        raise GatewayError(
            guess.REQUEST_TIMEOUT_STATUS,
            guess.REQUEST_TIMEOUT_MESSAGE.format(ms=round(seconds * 1000, 3)),
        ) from None


class RateLimiter:
    """Sliding-window request counters for the registry's rate-limit rules."""

    def __init__(self, registry: Registry, clock=time.monotonic) -> None:
        self._registry = registry
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, tuple[str, ...]], deque[float]] = defaultdict(deque)

    @staticmethod
    def _applies(rule: RateLimitRule, principal: Principal, model: str, meta: dict) -> bool:
        if rule.subjects is not None and not any(principal.matches(s) for s in rule.subjects):
            return False
        if rule.metadata is not None and any(meta.get(k) != v for k, v in rule.metadata):
            return False
        return rule.models is None or model in rule.models

    @staticmethod
    def _bucket(rule: RateLimitRule, principal: Principal, model: str, meta: dict) -> tuple:
        parts = []
        for entity in rule.applies_per:
            if entity in ("user", "virtualaccount"):
                parts.append(principal.subject)
            elif entity == "model":
                parts.append(model)
            elif entity.startswith("metadata."):
                parts.append(meta.get(entity.removeprefix("metadata."), ""))
        return tuple(parts)

    def check(self, principal: Principal, model: str, metadata_header: str | None = None) -> None:
        """Count one request to `account/model`; 429 with Retry-After when a rule is exceeded."""
        meta = _metadata(metadata_header)
        now = self._clock()
        with self._lock:
            for rule in self._registry.rate_limits():
                if not self._applies(rule, principal, model, meta):
                    continue
                hits = self._hits[(rule.id, self._bucket(rule, principal, model, meta))]
                while hits and hits[0] <= now - rule.window_seconds:
                    hits.popleft()
                if len(hits) >= rule.limit_to:
                    wait = rule.window_seconds - (now - hits[0]) if hits else rule.window_seconds
                    raise GatewayError(
                        429,
                        guess.RATE_LIMIT_MESSAGE.format(
                            rule=rule.id, limit=rule.limit_to, per=_PER[rule.unit]
                        ),
                        error_type=guess.RATE_LIMIT_ERROR_TYPE,
                        origin=guess.RATE_LIMIT_ORIGIN,
                        headers={"Retry-After": str(max(1, math.ceil(wait)))},
                    )
                hits.append(now)


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
