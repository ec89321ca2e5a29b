"""The notebooks that call the data plane pass against a mock whose base URL carries a path
(`MOCK_GATEWAY_BASE_PATH=/api/llm`, as older and self-hosted gateways have).

Not run here, and why: 01 registers models on the control plane at TFY_HOST, which carries no
gateway prefix; 07 builds the very clients of 02 and 04 (helpers.clients) and is driven in
Chromium by test_playground_browser. The plain-URL run of every notebook is `make test`'s nbmake.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from support import ROOT

from helpers.gateway import SHARED_MOCK_VARIABLE

pytestmark = pytest.mark.slow

PREFIXED = ["00_setup", "02_tts_quickstart", "03_tts_streaming", "04_stt_quickstart",
            "05_stt_streaming", "06_errors_and_access", "08_voice_agent"]  # fmt: skip


@pytest.mark.parametrize("name", PREFIXED)
def test_notebook_runs_against_a_prefixed_mock(name: str, tmp_path: Path) -> None:
    path = ROOT / "notebooks" / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    env = {
        **os.environ,
        "GATEWAY_BASE_URL": "",
        "TFY_API_KEY": "",
        "TFY_HOST": "",
        SHARED_MOCK_VARIABLE: "",  # not a shared mock: each kernel starts its own, prefixed
        "MOCK_GATEWAY_BASE_PATH": "/api/llm",
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=env)  # raises CellExecutionError, naming the cell, if any cell fails
    outputs = "".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )
    if name == "00_setup":  # the settings cell shows the gateway URL the notebook used
        assert "/api/llm" in outputs, outputs[:2000]
