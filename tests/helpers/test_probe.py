"""The probe: against the mock every check says "same"; when it cannot run, one line and exit 2,
never a traceback, never the key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support import OUTSIDER_KEY, ROOT

from helpers.mock_gateway import undocumented
from helpers.mock_gateway.server import RunningGateway, start_in_thread
from helpers.ports import free_port
from helpers.probe import stream_checks
from helpers.probe.__main__ import main
from helpers.probe.registry import CHECKS

SECRET = "tfy-probe-test-secret-0123456789"  # a key only this test's mock knows
DEFAULT_REGISTRY = Path(undocumented.__file__).parent / "gateway" / "default_registry.yaml"


@pytest.fixture(scope="module")
def mock_with_secret(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    """The mock with one more learner key, SECRET, that must never be printed or written."""
    registry = yaml.safe_load(DEFAULT_REGISTRY.read_text())
    registry["keys"].append(
        {"key": SECRET, "subject": "user:learner@example.com", "teams": ["everyone"]}
    )
    path = tmp_path_factory.mktemp("probe") / "registry.yaml"
    path.write_text(yaml.safe_dump(registry))
    with start_in_thread(port=0, registry_file=path) as running:
        yield running


def probe(monkeypatch, tmp_path: Path, url: str, key: str) -> tuple[int, Path]:
    monkeypatch.chdir(tmp_path)  # no .env from the repository
    monkeypatch.setenv("GATEWAY_BASE_URL", url)
    monkeypatch.setenv("TFY_API_KEY", key)
    report = tmp_path / "report.json"
    return main(["--output", str(report)]), report


def test_against_the_mock_every_check_is_the_same(mock_with_secret, monkeypatch, tmp_path, capsys):
    code, report = probe(monkeypatch, tmp_path, mock_with_secret.url, SECRET)
    out = capsys.readouterr()
    assert code == 0, out
    rows = json.loads(report.read_text())["checks"]
    assert len(rows) >= 10 and len(rows) == len(CHECKS)
    assert [r["guesses"] for r in rows if r["verdict"] != "same"] == [], rows
    assert SECRET not in out.out + out.err + report.read_text()
    assert "same" in out.out and "the mock assumes" in out.out  # the table


def test_a_base_url_with_a_path_is_probed_alike(monkeypatch, tmp_path, capsys):
    running = start_in_thread(port=0, base_path="/api/llm")
    try:
        code, report = probe(monkeypatch, tmp_path, running.base_url, "tfy-mock-learner-key")
    finally:
        running.stop()
    capsys.readouterr()
    rows = json.loads(report.read_text())["checks"]
    assert code == 0 and {r["verdict"] for r in rows} == {"same"}, rows


def test_a_changed_guess_shows_as_a_difference(mock_with_secret, monkeypatch, tmp_path, capsys):
    changed = types.SimpleNamespace(**vars(undocumented))
    changed.RAW_MEDIA_TYPE = "audio/x-raw"  # as if a real gateway had been seen to say so
    monkeypatch.setattr(stream_checks, "guess", changed)
    code, report = probe(monkeypatch, tmp_path, mock_with_secret.url, SECRET)
    capsys.readouterr()
    rows = json.loads(report.read_text())["checks"]
    assert code == 0
    assert [r["guesses"] for r in rows if r["verdict"] == "different"] == ["RAW_MEDIA_TYPE"]


def cannot_run(monkeypatch, tmp_path, capsys, url: str, key: str) -> str:
    code, report = probe(monkeypatch, tmp_path, url, key)
    out = capsys.readouterr()
    assert code == 2 and not report.exists()
    assert out.err.startswith("probe: ") and out.err.count("\n") == 1, out.err
    assert "Traceback" not in out.err + out.out
    if key:
        assert key not in out.err + out.out
    return out.err


def test_a_wrong_key_is_one_line_without_the_key(mock_with_secret, monkeypatch, tmp_path, capsys):
    line = cannot_run(monkeypatch, tmp_path, capsys, mock_with_secret.url, SECRET + "-wrong")
    assert "401" in line and "TFY_API_KEY" in line


def test_no_gateway_configured_is_one_line(monkeypatch, tmp_path, capsys):
    assert "GATEWAY_BASE_URL" in cannot_run(monkeypatch, tmp_path, capsys, "", "")


def test_an_unreachable_gateway_is_one_line(monkeypatch, tmp_path, capsys):
    url = f"http://127.0.0.1:{free_port()}"
    assert "cannot reach" in cannot_run(monkeypatch, tmp_path, capsys, url, SECRET)


def test_a_key_without_access_is_one_line(mock_with_secret, monkeypatch, tmp_path, capsys):
    line = cannot_run(monkeypatch, tmp_path, capsys, mock_with_secret.url, OUTSIDER_KEY)
    assert "may not use cartesia-main/sonic-3.5" in line


@pytest.mark.slow
def test_make_probe_without_a_gateway_is_one_line(tmp_path: Path) -> None:
    """`python -m helpers.probe` as `make probe` runs it, in a folder without `.env`."""
    env = {k: v for k, v in os.environ.items() if k not in ("GATEWAY_BASE_URL", "TFY_API_KEY")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "helpers.probe"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == "", result
    assert result.stderr.count("\n") == 1 and "GATEWAY_BASE_URL" in result.stderr, result.stderr
    assert not (tmp_path / "probe-report.json").exists()
