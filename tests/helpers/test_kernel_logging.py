"""A kernel of this project's venv (set up by `make setup`) no longer prints the TCP warning."""

from __future__ import annotations

import logging
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.kernel_logging import UNENCRYPTED_TCP_WARNING, HideUnencryptedTcpWarning

pytestmark = pytest.mark.slow


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("IPKernelApp", logging.WARNING, __file__, 1, message, None, None)


def test_only_the_tcp_warning_is_dropped() -> None:
    kept = HideUnencryptedTcpWarning()
    assert not kept.filter(record(f"{UNENCRYPTED_TCP_WARNING}. All communication ..."))
    assert kept.filter(record("Debugger warning: something else"))


def test_a_kernel_started_here_prints_no_tcp_warning(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hi')")])
    log = tmp_path / "kernel.log"
    with log.open("w") as kernel_output:
        NotebookClient(notebook, kernel_name="python3", timeout=60).execute(
            stdout=kernel_output, stderr=kernel_output
        )
    assert notebook.cells[0].outputs[0].text == "hi\n"
    assert UNENCRYPTED_TCP_WARNING not in log.read_text()
