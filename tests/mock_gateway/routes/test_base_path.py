"""A gateway base URL with a path (older and self-hosted installs: .../api/llm): the mock serves
every route under the prefix as well as at the root, and the SDK works through either."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from support import LEARNER_KEY, ROOT, VOICE_ID, sdk_client

from helpers import gateway as embedded
from helpers.config import Settings
from helpers.mock_gateway.server import RunningGateway, start_in_thread

PREFIX = "/api/llm"
WAV = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}


@pytest.fixture(scope="module")
def prefixed() -> Iterator[RunningGateway]:
    with start_in_thread(port=0, base_path=PREFIX) as running:
        yield running


async def speak_and_listen(base_url: str) -> str:
    async with sdk_client(base_url, "tts", max_retries=0) as tts:
        response = await tts.tts.generate(
            model_id="sonic-3.5", transcript="Under a prefix.", voice=VOICE_ID, output_format=WAV
        )
        audio = await response.read()
    async with sdk_client(base_url, "stt", max_retries=0) as stt:
        result = await stt.stt.transcribe(file=("a.wav", audio), model="ink-whisper")
    return result.text


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_http_routes_answer_under_the_prefix_and_at_the_root(prefixed) -> None:
    assert prefixed.base_url == f"{prefixed.url}{PREFIX}"
    assert await speak_and_listen(prefixed.base_url) == "Under a prefix."
    assert await speak_and_listen(prefixed.url) == "Under a prefix."


async def test_websockets_answer_under_the_prefix(prefixed) -> None:
    async with sdk_client(prefixed.base_url, "tts", max_retries=0) as tts:
        connection = await tts.tts.websocket_connect().enter()
        try:
            context = connection.context(model_id="sonic-3.5", voice={"id": VOICE_ID})
            await context.push("Hello.")
            await context.no_more_inputs()
            kinds = [event.type async for event in context.receive()]
        finally:
            await connection.close()
    assert kinds[-1] == "done" and "chunk" in kinds
    stt = sdk_client(prefixed.base_url, "stt", max_retries=0)
    async with stt.stt.manual_finalize.websocket(
        model="ink-2", encoding="pcm_s16le", sample_rate=16000
    ) as connection:
        await connection.send("close")
        kinds = [event.type async for event in connection]
    await stt.close()
    assert kinds[-1] == "done"


def test_models_and_the_control_plane_answer_under_the_prefix(prefixed) -> None:
    headers = {"x-tfy-api-key": LEARNER_KEY}
    models = httpx.get(f"{prefixed.base_url}/models", headers=headers)
    assert models.status_code == 200 and models.json()["data"], models.text
    accounts = httpx.get(
        f"{prefixed.base_url}/api/svc/v1/provider-accounts",
        headers={"Authorization": f"Bearer {LEARNER_KEY}"},
    )
    assert accounts.status_code == 200, accounts.text


def test_an_unknown_path_under_the_prefix_is_a_gateway_404(prefixed) -> None:
    response = httpx.get(f"{prefixed.base_url}/nothing/here")
    assert response.status_code == 404 and response.json()["status"] == "failure"


def test_the_embedded_mock_takes_its_prefix_from_the_environment(monkeypatch) -> None:
    monkeypatch.setattr(embedded, "_running", None)
    monkeypatch.setenv("MOCK_GATEWAY_BASE_PATH", PREFIX)
    monkeypatch.delenv(embedded.SHARED_MOCK_VARIABLE, raising=False)
    settings = embedded.ensure_gateway(Settings(tfy_api_key=""))
    try:
        assert settings.gateway_base_url.endswith(f"{PREFIX}")
        assert settings.tts_base_url.endswith(f"{PREFIX}/tts/cartesia-main")
        assert embedded.is_mock_gateway(settings)
    finally:
        embedded._running.stop()


@pytest.mark.parametrize("bad", ["api/llm", "/api/llm/", "//x"])
def test_a_malformed_prefix_is_one_line_naming_the_form(bad: str) -> None:
    with pytest.raises(ValueError, match="e.g. /api/llm"):
        start_in_thread(port=0, base_path=bad)


@pytest.mark.slow
def test_the_cli_prints_the_prefixed_url() -> None:
    command = [sys.executable, "-m", "helpers.mock_gateway", "--port", "0", "--base-path", PREFIX]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert banner.rstrip().endswith(PREFIX), banner
