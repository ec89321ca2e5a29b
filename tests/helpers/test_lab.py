"""`make lab`'s launcher starts the mock gateway and JupyterLab with no `.env` at all."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support import mock_jupyter_env

from helpers.ports import free_port

pytestmark = pytest.mark.slow

TOKEN = "lab-launcher-test"
LAB_URL = "http://127.0.0.1:{port}/lab?token=" + TOKEN


@pytest.fixture
def lab(tmp_path: Path):
    """Run `python -m helpers.lab` as `make lab` does, in a folder with no `.env`."""
    env = mock_jupyter_env(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpers.lab",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_lab_serves_jupyterlab_and_the_mock_gateway(lab) -> None:
    process, port = lab
    first_line = process.stdout.readline()
    match = re.fullmatch(
        r"Mock gateway for the notebooks \(not a page to open\): (http://127\.0\.0\.1:\d+)\n",
        first_line,
    )
    assert match, first_line
    gateway = match.group(1)

    models = httpx.get(f"{gateway}/models", headers={"x-tfy-api-key": "tfy-mock-learner-key"})
    assert models.status_code == 200
    assert "cartesia-main/sonic-3.5" in {model["id"] for model in models.json()["data"]}

    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "jupyter lab exited early"
        try:
            status = httpx.get(f"http://127.0.0.1:{port}/api/status", params={"token": TOKEN})
            if status.status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
        time.sleep(0.25)
    contents = httpx.get(f"http://127.0.0.1:{port}/api/contents", params={"token": TOKEN}).json()
    assert "02_tts_quickstart.ipynb" in {item["name"] for item in contents["content"]}


def test_lab_prints_the_jupyterlab_url_last(lab) -> None:
    """Mock URL first, marked as not a page; the JupyterLab URL after every Jupyter log line."""
    process, port = lab
    banner = f"    JupyterLab is ready, open:  {LAB_URL.format(port=port)}\n"
    printed = []
    while banner not in printed:
        line = process.stdout.readline()
        assert line, f"exited without the banner: {printed}"
        printed.append(line)
    assert printed[0].startswith("Mock gateway for the notebooks (not a page to open): ")
    urls = [index for index, line in enumerate(printed) if "http://" in line]
    assert urls[0] == 0 and urls[-1] == len(printed) - 1, printed
