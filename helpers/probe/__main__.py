"""python -m helpers.probe [--output probe-report.json]: settle the mock's guesses on your gateway.

Exit status: 0 the probe ran (differences are findings), 2 it could not run (one line says why).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import error_checks, stream_checks  # noqa: F401  (they register the checks)
from .calls import Calls
from .preflight import CannotRun, check_access, configured_settings
from .registry import CHECKS, Check, NotObserved
from .report import DIFFERENT, NOT_OBSERVED, SAME, Row, summary, table, write_json


def run_check(item: Check, calls: Calls) -> Row:
    """One row; a check that fails to observe says why in one line, never a traceback."""
    try:
        assumed, answered = item.observe(calls)
    except NotObserved as reason:
        return Row(item.guesses, item.what, None, str(reason), NOT_OBSERVED)
    except Exception as error:  # a probe must report, whatever the gateway does
        answered = f"{type(error).__name__}: {error}"[:160]
        return Row(item.guesses, item.what, None, answered, NOT_OBSERVED)
    same = json.dumps(assumed) == json.dumps(answered)
    return Row(item.guesses, item.what, assumed, answered, SAME if same else DIFFERENT)


def without_key(rows: list[Row], key: str, masked: str) -> list[Row]:
    """The rows with any echo of the key replaced by its masked form."""
    text = json.dumps([row.__dict__ for row in rows]).replace(key, masked) if key else None
    return [Row(**row) for row in json.loads(text)] if text else rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.probe", description=__doc__)
    parser.add_argument("--output", default="probe-report.json", help="JSON report to write")
    args = parser.parse_args(argv)
    try:
        settings = configured_settings()
        calls = Calls(settings)
        check_access(calls)
    except CannotRun as reason:
        print(f"probe: {reason}", file=sys.stderr)
        return 2
    print(f"Probing {settings.gateway_base_url} (key {settings.masked_key}) ...", flush=True)
    try:
        rows = [run_check(item, calls) for item in CHECKS]
    finally:
        calls.close()
    rows = without_key(rows, settings.tfy_api_key, settings.masked_key)
    print(table(rows))
    print(summary(rows))
    write_json(rows, Path(args.output), settings.gateway_base_url)
    print(f"report: {args.output}")
    if any(row.verdict == DIFFERENT for row in rows):
        print(
            "A difference is a finding: set that constant in helpers/mock_gateway/undocumented.py"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
