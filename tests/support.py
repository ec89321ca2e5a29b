"""Test support shared by the tests that start servers, JupyterLab or a browser."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A loopback TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mock_jupyter_env(scratch: Path) -> dict[str, str]:
    """os.environ with empty gateway settings (the embedded mock) and Jupyter dirs under scratch."""
    return {
        **os.environ,
        "GATEWAY_BASE_URL": "",
        "TFY_API_KEY": "",
        "TFY_HOST": "",
        "JUPYTER_CONFIG_DIR": str(scratch / "config"),
        "JUPYTER_DATA_DIR": str(scratch / "data"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "IPYTHONDIR": str(scratch / "ipython"),
    }


def require_chromium() -> Path:
    """The system Chromium; skips the test without it, but fails it on CI (CI=true)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install it with `apt-get install chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def launch_chromium(playwright: Playwright, *extra_args: str) -> Browser:
    """Headless system Chromium for Playwright, quiet and offline, plus any extra flags."""
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), args=[*CHROMIUM_ARGS, *extra_args]
    )
