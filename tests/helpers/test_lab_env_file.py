"""Under a running `make lab`, a kernel started after `.env` names a gateway uses that gateway.

The shared mock is used only while `.env` names none. The code runs in kernels that JupyterLab
starts, as a learner's notebook would, through JupyterLab's own kernel WebSocket.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lab_support import TOKEN, Lab, lab_launcher
from websockets.sync.client import connect

from helpers.gateway import MOCK_LEARNER_KEY

pytestmark = pytest.mark.slow


@pytest.fixture
def start_lab(tmp_path: Path) -> Iterator[Callable[[str], Lab]]:
    """Start `make lab` or the launcher; all stopped (or the test failed) at the end."""
    with lab_launcher(tmp_path) as start:
        yield start


SETUP_CELL = """
from helpers.config import load_settings
from helpers.gateway import ensure_gateway
print(ensure_gateway(load_settings()).gateway_base_url)
"""


def run_in_kernel(lab, kernel_id: str, code: str) -> str:
    """Execute code in a JupyterLab kernel; its printed output (an error fails the test)."""
    url = f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels?token={TOKEN}"
    msg_id = uuid.uuid4().hex
    request = {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "username": "test",
            "session": uuid.uuid4().hex,
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {"code": code, "silent": False, "allow_stdin": False, "stop_on_error": True},
        "channel": "shell",
    }
    printed = []
    with connect(url, open_timeout=30) as socket:
        socket.send(json.dumps(request))
        while True:
            message = json.loads(socket.recv(timeout=60))
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            assert kind != "error", f"{content['ename']}: {content['evalue']}"
            if kind == "stream":
                printed.append(content["text"])
            if kind == "status" and content["execution_state"] == "idle":
                return "".join(printed).strip()


def test_env_written_after_make_lab_started_wins_over_the_shared_mock(start_lab, gateway) -> None:
    lab = start_lab("make")
    lab.wait_ready()
    assert lab.mock_url, lab.printed
    assert run_in_kernel(lab, lab.start_kernel(), SETUP_CELL) == lab.mock_url

    env_file = lab.tree / ".env"
    env_file.write_text(f"GATEWAY_BASE_URL={gateway.url}\nTFY_API_KEY={MOCK_LEARNER_KEY}\n")
    assert run_in_kernel(lab, lab.start_kernel(), SETUP_CELL) == gateway.url

    env_file.write_text("GATEWAY_BASE_URL=\n")  # names no gateway again: the shared mock
    assert run_in_kernel(lab, lab.start_kernel(), SETUP_CELL) == lab.mock_url
    lab.stop()
