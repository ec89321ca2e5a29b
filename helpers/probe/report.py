"""The probe's findings: one row per check, printed as a table and written as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SAME, DIFFERENT, NOT_OBSERVED = "same", "different", "not observed"


@dataclass(frozen=True)
class Row:
    guesses: str
    what: str
    assumed: Any
    answered: Any
    verdict: str


def _cell(value: Any, width: int) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def table(rows: list[Row]) -> str:
    """A plain-text table: the guess, what the mock assumes, what the gateway answered, verdict."""
    widths = (44, 28, 28, 12)
    header = ("guess (undocumented.py)", "the mock assumes", "this gateway answered", "verdict")
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    for row in rows:
        cells = (row.guesses, row.assumed, row.answered, row.verdict)
        lines.append("  ".join(_cell(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)))
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    counts = {v: sum(r.verdict == v for r in rows) for v in (SAME, DIFFERENT, NOT_OBSERVED)}
    return f"{len(rows)} checks: " + ", ".join(f"{n} {v}" for v, n in counts.items())


def write_json(rows: list[Row], path: Path, gateway: str) -> None:
    """The report as JSON: the gateway URL and every row (no key is ever part of a row)."""
    report = {"gateway": gateway, "summary": summary(rows), "checks": [asdict(r) for r in rows]}
    path.write_text(json.dumps(report, indent=2) + "\n")
