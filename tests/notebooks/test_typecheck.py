"""The notebooks' type check (nbqa + mypy, the project's own config) catches a wrong SDK call."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

CLIENT = """from cartesia import AsyncCartesia

client = AsyncCartesia(api_key="dummy", base_url="http://127.0.0.1:9")"""

CALL = """response = await client.tts.generate(  # top-level await, as in every notebook
    model_id="sonic-3.5",
    transcript="Hello.",
    voice={"id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
    output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 44100},
)
audio = await response.read()"""

# The same call with one mistake: a sample rate Cartesia does not offer.
WRONG_CALL = CALL.replace('"sample_rate": 44100', '"sample_rate": 44000')


def write_notebook(path: Path, *cells: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(notebook, path)


@pytest.mark.slow
def test_the_notebook_check_fails_on_a_wrong_sdk_call_and_passes_a_right_one(tmp_path: Path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # the project's mypy and nbqa settings
    write_notebook(tmp_path / "right.ipynb", CLIENT, CALL)
    write_notebook(tmp_path / "wrong.ipynb", CLIENT, WRONG_CALL)
    env = {**os.environ, "MYPY_CACHE_DIR": str(ROOT / ".mypy_cache" / "notebooks"), "NO_COLOR": "1"}

    check = subprocess.run(
        [sys.executable, "-m", "nbqa", "mypy", ".", "--no-color-output"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    report = check.stdout + check.stderr
    assert check.returncode == 1, report
    errors = [line for line in report.splitlines() if ": error:" in line]
    assert errors, report
    assert all(line.startswith("wrong.ipynb:cell_2:5:") for line in errors), errors  # that line
    assert any('"output_format"' in line and "[arg-type]" in line for line in errors), errors
    assert "right.ipynb" not in report, report
