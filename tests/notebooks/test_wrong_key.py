"""Pointed at a gateway that refuses the key (401) or the model (403), each notebook stops at its
first call with the one-line diagnosis, never a traceback or an unrelated exception."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DIAGNOSIS = "401 wrong key: the gateway does not accept TFY_API_KEY not-…(14 chars); "
OUTSIDER_KEY = "tfy-mock-outsider-key"  # valid, but shared with no provider account
# Notebooks whose first call needs a model: the SDK's 403, shown as one line with the fix.
FIRST_CALL_USES_A_MODEL = [
    "02_tts_quickstart",
    "03_tts_streaming",
    "04_stt_quickstart",
    "05_stt_streaming",
]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_a_wrong_key_stops_the_notebook_at_its_first_call_with_the_fix(path, gateway) -> None:
    cell, error = _run_until_error(path, gateway.url, "not-a-real-key")
    assert error.ename == "GatewayError", error
    assert "ensure_gateway(load_settings()" in cell.source, "not stopped at the first call"
    assert error.traceback == [f"GatewayError: {error.evalue}"], "a traceback, not one line"
    assert error.evalue.startswith(DIAGNOSIS), error.evalue
    assert "put a valid TrueFoundry API key in .env" in error.evalue


@pytest.mark.parametrize("name", FIRST_CALL_USES_A_MODEL)
def test_a_key_without_access_stops_at_the_first_call_with_the_fix(name, gateway) -> None:
    path = next(path for path in NOTEBOOKS if path.stem == name)
    cell, error = _run_until_error(path, gateway.url, OUTSIDER_KEY)
    assert error.ename == "PermissionDeniedError", error
    assert "await" in cell.source, "not stopped at an SDK call"
    [line] = error.traceback  # one line, no traceback
    assert line.startswith("403 PermissionDeniedError: User virtualaccount:outsider is not "), line
    assert "or share the account with this key's user, team or virtual account" in line


def test_the_setup_notebook_names_the_model_the_key_may_not_use(gateway) -> None:
    _, error = _run_until_error(NOTEBOOKS[0], gateway.url, OUTSIDER_KEY)
    assert error.ename == "AssertionError", error
    assert "cartesia-main/sonic-3.5 is not available to this key: register it" in error.evalue


def test_the_playground_says_the_key_may_use_no_voice_model(gateway) -> None:
    path = next(path for path in NOTEBOOKS if path.stem == "07_playground")
    _, error = _run_until_error(path, gateway.url, OUTSIDER_KEY)
    assert error.traceback == [f"PlaygroundError: {error.evalue}"], "a traceback, not one line"
    assert "may use no text-to-speech model" in error.evalue


def _run_until_error(path: Path, gateway_url: str, key: str):
    """Execute the notebook against this gateway with this key: the cell that failed, its error."""
    notebook = nbformat.read(path, as_version=4)
    env = {**os.environ, "GATEWAY_BASE_URL": gateway_url, "TFY_API_KEY": key}
    env.pop("GUIDE_SHARED_MOCK_URL", None)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    with pytest.raises(CellExecutionError):
        client.execute(env=env)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    failed = next(cell for cell in code_cells if cell.get("outputs") and _error(cell))
    return failed, _error(failed)


def _error(cell):
    return next((out for out in cell.outputs if out.output_type == "error"), None)
