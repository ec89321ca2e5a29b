"""The site built once per test session, as `make docs` builds it, into a temporary folder."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import mock_jupyter_env

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BuiltSite:
    """The staged pages mkdocs read (executed notebooks, index.md) and the site it wrote."""

    stage: Path
    site: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """docs/prepare.py (executed notebooks from $GUIDE_EXECUTED_NOTEBOOKS, or executed once),
    then mkdocs with docs/mkdocs.yml, strict, into temporary folders."""
    scratch = tmp_path_factory.mktemp("docs")
    stage, site = scratch / "stage", scratch / "site"
    started = time.perf_counter()
    prepare = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "prepare.py"), str(stage)],
        cwd=ROOT,
        env=mock_jupyter_env(scratch),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepare.returncode == 0, f"docs/prepare.py failed:\n{prepare.stderr[-3000:]}"
    staged = time.perf_counter()
    build(load_config(str(ROOT / "docs" / "mkdocs.yml"), docs_dir=str(stage), site_dir=str(site)))
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    print(
        f"docs: staged in {staged - started:.1f} s, built in {time.perf_counter() - staged:.1f} s,"
        f" site {size / 2**20:.1f} MiB"
    )
    return BuiltSite(stage, site)


@pytest.fixture(scope="session")
def site(built: BuiltSite) -> Path:
    """The built site's folder."""
    return built.site
