"""The playground notebook in a real JupyterLab, driven through headless Chromium like a person."""

from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from support import ROOT, launch_chromium, mock_jupyter_env, require_chromium

from helpers.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]

NOTEBOOK = ROOT / "notebooks" / "07_playground.ipynb"
ARTIFACTS = ROOT / "test-artifacts"
SENTENCE = "Please read this sentence aloud in the browser"
NOTEBOOK_SENTENCE = "The quick brown fox jumps over the lazy dog."  # what the check cells speak
SECONDS = 1000  # Playwright timeouts are in milliseconds


@contextmanager
def jupyter_lab(root_dir: Path, scratch: Path) -> Iterator[tuple[str, str]]:
    """Run JupyterLab on a free loopback port with throwaway Jupyter dirs; yield (url, token)."""
    token = secrets.token_hex(16)
    port = free_port()
    env = {**mock_jupyter_env(scratch), "JUPYTER_PLATFORM_DIRS": "1"}
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (scratch / "jupyter.log").open("wb")
    server = subprocess.Popen(
        command, env=env, cwd=root_dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, f"{url}/api/status?token={token}", scratch / "jupyter.log")
        yield url, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        log.close()


def wait_for_kernel(page) -> None:
    """Wait until the kernel really exists and is idle: a Run All clicked earlier is lost."""
    page.wait_for_function(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            if (!panel) return false;
            const name = panel.querySelector('.jp-KernelName');
            const state = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            return name && name.textContent.trim().startsWith('Python 3')
                && state && state.getAttribute('data-status') === 'idle';
        }""",
        timeout=60 * SECONDS,
    )


def run_all_cells(page) -> None:
    """Menu Run → Run All Cells (JupyterLab has no default shortcut for it)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def _wait_until_up(server: subprocess.Popen, status_url: str, log: Path) -> None:
    deadline = time.monotonic() + 60  # ~3 s on an idle machine; much slower under load
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(status_url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer within 60 s:\n{log.read_text()[-2000:]}")


@pytest.fixture
def lab_page(tmp_path: Path):
    """A Chromium page on JupyterLab serving a copy of the playground notebook."""
    from playwright.sync_api import sync_playwright

    require_chromium()  # before starting JupyterLab
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    with jupyter_lab(root, tmp_path) as (url, token), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(20 * SECONDS)
        try:
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}&reset")
            yield page
        finally:
            browser.close()


@contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Save what the browser showed into test-artifacts/ when the block fails."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
        raise


def test_speak_transcribe_and_error_in_jupyterlab(lab_page) -> None:
    page = lab_page
    with screenshot_on_failure(page, "playground-browser"):
        wait_for_kernel(page)
        run_all_cells(page)
        wait_for_all_cells_run(page)
        # The notebook's check cells already spoke and transcribed: keep that audio to upload
        # later, and mark those results stale so only what the clicks produce satisfies a wait.
        notebook_audio = _data_url_bytes(
            page.get_attribute(".cartesia-playground-audio audio source", "src")
        )
        page.evaluate(
            """() => document.querySelectorAll(
                '.cartesia-playground-audio audio, .cartesia-playground-transcript .transcript-text'
            ).forEach(el => el.setAttribute('data-stale', ''))"""
        )

        text = page.locator(".jp-OutputArea-output .cartesia-playground-text textarea")
        text.fill(SENTENCE)
        page.locator(".cartesia-playground-speak").click()
        playable = page.wait_for_function(
            """() => {
                const audio = document.querySelector(
                    '.cartesia-playground-audio audio:not([data-stale])');
                return audio && audio.readyState >= 2 && audio.duration > 0
                    ? {readyState: audio.readyState, duration: audio.duration} : false;
            }""",
            timeout=20 * SECONDS,
        ).json_value()
        assert playable["duration"] > 1.0, playable  # eight words take more than a second
        error = page.locator(".cartesia-playground-error")
        assert error.inner_text().strip() == ""  # a success clears the last error

        page.locator(".cartesia-playground-transcribe").click()
        heard = page.locator(".cartesia-playground-transcript .transcript-text:not([data-stale])")
        heard.wait_for(timeout=20 * SECONDS)
        assert _words(heard.inner_text()) == _words(SENTENCE)
        timing_rows = page.locator(".cartesia-playground-transcript tr").count() - 1
        assert timing_rows == len(_words(SENTENCE))

        # An uploaded file replaces the spoken audio as what Transcribe sends.
        page.evaluate(
            "() => document.querySelector('.cartesia-playground-transcript .transcript-text')"
            ".setAttribute('data-stale', '')"
        )
        with page.expect_file_chooser(timeout=10 * SECONDS) as chooser:
            page.locator(".cartesia-playground-upload").click()
        chooser.value.set_files(
            {"name": "fox.wav", "mimeType": "audio/wav", "buffer": notebook_audio}
        )
        page.get_by_text("Transcribe sends: fox.wav").wait_for(timeout=10 * SECONDS)
        page.locator(".cartesia-playground-transcribe").click()
        heard.wait_for(timeout=20 * SECONDS)
        assert _words(heard.inner_text()) == _words(NOTEBOOK_SENTENCE)

        text.fill("")
        page.locator(".cartesia-playground-speak").click()
        page.wait_for_function(
            "() => document.querySelector('.cartesia-playground-error').innerText.trim() !== ''",
            timeout=10 * SECONDS,
        )
        message = error.inner_text().strip()
        assert message.startswith("Nothing to speak"), message
        assert "\n" not in message and "Traceback" not in page.inner_text("body")


def wait_for_all_cells_run(page) -> None:
    """Wait until every code cell has an execution count; fail at once on an error output."""
    outcome = page.wait_for_function(
        r"""() => {
            const failed = [...document.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                .find(output => output.innerText.includes('Traceback (most recent call last)'));
            if (failed) return {error: failed.innerText.slice(-1500)};
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const state = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return prompts.length > 0 && prompts.every(p => /\[\d+\]/.test(p.textContent))
                && state.getAttribute('data-status') === 'idle' && {error: null};
        }""",
        timeout=60 * SECONDS,
    ).json_value()
    assert outcome["error"] is None, f"a notebook cell failed:\n{outcome['error']}"


def _data_url_bytes(url: str | None) -> bytes:
    assert url and url.startswith("data:"), f"expected the audio as a data URL, got {url!r:.80}"
    return base64.b64decode(url.split(",", 1)[1])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())
