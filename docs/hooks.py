"""mkdocs hooks that fit mkdocs-jupyter's notebook pages to mkdocs-material.

Every input code block (code cells and code inside markdown cells) becomes `<pre><code>`, so
Material gives each the same copy button (mkdocs-jupyter's own is dropped); the contents list
takes its titles and anchors from the page's headings (mkdocs-jupyter's loses inline code, and
with it the anchor); and the
notebook stylesheet mkdocs-jupyter inlines in every page (about 570 KB) is written once and linked.
"""

from __future__ import annotations

import html as html_text
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

NOTEBOOK_CSS = "assets/notebook.css"
INLINE_CSS_MIN_CHARS = 100_000  # only the notebook stylesheet is this large
STYLE = re.compile(r"<style[^>]*>(?P<css>.*?)</style>", re.DOTALL)
# Pygments' block as nbconvert writes it: <div class="highlight-ipynb hl-python"><pre>...</pre>
HIGHLIGHTED_BLOCK = re.compile(
    r'(?P<open><div class="highlight(?:-ipynb)?[^"]*">\s*<pre>)(?P<code>.*?)(?P<close></pre>)',
    re.DOTALL,
)
HEADING = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)">(?P<inner>.*?)</h[1-6]>', re.DOTALL)
ANCHOR_LINK = re.compile(r'<a class="anchor-link".*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
JUPYTER_COPY_BUTTON = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.DOTALL
)

_notebook_css: set[str] = set()


def on_pre_build(**_) -> None:
    """Start each build (mkdocs serve rebuilds) with no stylesheet collected."""
    _notebook_css.clear()


def on_page_content(html: str, page: Page, **_) -> str:
    """Rewrite a notebook page's content; other pages pass through."""
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    html = JUPYTER_COPY_BUTTON.sub("", html)
    html = HIGHLIGHTED_BLOCK.sub(_wrap_in_code, html)
    _match_contents(page.toc.items, _headings(html))
    link = f'<link rel="stylesheet" href="{get_relative_url(NOTEBOOK_CSS, page.url)}">'
    return STYLE.sub(lambda match: _shared_stylesheet(match, link), html)


def on_post_build(config, **_) -> None:
    """Write the notebook stylesheet the pages link to."""
    if len(_notebook_css) > 1:
        raise PluginError("notebook pages inlined different stylesheets: one file cannot serve all")
    for css in _notebook_css:
        target = Path(config["site_dir"]) / NOTEBOOK_CSS
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")


def _headings(html: str) -> list[tuple[int, str, str]]:
    """Each heading's level, id and text as the reader sees it (inline code included)."""
    return [
        (int(match["level"]), match["id"], _plain(ANCHOR_LINK.sub("", match["inner"])))
        for match in HEADING.finditer(html)
    ]


def _match_contents(items: list[AnchorLink], headings: list[tuple[int, str, str]]) -> None:
    """Give each contents entry, in order, the id and text of the next heading of its level."""
    for item in items:
        while headings and headings[0][0] != item.level:
            headings.pop(0)
        if headings:
            _, item.id, item.title = headings.pop(0)
        _match_contents(item.children, headings)


def _plain(html: str) -> str:
    return html_text.unescape(TAG.sub("", html)).strip()


def _wrap_in_code(match: re.Match[str]) -> str:
    code = match.group("code")
    if code.lstrip().startswith("<code"):
        return match.group(0)
    return f"{match.group('open')}<code>{code}</code>{match.group('close')}"


def _shared_stylesheet(match: re.Match[str], link: str) -> str:
    css = match.group("css")
    if len(css) < INLINE_CSS_MIN_CHARS:
        return match.group(0)
    _notebook_css.add(css)
    return link
