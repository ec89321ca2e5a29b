"""Pointed at a gateway that refuses the key (401), each notebook stops at its first call with
the one-line diagnosis, never a traceback or an unrelated exception."""

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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_a_wrong_key_stops_the_notebook_at_its_first_call_with_the_fix(path, gateway) -> None:
    notebook = nbformat.read(path, as_version=4)
    env = {**os.environ, "GATEWAY_BASE_URL": gateway.url, "TFY_API_KEY": "not-a-real-key"}
    env.pop("GUIDE_SHARED_MOCK_URL", None)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    )
    with pytest.raises(CellExecutionError) as stopped:
        client.execute(env=env)
    assert stopped.value.ename == "GatewayError", stopped.value
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    failed = next(cell for cell in code_cells if cell.get("outputs") and _error(cell))
    assert "ensure_gateway(load_settings())" in failed.source, "not stopped at the first call"
    error = _error(failed)
    assert error.traceback == [f"GatewayError: {error.evalue}"], "a traceback, not one line"
    assert error.evalue.startswith(DIAGNOSIS), error.evalue
    assert "put a valid TrueFoundry API key in .env" in error.evalue


def _error(cell):
    return next((out for out in cell.outputs if out.output_type == "error"), None)
