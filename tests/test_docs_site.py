"""`make docs`: the executed notebooks as a static site, checked as files and in Chromium."""

from __future__ import annotations

import ast
import base64
import functools
import io
import re
import string
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import soundfile as sf
from bs4 import BeautifulSoup, Tag
from dotenv import dotenv_values
from support import launch_chromium, mock_jupyter_env, require_chromium

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"
TTS_PAGES = ("02_", "03_")
STT_PAGES = ("04_", "05_")
COMPRESSED_AUDIO = {"audio/ogg": "OGG", "audio/mpeg": "MP3"}  # mime type -> soundfile format
MOCK_KEYS = {"tfy-mock-learner-key", "tfy-mock-outsider-key", "tfy-mock-admin-key"}
TFY_TOKEN = re.compile(r"(?<![\w-])tfy-[A-Za-z0-9_-]+(?![\w-]|://)")  # not tfy-secret:// refs
SECRET_SHAPES = (
    re.compile(r"\bsk[-_][A-Za-z0-9_-]{16,}"),  # Cartesia keys (sk_car_...) and other sk- keys
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWTs, as TrueFoundry tokens are
    # Any other long token mixing upper case, lower case and digits.
    re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[A-Za-z0-9_-]{32,}(?![\w-])"),
)
STT_CALL = re.compile(r"\.stt\.\w+")
DATA_URL = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
SECONDS = 1000  # Playwright timeouts are in milliseconds


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once, as `make docs` does, into a temporary folder."""
    scratch = tmp_path_factory.mktemp("docs")
    output = scratch / "site"
    env = mock_jupyter_env(scratch)
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "build.py"), str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, f"make docs failed:\n{build.stdout}\n{build.stderr[-3000:]}"
    print(f"site built in {time.perf_counter() - started:.1f} s\n{build.stdout}")
    return output


def page(site: Path, notebook: Path) -> BeautifulSoup:
    return parse(site / f"{notebook.stem}.html")


@functools.cache
def parse(html_file: Path) -> BeautifulSoup:
    """A page's parsed HTML, read once for all the tests (they only read it)."""
    return BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")


def output_text(soup: BeautifulSoup | Tag) -> str:
    """All the text the cells printed or returned (not the code)."""
    return " ".join(area.get_text(" ") for area in soup.select(".jp-OutputArea"))


def words(text: str) -> str:
    """Lower case words without punctuation, as a transcript is compared."""
    table = str.maketrans("", "", string.punctuation + "“”‘’«»¿¡")
    return " ".join(text.lower().translate(table).split())


def synthesized_sentences(notebook: Path) -> list[str]:
    """The sentences the notebook passes as `transcript=` to TTS, in order: literals, names bound
    to a sentence, or (for a loop variable) the lists of sentences its statement iterates."""
    bound: dict[str, list[str]] = {}
    sentences: list[str] = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for statement in ast.parse(cell.source).body:
            for node in ast.walk(statement):
                for keyword in getattr(node, "keywords", []):
                    if keyword.arg == "transcript":
                        sentences += _strings(keyword.value) or _bound_strings(
                            keyword.value, statement, bound
                        )
            if isinstance(statement, ast.Assign) and (strings := _strings(statement.value)):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        bound[target.id] = strings
    return list(dict.fromkeys(sentence for sentence in sentences if " " in sentence))


def _strings(node: ast.expr) -> list[str]:
    """A string literal, or a list/tuple of them, as a list."""
    items = node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    if all(isinstance(item, ast.Constant) and isinstance(item.value, str) for item in items):
        return [item.value for item in items]
    return []


def _bound_strings(value: ast.expr, statement: ast.stmt, bound: dict[str, list[str]]) -> list[str]:
    if not isinstance(value, ast.Name):
        return []
    if value.id in bound:
        return bound[value.id]
    used = [node.id for node in ast.walk(statement) if isinstance(node, ast.Name)]
    return [sentence for name in used if name in bound for sentence in bound[name]]


def stt_outputs(soup: BeautifulSoup) -> str:
    """The outputs of the code cells that call speech-to-text (`<client>.stt.<method>`)."""
    cells = [
        cell
        for cell in soup.select(".jp-CodeCell")
        if (code := cell.select_one(".jp-InputArea")) and STT_CALL.search(code.get_text())
    ]
    return " ".join(output_text(cell) for cell in cells)


def find_secrets(html: str) -> list[str]:
    """Keys other than the documented mock ones, and anything shaped like a real secret."""
    text = DATA_URL.sub("data:", html)
    found = [token for token in TFY_TOKEN.findall(text) if token not in MOCK_KEYS]
    for shape in SECRET_SHAPES:
        found += shape.findall(text)
    return found


def embedded_audio(soup: BeautifulSoup) -> list[tuple[str, bytes]]:
    """(mime type, bytes) of every audio player's data URL source."""
    found = []
    for player in soup.find_all("audio"):
        for source in [player, *player.find_all("source")]:
            src = source.get("src", "")
            if src.startswith("data:audio/"):
                mime, _, data = src[len("data:") :].partition(";base64,")
                found.append((mime, base64.b64decode(data)))
    return found


def test_the_secret_scan_catches_real_looking_keys():
    planted = (
        "key tfy-mock-learner-key ok, x-tfy-api-key header ok, voice "
        "a0e99841-438c-4a64-b679-ae501e7d6091 ok, masked tfy-…(20 chars) ok, "
        "reference tfy-secret://tenant:group:key ok; "
        "leaks: tfy-prod-3f9a2b sk_car_AbCdEf0123456789xyz eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0 "
        "Zx9QmT4rLp2VwKs8NbYc7HdFgJ3eUa6Rq"
    )
    assert find_secrets(planted) == [
        "tfy-prod-3f9a2b",
        "sk_car_AbCdEf0123456789xyz",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
        "Zx9QmT4rLp2VwKs8NbYc7HdFgJ3eUa6Rq",
    ]


def test_every_notebook_has_a_page_with_its_outputs(site: Path):
    assert NOTEBOOKS, "no notebooks/NN_*.ipynb to build"
    for notebook in NOTEBOOKS:
        soup = page(site, notebook)
        code_cells = soup.select(".jp-CodeCell")
        source_cells = [
            c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"
        ]
        assert len(code_cells) == len(source_cells), notebook.name
        assert soup.select(".jp-OutputArea-output"), f"{notebook.name}: no outputs on its page"
        assert "Traceback" not in output_text(soup), f"{notebook.name}: an error on its page"
        assert len(soup.select(".guide-copy")) == len(code_cells), f"{notebook.name}: copy buttons"


def test_index_lists_the_series_in_order(site: Path):
    soup = parse(site / "index.html")
    items = soup.select("ol.guide-series > li")
    assert [item.a["href"] for item in items] == [f"{nb.stem}.html" for nb in NOTEBOOKS]
    for item, notebook in zip(items, NOTEBOOKS, strict=True):
        title = item.a.get_text()
        assert title.startswith(notebook.name[:2] + " · ") and len(title) > 6, title
        assert len(item.select_one(".guide-summary").get_text(strip=True)) > 10, notebook.name


def test_every_page_has_the_mock_banner_and_loads_nothing_from_the_network(site: Path):
    for html_file in sorted(site.glob("*.html")):
        soup = parse(html_file)
        banner = soup.select_one("#mock-banner")
        assert banner is not None, html_file.name
        assert "local mock gateway" in banner.get_text() and ".env" in banner.get_text()
        for tag in soup.find_all(["script", "link", "img", "audio", "source", "iframe"]):
            url = tag.get("src") or tag.get("href") or ""
            assert not url.startswith(("http:", "https:", "//")), (html_file.name, url)


def test_tts_pages_have_compressed_audio_players(site: Path):
    pages = [nb for nb in NOTEBOOKS if nb.name.startswith(TTS_PAGES)]
    assert pages, "no TTS notebooks (02, 03)"
    for notebook in pages:
        audio = embedded_audio(page(site, notebook))
        assert audio, f"{notebook.name}: no audio player"
        for mime, data in audio:
            assert mime in COMPRESSED_AUDIO, f"{notebook.name}: {mime} audio left uncompressed"
            info = sf.info(io.BytesIO(data))
            assert info.format == COMPRESSED_AUDIO[mime] and info.duration > 0.3, info


def test_stt_pages_show_the_transcript_of_the_sentence_they_synthesized(site: Path):
    pages = [nb for nb in NOTEBOOKS if nb.name.startswith(STT_PAGES)]
    assert pages, "no STT notebooks (04, 05)"
    for notebook in pages:
        sentences = synthesized_sentences(notebook)
        assert sentences, f"{notebook.name}: no transcript=... sentence found in its code"
        heard = words(stt_outputs(page(site, notebook)))
        assert heard, f"{notebook.name}: no output from a cell calling .stt."
        assert words(sentences[0]) in heard, (
            f"{notebook.name}: the transcript of {sentences[0]!r} is not in its STT outputs"
        )


def test_no_page_shows_a_key_other_than_the_mock_ones(site: Path):
    local_env = dotenv_values(ROOT / ".env") if (ROOT / ".env").exists() else {}
    own_keys = {
        name: value
        for name, value in local_env.items()
        if value and len(value) >= 8 and re.search(r"KEY|TOKEN|SECRET", name)
    }
    for html_file in sorted(site.glob("*.html")):
        html = html_file.read_text(encoding="utf-8")
        assert find_secrets(html) == [], html_file.name
        for name, value in own_keys.items():
            assert value not in html, f"{html_file.name} shows {name} from your .env"


def test_site_in_headless_chromium_shows_the_index_and_plays_tts_audio(site: Path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    tts_notebook = next(nb for nb in NOTEBOOKS if nb.name.startswith(TTS_PAGES))
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, "--autoplay-policy=no-user-gesture-required")
        try:
            view = browser.new_page(viewport={"width": 1200, "height": 900})
            requested = []
            view.on("request", lambda request: requested.append(request.url))
            view.goto((site / "index.html").as_uri())
            links = view.locator("ol.guide-series > li > a")
            assert links.count() == len(NOTEBOOKS)
            assert view.locator("#mock-banner").is_visible()
            view.screenshot(path=ARTIFACTS / "docs-index.png", full_page=True)

            view.locator(f'a[href="{tts_notebook.stem}.html"]').click()
            view.wait_for_url(f"**/{tts_notebook.stem}.html")
            assert view.locator("#mock-banner").is_visible()
            player = view.locator("audio").first
            player.scroll_into_view_if_needed()
            state = player.evaluate(
                """async (audio) => {
                    if (audio.readyState < 2) {
                        audio.preload = "auto";
                        await new Promise((done, fail) => {
                            audio.addEventListener("loadeddata", done, {once: true});
                            audio.addEventListener("error", () => fail(audio.error), {once: true});
                            audio.load();
                        });
                    }
                    audio.muted = true;
                    await audio.play();
                    await new Promise((done) => setTimeout(done, 300));
                    audio.pause();
                    audio.muted = false;
                    return {ready: audio.readyState, duration: audio.duration,
                            played: audio.currentTime, error: audio.error && audio.error.code};
                }"""
            )
            assert state["error"] is None and state["ready"] >= 2, state
            assert state["duration"] > 0 and state["played"] > 0, state
            view.screenshot(path=ARTIFACTS / "docs-tts-page.png")

            copy = view.locator(".guide-copy").first
            copy.click()
            expect(copy).to_have_text("Copied", timeout=5 * SECONDS)
            external = [url for url in requested if not url.startswith(("file:", "data:"))]
            assert external == [], f"the site fetched from the network: {external}"
        finally:
            browser.close()
