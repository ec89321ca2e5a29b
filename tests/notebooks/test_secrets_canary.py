"""No key ever reaches a notebook output, a log line or an exception message.

A canary key is registered in the mock (as the learner) and handed to every notebook as
TFY_API_KEY; the whole suite runs, and every output, the kernels' own stdout/stderr (where the
embedded mock logs) and a CLI mock's log are searched for it. The canary must be used (its masked
form shows up) and never appear in full.

Under `make test` the notebooks run once, with the canary key, and this reads that run: the
executed copies in GUIDE_EXECUTED_NOTEBOOKS, its canary registry and nbmake's JUnit report (which
holds the kernels' output). Without that variable the notebooks are executed here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import nbformat
import pytest
from canary import new_canary, read_canary, write_registry
from cartesia import AuthenticationError, PermissionDeniedError
from nbclient import NotebookClient
from support import ROOT, error_outputs

from helpers.clients import tts_client
from helpers.config import Settings, mask_key
from helpers.mock_gateway.server import start_in_thread

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CANARY = new_canary()
EXECUTED = os.environ.get("GUIDE_EXECUTED_NOTEBOOKS")
VOICE = {"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"}
RAW = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 8000}


def leaks(text: str) -> bool:
    return CANARY in text


@pytest.fixture(scope="module")
def registry_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default registry plus the canary key, for the learner's subject and team."""
    return write_registry(tmp_path_factory.mktemp("canary"), CANARY)


def executed_run(folder: Path) -> tuple[str, dict[str, str]]:
    """The canary and the texts of the notebooks `make test` executed once with it."""
    texts = {path.name: path.read_text() for path in sorted(folder.glob("[0-9][0-9]_*.ipynb"))}
    assert len(texts) == len(NOTEBOOKS), f"{folder} holds {sorted(texts)}, not every notebook"
    texts["nbmake.xml"] = (folder / "nbmake.xml").read_text()  # the kernels' output too
    return read_canary(folder), texts


def execute_here(registry: Path, scratch: Path) -> tuple[str, dict[str, str]]:
    """Execute every notebook with the canary key; their texts and their kernels' logs."""
    env = {
        **os.environ,
        "TFY_API_KEY": CANARY,
        "GATEWAY_BASE_URL": "",
        "TFY_HOST": "",
        "MOCK_GATEWAY_REGISTRY": str(registry),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
    }
    texts: dict[str, str] = {}
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        log = scratch / f"{path.stem}.kernel.log"
        client = NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        )
        with log.open("w") as kernel_output:
            client.execute(env=env, stdout=kernel_output, stderr=kernel_output)
        texts[path.name] = nbformat.writes(notebook)
        texts[log.name] = log.read_text()
    return CANARY, texts


def errors_in(texts: dict[str, str]) -> dict[str, str]:
    """The first error output of each notebook that has one."""
    errors = {}
    for name, text in texts.items():
        if not name.endswith(".ipynb"):
            continue
        notebook = nbformat.reads(text, as_version=4)
        failed = error_outputs(notebook)
        if failed:
            errors[name] = f"{failed[0].ename}: {failed[0].evalue}"[:300]
    return errors


@pytest.mark.slow
def test_no_notebook_output_or_kernel_log_shows_the_key(
    registry_file: Path, tmp_path: Path
) -> None:
    assert NOTEBOOKS, "no notebooks to check"
    if EXECUTED:
        canary, texts = executed_run(Path(EXECUTED))
    else:
        canary, texts = execute_here(registry_file, tmp_path)
    assert not [name for name, text in texts.items() if canary in text]
    errors = errors_in(texts)
    assert not errors, f"notebooks failed with the canary key, so were not fully checked: {errors}"
    masked = mask_key(canary)
    assert any(masked in text for text in texts.values()), "no notebook showed the masked key"


@pytest.mark.slow
def test_mock_cli_log_never_shows_the_key(registry_file: Path) -> None:
    command = [sys.executable, "-m", "helpers.mock_gateway", "--port", "0"]
    command += ["--registry", str(registry_file)]
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        banner = server.stdout.readline()
        url = banner.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:"), banner
        body = {"model_id": "sonic-3.5", "transcript": "Hi.", "voice": VOICE}
        for key, path in [
            (CANARY, "/tts/cartesia-main/tts/bytes"),  # accepted, then a 400 (no output_format)
            (CANARY, "/tts/nowhere/tts/bytes"),  # refused: no such account
            (CANARY + "x", "/tts/cartesia-main/tts/bytes"),  # unknown key: 401
            (CANARY, f"/tts/cartesia-main/tts/bytes?api_key={CANARY}"),
        ]:
            response = httpx.post(url + path, json=body, headers={"x-tfy-api-key": key})
            assert response.status_code in (400, 401, 403), response.status_code
            assert not leaks(response.text), response.text
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=10)
    assert not leaks(log), log


@pytest.mark.slow
async def test_exception_messages_never_show_the_key(registry_file: Path) -> None:
    running = start_in_thread(port=0, registry_file=registry_file)
    try:
        for key, account, expected in [
            (CANARY, "nowhere", PermissionDeniedError),
            (CANARY + "x", "cartesia-main", AuthenticationError),
        ]:
            settings = Settings(tfy_api_key=key, gateway_base_url=running.url)
            settings = settings.with_overrides(provider_account=account)
            async with tts_client(settings, max_retries=0) as client:
                with pytest.raises(expected) as caught:
                    await client.tts.generate(
                        model_id="sonic-3.5",
                        transcript="Hi.",
                        voice=VOICE,
                        output_format={
                            "container": "raw",
                            "encoding": "pcm_s16le",
                            "sample_rate": 8000,
                        },
                    )
            shown = f"{caught.value}\n{caught.value!r}\n{caught.getrepr()}\n{settings!r}"
            assert not leaks(shown), shown
    finally:
        running.stop()
