"""`make` and the supported Python range: the interpreter it picks, or one line saying why not."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
LOW, HIGH = (int(m) for m in re.fullmatch(r">=3\.(\d+),<3\.(\d+)", SPEC).groups())


def version_of(python: str) -> tuple[int, ...] | None:
    """(major, minor) of an interpreter, None when it does not run (e.g. an inactive pyenv shim)."""
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True, text=True, timeout=20,
        )  # fmt: skip
    except OSError:
        return None
    return tuple(int(n) for n in done.stdout.split()) if done.returncode == 0 else None


def outside_interpreters() -> list[str]:
    """Real interpreters outside the range: python3.X on PATH, then pyenv's installed versions."""
    names = [shutil.which(f"python3.{minor}") for minor in range(LOW - 1, 5, -1)]
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        names += sorted(str(p) for p in Path(root).glob("versions/*/bin/python3"))
    return [n for n in names if n and (v := version_of(n)) and not (3, LOW) <= v < (3, HIGH)]


def make(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path or os.environ["PATH"]}
    command = [shutil.which("make") or "make", "--no-print-directory", *args]
    for inherited in ("PYTHON", "VENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # from `make test`
        env.pop(inherited, None)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_requires_python_is_stated_once_and_matches_ruff() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["ruff"]["target-version"] == f"py3{LOW}"
    readme_first_screen = (ROOT / "README.md").read_text().splitlines()[:25]
    assert any(f"Python 3.{LOW} to 3.{HIGH - 1}" in line for line in readme_first_screen)


@pytest.fixture(scope="module")
def outside_python() -> str:
    """A real interpreter outside the range (3.10 here). CI images promise none: CI may skip."""
    found = outside_interpreters()
    if not found:
        pytest.skip(f"no Python outside 3.{LOW}-3.{HIGH - 1} on PATH or in pyenv to refuse")
    return found[0]


def assert_one_line_refusal(done: subprocess.CompletedProcess[str], python: str) -> str:
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    major, minor = version_of(python)
    assert f"Python {major}.{minor}." in lines[0] and python in lines[0]
    assert f"needs Python 3.{LOW} to 3.{HIGH - 1}" in lines[0] and "PYTHON=" in lines[0]
    assert "Traceback" not in done.stdout + done.stderr
    return lines[0]


def test_an_interpreter_outside_the_range_is_refused_in_one_line(
    outside_python: str, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    done = make("setup", f"VENV={venv}", f"PYTHON={outside_python}")
    assert_one_line_refusal(done, outside_python)
    assert not venv.exists()


def test_a_venv_made_with_an_outside_interpreter_is_refused(
    outside_python: str, tmp_path: Path
) -> None:
    """A .venv left by an older checkout, which allowed 3.10: make says to remove it."""
    venv = tmp_path / "venv"
    subprocess.run([outside_python, "-m", "venv", "--without-pip", str(venv)], check=True)
    done = make("setup", f"VENV={venv}")
    line = assert_one_line_refusal(done, str(venv / "bin" / "python"))
    assert "make clean" in line
    assert not (venv / ".installed").exists()


def tools_only_path(folder: Path) -> str:
    """A PATH holding the tools make and the finder script use, and no Python."""
    folder.mkdir()
    for tool in ("make", "bash", "sed", "cut", "sort", "ls", "dirname"):
        (folder / tool).symlink_to(shutil.which(tool))
    return str(folder)


def test_the_newest_supported_python_that_runs_is_picked(tmp_path: Path) -> None:
    """python3 too old, the newest python3.X a failing pyenv-like shim: the next one is used."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "python3"  # stands for an old python3 (it only answers the version)
    stand_in.write_text("#!/bin/sh\necho 3.9.18\n")
    shim = bin_dir / f"python3.{HIGH - 1}"
    shim.write_text("#!/bin/sh\necho 'pyenv: version not installed' >&2\nexit 127\n")
    runs = bin_dir / f"python3.{HIGH - 2}"
    runs.symlink_to(sys.executable)  # this suite's own interpreter, which is in range
    for script in (stand_in, shim):
        script.chmod(0o755)
    venv = tmp_path / "venv"
    done = make("-n", "setup", f"VENV={venv}", path=f"{bin_dir}:{tools_only_path(tmp_path / 't')}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"{runs} -m venv {venv}"
