"""`make docs`: execute every notebook against the embedded mock and render a static site.

Usage: python docs/build.py [OUTPUT_DIR] [--notebooks DIR] [--cell-timeout SECONDS] [--jobs N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from jupyter_core.paths import jupyter_path
from nbconvert import HTMLExporter
from nbformat import NotebookNode
from page_outputs import CompressAudio, StaticWidgets
from run_notebooks import NotebookFailed, execute_all
from series import Entry, describe, find_notebooks

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE_TITLE = "Cartesia voice models through the TrueFoundry AI Gateway"
HEAVY_PAGE_BYTES = 500_000  # pages above this are reported so their notebook can trim outputs


def make_exporter() -> HTMLExporter:
    """nbconvert's HTML exporter with this site's template (lab, offline, banner, copy buttons)."""
    exporter = HTMLExporter(template_name="guide", extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor(CompressAudio(), enabled=True)
    exporter.register_preprocessor(StaticWidgets(), enabled=True)
    return exporter


def build_site(
    output: Path, notebooks: Path, *, cell_timeout: int = 60, jobs: int = 2
) -> list[Entry]:
    """Execute and render every `NN_*.ipynb` of `notebooks` into `output`; return the series.

    `jobs` notebooks run at once, each in its own kernel and mock (so they must not write the same
    files in notebooks/output/); each page is rendered in a worker thread as soon as it is ready."""
    paths = find_notebooks(notebooks)
    if not paths:
        raise FileNotFoundError(f"no NN_*.ipynb notebooks in {notebooks}")
    entries = [describe(path) for path in paths]
    shutil.rmtree(output, ignore_errors=True)
    (output / "static").mkdir(parents=True)
    _copy_static(output / "static")
    exporter = make_exporter()
    with ThreadPoolExecutor(max_workers=1) as renderer:
        pages = []

        def render_when_executed(path: Path, notebook: NotebookNode) -> None:
            index = paths.index(path)
            pages.append(renderer.submit(render_page, exporter, output, entries, index, notebook))

        execute_all(paths, cell_timeout=cell_timeout, jobs=jobs, on_executed=render_when_executed)
        for page in pages:
            page.result()  # a rendering error surfaces here
    index_page = exporter.environment.get_template("series.html.j2")
    (output / "index.html").write_text(
        index_page.render(title=SITE_TITLE, entries=entries), encoding="utf-8"
    )
    return entries


def render_page(
    exporter: HTMLExporter, output: Path, entries: list[Entry], index: int, notebook: NotebookNode
) -> None:
    """Write `entries[index]`'s executed notebook as its HTML page, linked to its neighbours."""
    entry = entries[index]
    notebook.metadata["title"] = f"{entry.number} · {entry.title}"
    resources = {
        "metadata": {"name": entry.source.stem, "path": str(entry.source.parent)},
        "guide": {
            "previous": entries[index - 1] if index > 0 else None,
            "next": entries[index + 1] if index + 1 < len(entries) else None,
        },
    }
    html, _ = exporter.from_notebook_node(notebook, resources=resources)
    (output / entry.page).write_text(html, encoding="utf-8")


def report_sizes(output: Path) -> None:
    """Print each page's size and the site total, flagging heavy pages."""
    for page in sorted(output.glob("*.html")):
        size = page.stat().st_size
        flag = "  <- heavy: trim its outputs" if size > HEAVY_PAGE_BYTES else ""
        print(f"{page.name:40} {size / 1024:8.1f} KiB{flag}")
    total = sum(path.stat().st_size for path in output.rglob("*") if path.is_file())
    print(f"{'site total':40} {total / 1024:8.1f} KiB  ({output})")


def _copy_static(target: Path) -> None:
    """One shared stylesheet for every page (nbconvert would inline 250 KB of CSS in each)."""
    lab_static = next(
        Path(folder)
        for folder in jupyter_path("nbconvert", "templates", "lab", "static")
        if Path(folder, "index.css").is_file()
    )
    css = [
        (lab_static / name).read_text(encoding="utf-8") for name in ("index.css", "theme-light.css")
    ]
    (target / "lab.css").write_text("\n".join(css), encoding="utf-8")
    for asset in (TEMPLATES / "guide" / "static").iterdir():
        shutil.copy(asset, target / asset.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        entries = build_site(
            args.output, args.notebooks, cell_timeout=args.cell_timeout, jobs=args.jobs
        )
    except (NotebookFailed, FileNotFoundError) as error:
        print(f"docs: {error}", file=sys.stderr)
        return 1
    report_sizes(args.output)
    elapsed = time.perf_counter() - started
    print(f"built {len(entries)} pages in {elapsed:.1f} s: open {args.output / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
