"""Under pytest, notebook kernels share one mock started once; without the plugin, one each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import nbformat
import pytest

pytestmark = pytest.mark.slow

WRITE_GATEWAY_URL = """
from pathlib import Path
from helpers.config import load_settings
from helpers.gateway import ensure_gateway
Path({out!r}).write_text(ensure_gateway(load_settings()).gateway_base_url)
"""


def run_notebooks(tmp_path: Path, *plugin: str) -> list[str]:
    """Two one-cell notebooks under `pytest --nbmake`; the gateway URL each kernel used."""
    outputs = [tmp_path / f"{name}.url" for name in ("first", "second")]
    for out in outputs:
        cell = nbformat.v4.new_code_cell(WRITE_GATEWAY_URL.format(out=str(out)))
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), out.with_suffix(".ipynb"))
    env = {**os.environ, "GATEWAY_BASE_URL": "", "TFY_API_KEY": ""}
    env.pop("GUIDE_SHARED_MOCK_URL", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *plugin]
    command += ["--nbmake", *(str(out.with_suffix(".ipynb")) for out in outputs)]
    finished = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stdout[-2000:]
    return [out.read_text() for out in outputs]


def test_notebooks_in_one_session_share_one_mock_stopped_at_its_end(tmp_path: Path) -> None:
    first, second = run_notebooks(tmp_path, "-p", "helpers.notebook_session")
    assert first == second, "each notebook started its own mock"
    assert first.startswith("http://127.0.0.1:")
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{first}/models", timeout=2)


def test_without_the_plugin_each_notebook_starts_its_own_mock(tmp_path: Path) -> None:
    first, second = run_notebooks(tmp_path)
    assert first != second
