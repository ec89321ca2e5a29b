"""Every committed notebook is stripped, well-formed, framed as the template is, free of secrets."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from support import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
TEMPLATE = NOTEBOOK_DIR / "_template.ipynb"

# The mock gateway's documented keys: safe to show, they open nothing outside the mock.
MOCK_KEYS = frozenset({"tfy-mock-learner-key", "tfy-mock-outsider-key", "tfy-mock-admin-key"})
# `tfy-` words that are not keys: the `tfy-secret://` reference scheme of manifests.
NOT_KEYS = frozenset({"tfy-secret"})

# A `tfy-...` token that is not part of a longer name (so `x-tfy-api-key` is not one).
TFY_TOKEN = re.compile(r"(?<![\w-])tfy-[\w-]{4,}")
SECRET_PATTERNS = {
    "a Cartesia API key": re.compile(r"sk_car_[\w-]{8,}"),
    "a virtual account token": re.compile(r"tfy_va_\w{8,}"),
    "a JWT (TrueFoundry tokens are JWTs)": re.compile(r"eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}"),
    "a long hex secret": re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])"),
}
# Long runs of base64/URL-safe characters mixing upper case, lower case and digits.
BASE64_RUN = re.compile(r"(?<![\w+/=-])[\w+/-]{32,}={0,2}")


def looks_random(token: str) -> bool:
    """True for a token that mixes upper case, lower case and digits, as generated secrets do."""
    return all(re.search(kind, token) for kind in ("[A-Z]", "[a-z]", "[0-9]"))


def secrets_in(text: str) -> list[str]:
    """Describe every substring of `text` that looks like a key, other than the mock's keys."""
    found = [
        f"{match.group()[:10]}… looks like a TrueFoundry key"
        for match in TFY_TOKEN.finditer(text)
        if match.group() not in MOCK_KEYS | NOT_KEYS
    ]
    for kind, pattern in SECRET_PATTERNS.items():
        found += [f"{m.group()[:10]}… looks like {kind}" for m in pattern.finditer(text)]
    found += [
        f"{m.group()[:10]}… looks like a base64 secret"
        for m in BASE64_RUN.finditer(text)
        if looks_random(m.group())
    ]
    return found


@dataclass(frozen=True)
class Frame:
    """What every numbered notebook shares with the template."""

    headings: tuple[str, ...]  # the bold headings of the first cell
    setup: str  # the statement of the setup cell
    closing: str  # the heading the last cell starts with


def template_frame(path: Path = TEMPLATE) -> Frame:
    """The frame read from the template notebook itself."""
    cells = nbformat.read(path, as_version=4).cells
    setup_cell = next(cell.source for cell in cells if cell.cell_type == "code")
    setup = next(line for line in setup_cell.splitlines() if line.startswith("settings = "))
    return Frame(
        headings=tuple(re.findall(r"^\*\*(.+)\*\*$", cells[0].source, re.MULTILINE)),
        setup=setup.split("#", 1)[0].strip(),
        closing=cells[-1].source.splitlines()[0],
    )


FRAME = template_frame()


def frame_problems(cells: list, number: str) -> list[str]:
    """How the cells depart from the template's frame (see notebooks/_template.ipynb)."""
    problems = []
    first = cells[0] if cells else None
    if first is None or first.cell_type != "markdown":
        problems.append("the first cell is not markdown")
    else:
        if not first.source.startswith(f"# {number} · "):
            problems.append(f"the first cell does not start with the title '# {number} · ...'")
        lines = first.source.splitlines()
        problems += [
            f"the first cell lacks '{heading}'"
            for heading in FRAME.headings
            if f"**{heading}**" not in lines
        ]
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    setup = next((i for i, source in enumerate(code) if FRAME.setup in source), None)
    if setup is None:
        problems.append(f"no setup cell with `{FRAME.setup}`")
    elif any(re.search(r"\bsettings\b", source) for source in code[:setup]):
        problems.append("a code cell uses `settings` before the setup cell")
    last = cells[-1] if cells else None
    if last is None or last.cell_type != "markdown" or not last.source.startswith(FRAME.closing):
        problems.append(f"the last cell is not markdown starting '{FRAME.closing}'")
    return problems


def notebook_problems(notebook: nbformat.NotebookNode, text: str, name: str) -> list[str]:
    """Every rule the notebook `name` (parsed, and its raw `text`) breaks, one line each."""
    problems = []
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        problems.append(f"invalid nbformat: {error.message}")
    if notebook.nbformat != 4:
        problems.append(f"nbformat is {notebook.nbformat}, expected 4")
    kernelspec = notebook.metadata.get("kernelspec", {})
    if kernelspec.get("name") != "python3":
        problems.append("kernelspec name is not 'python3'")
    if kernelspec.get("display_name") != "Python 3 (ipykernel)":
        problems.append("kernelspec display_name is not 'Python 3 (ipykernel)'")
    if notebook.metadata.get("language_info", {}).get("name") != "python":
        problems.append("language_info name is not 'python'")
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell.get("outputs"):
            problems.append(f"cell {index} has outputs: run nbstripout")
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            problems.append(f"cell {index} has an execution count: run nbstripout")
    number = "NN" if name == TEMPLATE.name else name.split("_", 1)[0]
    problems += frame_problems(notebook.cells, number)
    problems += [f"secret: {finding}" for finding in secrets_in(text)]
    return problems


def check_file(path: Path) -> list[str]:
    """Read a notebook file and list its hygiene problems."""
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    return notebook_problems(notebook, text, path.name)


def test_the_series_is_committed() -> None:
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"


def test_the_template_holds_the_frame_it_defines() -> None:
    assert FRAME.headings == ("What you will learn", "What you need")
    assert "load_settings()" in FRAME.setup and FRAME.closing == "## What to try next"
    assert check_file(TEMPLATE) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_committed_notebook_is_clean(path: Path) -> None:
    assert check_file(path) == []


# --- The checker itself catches real violations, on synthetic notebooks written to disk ---


def clean_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Demo\n**What you will learn**\n**What you need**"),
        nbformat.v4.new_code_cell(f"{FRAME.setup}\nsettings"),
        nbformat.v4.new_code_cell('headers = {"x-tfy-api-key": "tfy-mock-learner-key"}'),
        nbformat.v4.new_code_cell('voice = "a0e99841-438c-4a64-b679-ae501e7d6091"'),
        nbformat.v4.new_markdown_cell("## What to try next\n\n- `x-tfy-request-timeout`"),
    ]
    return notebook


def write(notebook: nbformat.NotebookNode, folder: Path) -> Path:
    path = folder / "99_demo.ipynb"
    nbformat.write(notebook, path)
    return path


def test_a_clean_notebook_passes(tmp_path: Path) -> None:
    assert check_file(write(clean_notebook(), tmp_path)) == []


def _with_output(nb):
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="hello")]


def _with_count(nb):
    nb.cells[2].execution_count = 3


def _with_kernel(nb):
    nb.metadata["kernelspec"]["name"] = "python2"


def _with_display_name(nb):
    nb.metadata["kernelspec"]["display_name"] = "Python 3.11 (venv)"


def _without_language(nb):
    del nb.metadata["language_info"]


def _without_learn(nb):
    nb.cells[0].source = "# 99 · Demo\n**What you need**"


def _wrong_title(nb):
    nb.cells[0].source = nb.cells[0].source.replace("# 99 · ", "# Demo ")


def _code_first(nb):
    nb.cells.insert(0, nbformat.v4.new_code_cell("x = 1"))


def _without_next(nb):
    nb.cells.pop()


def _next_not_first(nb):
    nb.cells[-1].source = "Some closing words.\n\n## What to try next"


def _without_setup(nb):
    nb.cells.pop(1)


def _settings_before_setup(nb):
    nb.cells.insert(1, nbformat.v4.new_code_cell("print(settings.tts_base_url)"))


def _heading_in_prose(nb):
    nb.cells[0].source = "# 99 · Demo\nWhat you will learn: stuff\n**What you need**"


def _with_secret(value):
    def mutate(nb):
        nb.cells[2].source = f'api_key = "{value}"'

    return mutate


# Fake secrets are assembled at run time so this file holds none literally.
FAKE = hashlib.sha256(b"not a secret").digest()
VIOLATIONS = {
    "output": (_with_output, "has outputs"),
    "execution count": (_with_count, "execution count"),
    "kernelspec": (_with_kernel, "kernelspec name"),
    "display name": (_with_display_name, "display_name"),
    "language info": (_without_language, "language_info"),
    "no what you will learn": (_without_learn, "What you will learn"),
    "title": (_wrong_title, "title '# 99 · ...'"),
    "code first": (_code_first, "first cell is not markdown"),
    "no what to try next": (_without_next, "What to try next"),
    "what to try next not first": (_next_not_first, "starting '## What to try next'"),
    "no setup cell": (_without_setup, "no setup cell"),
    "settings before setup": (_settings_before_setup, "before the setup cell"),
    "heading in prose": (_heading_in_prose, "lacks 'What you will learn'"),
    "tfy token": (_with_secret("tfy-" + FAKE.hex()[:16]), "TrueFoundry key"),
    "virtual account token": (_with_secret("tfy_va_app_" + FAKE.hex()[:20]), "virtual account"),
    "cartesia key": (_with_secret("sk_car_" + FAKE.hex()[:24]), "Cartesia API key"),
    "jwt": (_with_secret(".".join(["eyJ" + FAKE.hex()[:20]] * 3)), "JWT"),
    "hex": (_with_secret(FAKE.hex()), "hex secret"),
    "base64": (_with_secret(base64.b64encode(FAKE).decode()), "base64 secret"),
}


@pytest.mark.parametrize("name", VIOLATIONS)
def test_a_violation_is_reported(name: str, tmp_path: Path) -> None:
    mutate, expected = VIOLATIONS[name]
    notebook = clean_notebook()
    mutate(notebook)
    problems = check_file(write(notebook, tmp_path))
    assert any(expected in problem for problem in problems), problems


def test_an_invalid_notebook_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "99_broken.ipynb"
    text = nbformat.writes(clean_notebook()).replace('"code"', '"kode"', 1)
    path.write_text(text, encoding="utf-8")
    assert any("invalid nbformat" in problem for problem in check_file(path))
