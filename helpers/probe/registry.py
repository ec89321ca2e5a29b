"""A probe check: the [guess]es it settles, what the mock assumes, what the gateway answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from helpers.mock_gateway import undocumented as guess

from .calls import Calls

Observation = tuple[Any, Any]  # (what the mock assumes, what this gateway answered)


class NotObserved(Exception):
    """This gateway or key cannot show the behaviour (e.g. the model is not registered)."""


@dataclass(frozen=True)
class Check:
    """One check: the constants of undocumented.py it reads, and how it observes them."""

    guesses: str
    what: str
    observe: Callable[[Calls], Observation]


CHECKS: list[Check] = []


def check(guesses: str, what: str) -> Callable[[Callable[[Calls], Observation]], Callable]:
    """Register a check of the named constants of undocumented.py (all must exist there)."""
    for name in guesses.split(", "):
        getattr(guess, name)  # a renamed guess fails at import, not silently

    def register(observe: Callable[[Calls], Observation]) -> Callable[[Calls], Observation]:
        CHECKS.append(Check(guesses, what, observe))
        return observe

    return register


def body(response: httpx.Response) -> dict[str, Any]:
    """The JSON object of a response, or {} when it is not one."""
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def message(response: httpx.Response) -> str:
    """The human message of an error: TrueFoundry's and Cartesia's `message`, else the text."""
    return str(body(response).get("message", response.text[:200]))


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()
