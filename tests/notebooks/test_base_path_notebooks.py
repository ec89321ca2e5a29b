"""The notebooks pass against a mock whose base URL carries a path (`/api/llm`, as older and
self-hosted gateways have): code that dropped the path of GATEWAY_BASE_URL would fail there.

Under `make test` this is the one execution of every notebook (nbmake, with
MOCK_GATEWAY_BASE_PATH=/api/llm): these tests read its executed copies in
GUIDE_EXECUTED_NOTEBOOKS. Without that variable they execute the notebooks that call the data
plane here, each against its own prefixed mock (01 registers models on the control plane, which
carries no gateway prefix; 07 builds the very clients of 02 and 04). The plain URL is the one
`make lab` gives the notebooks (test_playground_browser runs 07 there).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from support import ROOT, error_outputs

from helpers.gateway import SHARED_MOCK_VARIABLE

pytestmark = pytest.mark.slow

BASE_PATH = "/api/llm"
EXECUTED = os.environ.get("GUIDE_EXECUTED_NOTEBOOKS")
PREFIXED = ["00_setup", "02_tts_quickstart", "03_tts_streaming", "04_stt_quickstart",
            "05_stt_streaming", "06_errors_and_access", "08_voice_agent"]  # fmt: skip


def execute_prefixed(path: Path, scratch: Path) -> nbformat.NotebookNode:
    """The notebook executed by a kernel that starts its own mock under BASE_PATH."""
    notebook = nbformat.read(path, as_version=4)
    env = {
        **os.environ,
        "GATEWAY_BASE_URL": "",
        "TFY_API_KEY": "",
        "TFY_HOST": "",
        SHARED_MOCK_VARIABLE: "",  # not a shared mock: each kernel starts its own, prefixed
        "MOCK_GATEWAY_BASE_PATH": BASE_PATH,
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
    }
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=env)  # raises CellExecutionError, naming the cell, if any cell fails
    return notebook


def outputs_of(notebook: nbformat.NotebookNode) -> str:
    """The text of every output."""
    return "".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


@pytest.mark.parametrize("name", PREFIXED)
def test_notebook_runs_against_a_prefixed_mock(name: str, tmp_path: Path) -> None:
    if EXECUTED:
        notebook = nbformat.read(Path(EXECUTED) / f"{name}.ipynb", as_version=4)
        errors = error_outputs(notebook)
        assert not errors, f"{name}: {errors[0].ename}: {errors[0].evalue}"
    else:
        notebook = execute_prefixed(ROOT / "notebooks" / f"{name}.ipynb", tmp_path)
    if name == "00_setup":  # the settings cell shows the gateway URL the notebook used
        assert f"{BASE_PATH}" in outputs_of(notebook), outputs_of(notebook)[:2000]
