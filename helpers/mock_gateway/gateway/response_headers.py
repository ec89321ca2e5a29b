"""Response headers TrueFoundry documents: `x-tfy-resolved-model` and, on non-streaming
responses, `server-timing` [doc]; their values are [guess]es kept in undocumented.py."""

from __future__ import annotations

import time

from .. import undocumented as guess
from .manifests import ModelRecord

RESOLVED_MODEL_HEADER = "x-tfy-resolved-model"
SERVER_TIMING_HEADER = "server-timing"


def resolved_model(record: ModelRecord) -> dict[str, str]:
    """The header naming the model the gateway resolved the request to."""
    value = guess.RESOLVED_MODEL_HEADER_VALUE.format(account=record.account, model=record.model_id)
    return {RESOLVED_MODEL_HEADER: value}


def server_timing(started: float) -> dict[str, str]:
    """The header with the gateway's time since `started` (a time.perf_counter() value)."""
    ms = (time.perf_counter() - started) * 1000
    return {SERVER_TIMING_HEADER: guess.SERVER_TIMING_VALUE.format(ms=ms)}
