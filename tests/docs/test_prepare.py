"""docs/prepare.py takes the notebooks `make test` executed, and says so when one is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_output

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def prepare(stage: Path, executed: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "", "GUIDE_EXECUTED_NOTEBOOKS": str(executed)}
    return subprocess.run(
        [sys.executable, str(ROOT / "docs" / "prepare.py"), str(stage)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def plant_outputs(folder: Path) -> None:
    """Each notebook with one recognisable output, as if executed; a kernel run would replace it."""
    folder.mkdir()
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        cell = next(cell for cell in notebook.cells if cell.cell_type == "code")
        cell.outputs = [new_output("stream", name="stdout", text=f"planted in {path.name}\n")]
        nbformat.write(notebook, folder / path.name)


@pytest.mark.slow  # a docs/prepare.py subprocess, seconds long: not in test-fast
def test_the_executed_notebooks_are_taken_not_run_again(tmp_path: Path):
    plant_outputs(tmp_path / "executed")
    done = prepare(tmp_path / "stage", tmp_path / "executed")
    assert done.returncode == 0, done.stderr
    assert "executed " not in done.stdout  # no kernel ran
    for path in NOTEBOOKS:
        staged = nbformat.read(tmp_path / "stage" / "notebooks" / path.name, as_version=4)
        texts = [o.get("text", "") for c in staged.cells for o in c.get("outputs", [])]
        assert texts == [f"planted in {path.name}\n"], path.name
    home = (tmp_path / "stage" / "index.md").read_text(encoding="utf-8")
    assert "(notebooks/00_setup.ipynb)" in home and "(helpers/" not in home


@pytest.mark.slow  # a docs/prepare.py subprocess, seconds long: not in test-fast
def test_a_missing_executed_notebook_is_one_clear_line(tmp_path: Path):
    plant_outputs(tmp_path / "executed")
    (tmp_path / "executed" / NOTEBOOKS[-1].name).unlink()
    done = prepare(tmp_path / "stage", tmp_path / "executed")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"docs: GUIDE_EXECUTED_NOTEBOOKS={tmp_path / 'executed'} has no {NOTEBOOKS[-1].name}"
    ]
