"""The built site in headless Chromium, served by a static server on 127.0.0.1 as a reader's."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support import launch_chromium, require_chromium

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SEARCHED = "x-tfy-api-key"
NARROW = {"width": 420, "height": 900}
SECONDS = 1000  # Playwright timeouts are in milliseconds
SEARCH_READY = 60  # seconds; a few on an idle machine, far more on a loaded one
PLAYBACK_STARTS = 20  # seconds for the player's clock to move; well under one when idle

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Every input code block (not the cells' outputs), and its copy button.
CODE_BLOCKS = ".md-content pre:not(.jp-OutputArea pre)"
# For each code block: its copy button, and the rectangles of its text that the button covers.
OVERLAPS = """(selector) => [...document.querySelectorAll(selector)].map((pre) => {
    const button = pre.querySelector("button.md-code__button[data-md-type=copy]");
    if (!button) return {block: pre.textContent.slice(0, 60), button: null, covered: []};
    const box = button.getBoundingClientRect();
    const hits = (r) => r.left < box.right && box.left < r.right
        && r.top < box.bottom && box.top < r.bottom;
    const covered = [];
    const walker = document.createTreeWalker(pre.querySelector("code"), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        if (!walker.currentNode.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(walker.currentNode);
        if ([...range.getClientRects()].some(hits))
            covered.push(walker.currentNode.textContent.slice(0, 40));
    }
    return {block: pre.textContent.slice(0, 60), button: true, covered};
})"""
PLAY = """async (audio, patience) => {
    if (!(audio.duration > 0)) {
        await new Promise((done, fail) => {
            audio.addEventListener("loadedmetadata", done, {once: true});
            audio.addEventListener("error", () => fail(audio.error), {once: true});
            audio.load();
        });
    }
    const duration = audio.duration;
    audio.muted = true;
    const advanced = new Promise((done) => {
        audio.addEventListener("timeupdate", () => audio.currentTime > 0 && done());
        setTimeout(done, patience);  // a loaded machine starts its media pipeline late
    });
    await audio.play();
    await advanced;
    audio.pause();
    return {duration, played: audio.currentTime, error: audio.error && audio.error.code};
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        """No access log on the test's output."""


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site's URL from a static HTTP server on a free loopback port, stopped afterwards."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, "--autoplay-policy=no-user-gesture-required")
        try:
            yield chromium
        finally:
            chromium.close()


def test_search_finds_the_key_header_and_leads_to_a_page_whose_player_plays(browser, served):
    view = browser.new_page(viewport={"width": 1200, "height": 900})
    requested: list[str] = []
    view.on("request", lambda request: requested.append(request.url))
    view.goto(f"{served}/index.html")
    view.locator("label.md-search__icon, .md-search__input").first.click()
    view.locator("input.md-search__input").press_sequentially(SEARCHED, delay=20)  # keystrokes
    result = view.locator(".md-search-result__item a[href*='notebooks/']").first
    result.wait_for(timeout=SEARCH_READY * SECONDS)  # the search worker indexes the site first
    result.click()
    view.wait_for_url("**/notebooks/*.html*")
    assert SEARCHED in view.locator(".md-content").inner_text()

    tts_page = next(nb for nb in NOTEBOOKS if nb.name.startswith("02_"))
    view.goto(f"{served}/notebooks/{tts_page.stem}.html")
    player = view.locator(".jp-OutputArea audio").first
    player.scroll_into_view_if_needed()
    state = player.evaluate(PLAY, PLAYBACK_STARTS * SECONDS)
    assert state["error"] is None and state["duration"] > 0.3 and state["played"] > 0, state
    external = [url for url in requested if not url.startswith((served, "data:"))]
    assert external == [], f"the site fetched from the network: {external}"


@pytest.mark.parametrize("page", ["index", *(nb.stem for nb in NOTEBOOKS)])
def test_at_420_px_every_code_block_has_a_copy_button_that_covers_no_code(browser, served, page):
    view = browser.new_page(viewport=NARROW)
    path = "index.html" if page == "index" else f"notebooks/{page}.html"
    view.goto(f"{served}/{path}")
    view.wait_for_selector(
        "button.md-code__button[data-md-type=copy]", state="attached", timeout=10 * SECONDS
    )
    blocks = view.evaluate(OVERLAPS, CODE_BLOCKS)
    assert blocks, f"{page}: no code block"
    assert [b["block"] for b in blocks if not b["button"]] == [], f"{page}: blocks with no button"
    assert [b for b in blocks if b["covered"]] == [], f"{page}: copy buttons over code"
    view.close()
