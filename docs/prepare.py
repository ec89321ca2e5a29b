"""Stage the guide's pages for mkdocs: the README as the home page and every notebook executed once.

Usage: python docs/prepare.py [STAGE_DIR] [--cell-timeout SECONDS]

Executed notebooks come from $GUIDE_EXECUTED_NOTEBOOKS when it names a folder (the run `make test`
already made); otherwise each notebook runs here, one kernel at a time, against the embedded mock
with every `.env` setting emptied, so a page never sees a real key. Embedded WAV players are
re-encoded as MP3 and live widgets replaced by a note, to keep pages small and static.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import io
import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import soundfile as sf
from dotenv import dotenv_values
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / "build" / "docs"  # mkdocs.yml's docs_dir
EXECUTED_ENV = "GUIDE_EXECUTED_NOTEBOOKS"
NOTEBOOK_NAME = re.compile(r"^\d\d_\w+\.ipynb$")
# Set-but-empty variables win over `.env` (helpers.config loads it without overriding).
ALWAYS_EMPTIED = ("GATEWAY_BASE_URL", "TFY_API_KEY", "TFY_HOST")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<div class="admonition info"><p class="admonition-title">A live widget goes here</p>'
    "<p>This cell shows an interactive widget (ipywidgets) when you run the notebook in "
    "JupyterLab (<code>make lab</code>): it needs a running kernel, which a static page has "
    "not.</p></div>"
)
# An embedded WAV as IPython.display.Audio writes it: <source src="data:audio/wav;base64,..." ...>
WAV_SOURCE = re.compile(
    r'src="data:audio/(?:x-)?wav;base64,(?P<data>[A-Za-z0-9+/=\s]+)"'
    r'(?:\s+type="audio/(?:x-)?wav")?'
)
# libsndfile's 0..1 scale for LAME's variable bit rate: about 37 kbit/s for speech, clear enough
# to follow and ~20x smaller than 16-bit PCM; MP3 plays in every browser.
MP3_COMPRESSION = 0.9
MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")


class NotebookFailed(RuntimeError):
    """A notebook raised or hung while executing; the docs are not built from a broken run."""


def find_notebooks(folder: Path) -> list[Path]:
    """The `NN_topic.ipynb` notebooks of `folder`, in series order."""
    return sorted(path for path in folder.glob("*.ipynb") if NOTEBOOK_NAME.match(path.name))


def mock_environment() -> dict[str, str]:
    """This process's environment with every setting `.env.example` documents emptied."""
    example = ROOT / ".env.example"
    names = set(ALWAYS_EMPTIED) | set(dotenv_values(example) if example.exists() else {})
    return {**os.environ, **dict.fromkeys(names, "")}


def execute(path: Path, *, cell_timeout: int) -> nbformat.NotebookNode:
    """Run `path` top to bottom in a fresh `python3` kernel (cwd = its folder), on the mock."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute(env=mock_environment())
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        raise NotebookFailed(
            f"{path.name} failed (reproduce with: .venv/bin/python -m pytest --nbmake {path})\n"
            f"{error}"
        ) from error
    return notebook


def executed_notebook(path: Path, *, cell_timeout: int) -> nbformat.NotebookNode:
    """`path` executed: the copy in $GUIDE_EXECUTED_NOTEBOOKS if set, else executed now."""
    if folder := os.environ.get(EXECUTED_ENV):
        copy = Path(folder) / path.name
        if not copy.is_file():
            raise NotebookFailed(f"{EXECUTED_ENV}={folder} has no {path.name}")
        return nbformat.read(copy, as_version=4)
    started = time.perf_counter()
    notebook = execute(path, cell_timeout=cell_timeout)
    print(f"executed {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return notebook


def wav_to_mp3(wav: bytes) -> bytes:
    """Re-encode WAV (or any audio soundfile reads) as a variable bit rate MP3."""
    samples, rate = sf.read(io.BytesIO(wav), dtype="float32")
    mp3 = io.BytesIO()
    sf.write(
        mp3,
        samples,
        rate,
        format="MP3",
        subtype="MPEG_LAYER_III",
        bitrate_mode="VARIABLE",
        compression_level=MP3_COMPRESSION,
    )
    return mp3.getvalue()


def _mp3_source(match: re.Match[str]) -> str:
    try:
        mp3 = wav_to_mp3(base64.b64decode(match.group("data")))
    except (binascii.Error, sf.LibsndfileError, RuntimeError):
        return match.group(0)  # not a WAV soundfile can read: keep it as it is
    encoded = base64.b64encode(mp3).decode("ascii")
    return f'src="data:audio/mpeg;base64,{encoded}" type="audio/mpeg"'


def make_static(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """WAV players re-encoded as MP3, live widget views (and saved widget state) as a note."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                output["data"] = {"text/html": WIDGET_NOTE}
            elif "data:audio/" in (html := data.get("text/html", "")):
                data["text/html"] = WAV_SOURCE.sub(_mp3_source, html)
    return notebook


def home_page(readme: str, staged: set[str]) -> str:
    """The README, titled "Overview", with links to files the site lacks turned into plain text."""

    def keep_or_unlink(match: re.Match[str]) -> str:
        target = match.group("target")
        if re.match(r"^[a-z]+:|#", target) or target.split("#")[0] in staged:
            return match.group(0)
        return match.group("text")

    front_matter = "---\ntitle: Overview\n---\n\n"  # the sidebar's name for the home page
    return front_matter + MARKDOWN_LINK.sub(keep_or_unlink, readme)


def stage(target: Path, *, cell_timeout: int) -> list[Path]:
    """Write `index.md` and `notebooks/NN_*.ipynb` (executed, static) into `target`."""
    notebooks = find_notebooks(ROOT / "notebooks")
    if not notebooks:
        raise NotebookFailed("no notebooks/NN_*.ipynb to build")
    shutil.rmtree(target, ignore_errors=True)
    (target / "notebooks").mkdir(parents=True)
    for path in notebooks:
        page = make_static(executed_notebook(path, cell_timeout=cell_timeout))
        nbformat.write(page, target / "notebooks" / path.name)
    staged = {f"notebooks/{path.name}" for path in notebooks}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (target / "index.md").write_text(home_page(readme, staged), encoding="utf-8")
    return notebooks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", type=Path, default=STAGE)
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        notebooks = stage(args.target, cell_timeout=args.cell_timeout)
    except NotebookFailed as error:
        print(f"docs: {error}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"staged {len(notebooks)} notebooks in {elapsed:.1f} s into {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
