"""The built site as files: home page, navigation, banner, search index, players and plots."""

from __future__ import annotations

import base64
import functools
import html
import io
import json
import re
from pathlib import Path

import nbformat
import pytest
import soundfile as sf
from bs4 import BeautifulSoup
from support import error_outputs

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TAG = re.compile(r"<[^>]+>")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s+")

pytestmark = pytest.mark.slow


@functools.cache
def parse(html_file: Path) -> BeautifulSoup:
    """A page's parsed HTML, read once for all the tests (they only read it)."""
    return BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")


def page_of(site: Path, notebook: Path) -> BeautifulSoup:
    return parse(site / "notebooks" / f"{notebook.stem}.html")


def plain(text: str) -> str:
    """Text without tags, entities or repeated white space, as a reader sees it."""
    return " ".join(html.unescape(TAG.sub(" ", text)).split())


def outputs(notebook: nbformat.NotebookNode, *, kind: str) -> list[dict]:
    """The outputs that are audio players, PNG plots or live widgets (`kind`)."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if (
                (kind == "audio" and "<audio" in data.get("text/html", ""))
                or (kind == "plot" and "image/png" in data)
                or (kind == "widget" and WIDGET_VIEW in data)
            ):
                found.append(data)
    return found


def test_the_home_page_is_the_readme_and_its_notebook_links_work(site: Path):
    home = parse(site / "index.html")
    readme_title = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert home.select_one(".md-content h1").get_text(strip=True).startswith(readme_title)
    links = {a["href"] for a in home.select(".md-content a[href^='notebooks/']")}
    assert links == {f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS}
    for link in links:
        assert (site / link).is_file(), link


def test_the_sidebar_lists_the_home_page_then_every_notebook_in_order(site: Path):
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb to build"
    nav = parse(site / "index.html").select(".md-nav--primary a.md-nav__link[href]")
    pages = [a["href"] for a in nav if a["href"].endswith(".html")]
    assert pages == ["index.html", *(f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS)]
    titles = [a.get_text(" ", strip=True) for a in nav if a["href"].startswith("notebooks/")]
    assert [title[:2] for title in titles] == [nb.name[:2] for nb in NOTEBOOKS], titles


def test_every_page_links_to_its_previous_and_next_page(site: Path):
    order = ["index.html", *(f"notebooks/{nb.stem}.html" for nb in NOTEBOOKS)]
    for index, name in enumerate(order):
        footer = parse(site / name)
        for side, neighbour in (("prev", index - 1), ("next", index + 1)):
            link = footer.select_one(f"a.md-footer__link--{side}")
            if 0 <= neighbour < len(order):
                assert link is not None, f"{name}: no {side} link"
                assert (site / name).parent.joinpath(link["href"]).resolve() == (
                    site / order[neighbour]
                ).resolve(), (name, side, link["href"])
            else:
                assert link is None, f"{name}: a {side} link past the end of the series"


def test_every_page_has_the_mock_banner_a_contents_list_and_nothing_from_the_network(site: Path):
    for html_file in sorted(site.rglob("*.html")):
        soup = parse(html_file)
        banner = soup.select_one("#mock-banner")
        assert banner is not None, html_file.name
        assert "local mock gateway" in banner.get_text() and ".env" in banner.get_text()
        for tag in soup.find_all(["script", "link", "img", "audio", "source", "iframe"]):
            url = tag.get("src") or tag.get("href") or ""
            assert not url.startswith(("http:", "https:", "//")), (html_file.name, url)
    for notebook in NOTEBOOKS:
        contents = page_of(site, notebook).select(".md-nav--secondary a.md-nav__link")
        assert len(contents) >= 2, f"{notebook.name}: no contents list"


def test_each_contents_entry_names_and_links_a_heading_of_its_page(site: Path):
    for notebook in NOTEBOOKS:
        soup = page_of(site, notebook)
        headings = {
            h["id"]: " ".join(h.get_text().rstrip("¶ ").split())
            for h in soup.select(".md-content :is(h1, h2, h3)[id]")
        }
        for entry in soup.select(".md-nav--secondary a.md-nav__link"):
            target = entry["href"].removeprefix("#")
            assert target in headings, f"{notebook.name}: {entry['href']} leads nowhere"
            assert " ".join(entry.get_text().split()) == headings[target], notebook.name


def test_the_search_index_holds_each_notebooks_prose_code_and_outputs(built):
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for notebook_file in NOTEBOOKS:
        page = f"notebooks/{notebook_file.stem}.html"
        indexed = plain(
            " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(page))
        )
        notebook = nbformat.read(built.stage / "notebooks" / notebook_file.name, as_version=4)
        samples = {
            "prose": _longest_plain_line(
                c.source for c in notebook.cells if c.cell_type == "markdown"
            ),
            "code": _longest_plain_line(c.source for c in notebook.cells if c.cell_type == "code"),
            "output": _longest_plain_line(
                o.get("text") or o.get("data", {}).get("text/plain", "")
                for c in notebook.cells
                for o in c.get("outputs", [])
            ),
        }
        for kind, sample in samples.items():
            assert sample, f"{notebook_file.name}: no {kind} to look for"
            assert " ".join(sample.split()) in indexed, f"{notebook_file.name}: {kind} {sample!r}"


def _longest_plain_line(texts) -> str:
    """The longest line without markup characters, a phrase any rendering keeps as it is."""
    lines = [LIST_ITEM.sub("", line.strip()) for text in texts for line in text.splitlines()]
    plain_lines = [line for line in lines if not re.search(r"[`*_\[\]<>#|&\\]", line)]
    return max(plain_lines, key=len, default="")


def test_each_page_shows_every_code_cell_and_no_error(built):
    for notebook_file in NOTEBOOKS:
        soup = page_of(built.site, notebook_file)
        editors = soup.select(".jp-CodeCell .jp-InputArea-editor")  # one per code cell
        assert len(editors) == len(_code_cells(notebook_file)), notebook_file.name
        assert soup.select(".jp-OutputArea-output"), f"{notebook_file.name}: no outputs"
        staged = nbformat.read(built.stage / "notebooks" / notebook_file.name, as_version=4)
        errors = error_outputs(staged)
        assert errors == [], f"{notebook_file.name}: an error on its page"


def test_each_page_has_its_audio_players_as_mp3_and_its_plots(built):
    for notebook_file in NOTEBOOKS:
        staged = nbformat.read(built.stage / "notebooks" / notebook_file.name, as_version=4)
        soup = page_of(built.site, notebook_file)
        players = soup.select(".jp-OutputArea audio")
        assert len(players) == len(outputs(staged, kind="audio")), notebook_file.name
        for player in players:
            source = player.find("source") or player
            mime, _, data = source["src"][len("data:") :].partition(";base64,")
            assert mime == "audio/mpeg", f"{notebook_file.name}: {mime} left uncompressed"
            info = sf.info(io.BytesIO(base64.b64decode(data)))
            assert info.format == "MP3" and info.duration > 0.3, info
        plots = soup.select(".jp-OutputArea img[src^='data:image/png']")
        assert len(plots) == len(outputs(staged, kind="plot")), notebook_file.name
        code = " ".join(cell.source for cell in _code_cells(notebook_file))
        if "play(" in code:
            assert players, f"{notebook_file.name}: its code plays audio, its page has no player"
        if "plot_waveform(" in code:
            assert plots, f"{notebook_file.name}: its code plots, its page has no plot"


def test_the_playground_page_explains_its_widget_cannot_run_here(built):
    with_widgets = [
        nb
        for nb in NOTEBOOKS
        if any("ipywidgets" in c.source or "playground" in c.source for c in _code_cells(nb))
    ]
    assert with_widgets, "no notebook shows a widget (the playground)"
    for notebook_file in with_widgets:
        staged = nbformat.read(built.stage / "notebooks" / notebook_file.name, as_version=4)
        assert not outputs(staged, kind="widget"), f"{notebook_file.name}: a live widget left"
        assert "widgets" not in staged.metadata, f"{notebook_file.name}: widget state left"
        notes = page_of(built.site, notebook_file).select(".jp-OutputArea .admonition")
        assert any("make lab" in note.get_text() for note in notes), notebook_file.name


def _code_cells(notebook_file: Path) -> list[nbformat.NotebookNode]:
    cells = nbformat.read(notebook_file, as_version=4).cells
    return [cell for cell in cells if cell.cell_type == "code"]
