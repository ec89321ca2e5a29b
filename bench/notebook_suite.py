"""Wall time of the notebook suite against one shared mock, next to the kernel start-up floor.

As under `make test` and `make lab`, every kernel uses one mock started once for the suite.
"""

from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime
from pathlib import Path

import nbformat
from mock_process import running_mock
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers.gateway import SHARED_MOCK_VARIABLE

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(
    notebook: nbformat.NotebookNode, cwd: Path, env: dict[str, str], timeout: int = 300
) -> float:
    """Execute a notebook in a fresh python3 kernel (as nbmake does); return the seconds it took."""
    client = NotebookClient(
        notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    started = time.perf_counter()
    client.execute(env=env, stderr=subprocess.DEVNULL)  # ipykernel's start-up warnings
    return time.perf_counter() - started


def slowest_cells(notebook: nbformat.NotebookNode, count: int = 2) -> list[str]:
    """The cells that took longest (nbclient's timing metadata), as "1.23 s: first line"."""
    timed = []
    for cell in notebook.cells:
        timing = cell.metadata.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if cell.cell_type == "code" and start and end:
            seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
            timed.append((seconds, (cell.source.strip().splitlines() or [""])[0][:60]))
    return [f"{seconds:.2f} s: {line}" for seconds, line in sorted(timed, reverse=True)[:count]]


def empty_notebook() -> nbformat.NotebookNode:
    """One empty code cell: what executing costs when the notebook does nothing."""
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])


def measure(notebooks: list[Path] | None = None) -> dict[str, object]:
    """Execute each notebook, then the empty one (the floor); compare sums over those that pass."""
    paths = notebooks if notebooks is not None else sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    with running_mock() as mock:
        env = {**os.environ, SHARED_MOCK_VARIABLE: mock.url}
        per_notebook, failed = _time_each(paths, env)
    total = sum(entry["seconds"] for entry in per_notebook.values())
    floor_total = sum(entry["floor_seconds"] for entry in per_notebook.values())
    return {
        "notebooks": len(per_notebook),
        "failed": failed,
        "suite_seconds": round(total, 2),
        "floor_seconds": round(floor_total, 2),
        "ratio": round(total / floor_total, 2) if floor_total else None,
        "per_notebook": per_notebook,
    }


def _time_each(paths: list[Path], env: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """Each notebook's time and its own floor; the notebooks that failed, with their error."""
    per_notebook: dict[str, dict[str, object]] = {}
    failed: dict[str, str] = {}
    execute(empty_notebook(), NOTEBOOKS, env)  # warm the disk cache; not counted
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        try:
            seconds = execute(notebook, path.parent, env)
        except CellExecutionError as error:  # a failing notebook stops early: not timed
            failed[path.name] = f"{error.ename}: {error.evalue}"[:200]
            continue
        floor = execute(empty_notebook(), path.parent, env)
        per_notebook[path.name] = {
            "seconds": round(seconds, 3),
            "floor_seconds": round(floor, 3),
            "slowest_cells": slowest_cells(notebook),
        }
    return per_notebook, failed
