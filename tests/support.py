"""What several test folders share: the mock's keys and voice, strict SDK clients, optional outside
files, and the Jupyter and Chromium set-up of the tests that start JupyterLab or a browser."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cartesia import AsyncCartesia
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

ROOT = Path(__file__).resolve().parent.parent  # the repository
BESIDE = ROOT.parent  # optional reference files sit in ../shared, outside the repository
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


ACCOUNT = "cartesia-main"
LEARNER_KEY = "tfy-mock-learner-key"
OUTSIDER_KEY = "tfy-mock-outsider-key"
ADMIN_KEY = "tfy-mock-admin-key"
VOICE_ID = "a0e99841-438c-4a64-b679-ae501e7d6091"


def sdk_client(
    url: str, service: str, *, key: str | None = LEARNER_KEY, account: str = ACCOUNT, **options
) -> AsyncCartesia:
    """A strict AsyncCartesia for `{url}/{service}/{account}` with the gateway key header."""
    headers = {"x-tfy-api-key": key} if key is not None else {}
    ws_url = url.replace("http://", "ws://", 1)
    return AsyncCartesia(
        api_key="dummy",
        base_url=f"{url}/{service}/{account}",
        websocket_base_url=f"{ws_url}/{service}/{account}",
        default_headers=headers,
        _strict_response_validation=True,
        **options,
    )


def skip_unless_on_ci(message: str) -> None:
    """Skip the test with `message`, but fail it on CI (CI=true), where everything is present."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_outside_file(path: Path, what: str) -> Path:
    """An optional file outside the repository; skips (fails on CI) when it is absent."""
    if not path.is_file():
        where = path.relative_to(BESIDE) if path.is_relative_to(BESIDE) else path.name
        skip_unless_on_ci(f"{what} not found at ../{where} (optional, beside the repository)")
    return path


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
        skip_unless_on_ci(f"{CHROMIUM} not found: install it with `apt-get install chromium`")
    return CHROMIUM


def launch_chromium(playwright: Playwright, *extra_args: str) -> Browser:
    """Headless system Chromium for Playwright, quiet and offline, plus any extra flags."""
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), args=[*CHROMIUM_ARGS, *extra_args]
    )


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of the fuzz tests: the same examples on every run (CI stays
    deterministic), no deadline, fixtures allowed."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def json_trees(text_size: int, key_size: int, items: int, leaves: int) -> st.SearchStrategy[Any]:
    """Any JSON value: scalars, then lists and objects of up to `items`, `leaves` leaves at most."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=False)
        | st.text(max_size=text_size),
        lambda children: (
            st.lists(children, max_size=items)
            | st.dictionaries(st.text(max_size=key_size), children, max_size=items)
        ),
        max_leaves=leaves,
    )


def error_outputs(notebook: Any) -> list[Any]:
    """The error outputs of an executed notebook (an nbformat node), in cell order."""
    return [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
