"""The notebook series in order, with the title and one-line summary each page is listed under."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

NOTEBOOK_NAME = re.compile(r"^(\d\d)_\w+\.ipynb$")
NUMBERED_HEADING = re.compile(r"^#\s+(?:\d\d\s*[·:.\-–—]\s*)?(?P<title>.+?)\s*$")
LEARN_HEADING = re.compile(r"what you(?:'|’)?ll learn|what you will learn", re.IGNORECASE)
BULLET = re.compile(r"^\s*[-*+]\s+(?P<text>.+)$")
LABEL = re.compile(r"^\*\*[^*]+\*\*:?$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Entry:
    """One notebook of the series: where it is, its page, and how the index lists it."""

    number: str
    title: str
    summary: str
    source: Path

    @property
    def page(self) -> str:
        return self.source.with_suffix(".html").name


def find_notebooks(folder: Path) -> list[Path]:
    """The `NN_topic.ipynb` notebooks of `folder`, in series order."""
    return sorted(path for path in folder.glob("*.ipynb") if NOTEBOOK_NAME.match(path.name))


def describe(path: Path, notebook: nbformat.NotebookNode | None = None) -> Entry:
    """Title and one-line summary from the notebook's first markdown cell."""
    notebook = notebook or nbformat.read(path, as_version=4)
    intro = next((cell.source for cell in notebook.cells if cell.cell_type == "markdown"), "")
    number = NOTEBOOK_NAME.match(path.name).group(1)
    return Entry(number, _title(intro) or path.stem, _summary(intro), path)


def _title(markdown: str) -> str:
    for line in markdown.splitlines():
        if match := NUMBERED_HEADING.match(line):
            return match.group("title")
    return ""


def _summary(markdown: str) -> str:
    """First sentence of the intro paragraph, else of the first "What you will learn" bullet."""
    blocks = _blocks(markdown)
    for kind, text in blocks:
        if kind == "label":
            break
        if kind == "paragraph":
            return _first_sentence(text)
    learning = False
    for kind, text in blocks:
        if kind == "label":
            learning = bool(LEARN_HEADING.search(text))
        elif learning and kind == "bullet":
            return _first_sentence(text)
    return next((_first_sentence(text) for kind, text in blocks if kind != "label"), "")


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """The markdown as (kind, text) blocks: "paragraph", "bullet" or "label" (a bold line)."""
    blocks: list[list[str]] = []
    current = None
    for line in markdown.splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            current = None
        elif match := BULLET.match(line):
            current = ["bullet", match.group("text").strip()]
            blocks.append(current)
        elif LABEL.match(text):
            blocks.append(["label", text])
            current = None
        elif current is not None:
            current[1] += " " + text
        else:
            current = ["paragraph", text]
            blocks.append(current)
    return [(kind, text) for kind, text in blocks]


def _first_sentence(text: str) -> str:
    return SENTENCE_END.split(text.strip(), maxsplit=1)[0]
