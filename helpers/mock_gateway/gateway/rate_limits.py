"""Rate-limit rules (gateway-rate-limiting-config): sliding-window counters, 429 when exceeded."""

from __future__ import annotations

import json
import math
import threading
import time
from collections import defaultdict, deque

from .. import undocumented as guess
from .errors import GatewayError
from .manifests import RateLimitRule
from .registry import Principal, Registry

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
