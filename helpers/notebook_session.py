"""Pytest plugin: notebooks run by pytest (nbmake) share one mock gateway, started once.

Their kernels find it through GUIDE_SHARED_MOCK_URL, set only while a notebook runs; other
tests see the environment unchanged. pyproject.toml loads this plugin (`-p` in addopts); a
notebook run without it (or opened in a bare `jupyter lab`) starts its own embedded mock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from helpers.gateway import SHARED_MOCK_VARIABLE, mock_options

if TYPE_CHECKING:
    from helpers.mock_gateway.server import RunningGateway


@dataclass
class _Session:
    """The running mock, and the variable's value before the current notebook announced it."""

    gateway: RunningGateway | None = None
    saved: str | None = None
    announced: bool = False


_session = _Session()


def _is_notebook(item: pytest.Item) -> bool:
    return item.path.suffix == ".ipynb"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a notebook: start the shared mock once, and announce it to the kernel."""
    if not _is_notebook(item):
        return
    if _session.gateway is None:
        from helpers.mock_gateway.server import start_in_thread

        _session.gateway = start_in_thread(host="127.0.0.1", port=0, **mock_options())
    _session.saved = os.environ.get(SHARED_MOCK_VARIABLE)
    _session.announced = True
    os.environ[SHARED_MOCK_VARIABLE] = _session.gateway.base_url


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """After a notebook: the environment as it was."""
    if not _is_notebook(item) or not _session.announced:
        return
    saved, _session.saved, _session.announced = _session.saved, None, False
    if saved is None:
        os.environ.pop(SHARED_MOCK_VARIABLE, None)
    else:
        os.environ[SHARED_MOCK_VARIABLE] = saved


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the shared mock with the session."""
    gateway, _session.gateway = _session.gateway, None
    if gateway is not None:
        gateway.stop()
