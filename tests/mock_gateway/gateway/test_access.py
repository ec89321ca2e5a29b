"""Gateway auth, access rules, /models, limits and faults: each error status as its SDK error."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from cartesia import (
    AsyncCartesia,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from cartesia._exceptions import APIStatusError
from support import ADMIN_KEY, LEARNER_KEY, OUTSIDER_KEY, VOICE_ID, sdk_client

from helpers.mock_gateway import undocumented
from helpers.mock_gateway.gateway.registry import Registry
from helpers.mock_gateway.server import RunningGateway, start_in_thread

WAV = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}


async def speak(client: AsyncCartesia, model: str = "sonic-3.5") -> bytes:
    response = await client.tts.generate(
        model_id=model, transcript="Hello.", voice=VOICE_ID, output_format=WAV
    )
    return await response.read()


def truefoundry_body(error: APIStatusError) -> dict:
    body = error.body
    assert body["status"] == "failure"
    assert body["error"]["message"] == body["message"]
    assert body["error"]["code"] == str(error.status_code)
    return body


@pytest.mark.parametrize("key", [None, "", "tfy-not-a-key"])
async def test_missing_or_unknown_key_is_401(gateway: RunningGateway, key: str | None) -> None:
    async with sdk_client(gateway.url, "tts", key=key, max_retries=0) as client:
        with pytest.raises(AuthenticationError) as caught:
            await speak(client)
    body = truefoundry_body(caught.value)
    assert body["error_origin_level"] == "authentication"
    assert body["message"].startswith("Unauthorized: ")


async def test_authorization_bearer_is_ignored_on_the_data_plane(gateway: RunningGateway) -> None:
    """The SDK always sends `Authorization: Bearer <api_key>`; only x-tfy-api-key counts."""
    async with sdk_client(gateway.url, "tts", key=None, max_retries=0) as client:
        with pytest.raises(AuthenticationError):
            await client.tts.generate(
                model_id="sonic-3.5",
                transcript="Hello.",
                voice=VOICE_ID,
                output_format=WAV,
                extra_headers={"Authorization": f"Bearer {LEARNER_KEY}"},
            )


async def test_virtual_account_outside_team_everyone_gets_the_combined_403(
    gateway: RunningGateway,
) -> None:
    async with sdk_client(gateway.url, "tts", key=OUTSIDER_KEY, max_retries=0) as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await speak(client)
    body = truefoundry_body(caught.value)
    assert body["message"] == (
        "User virtualaccount:outsider is not authorized to access model "
        "cartesia-main/sonic-3.5 or model does not exist"
    )
    assert body["error"]["type"] == "AuthorizationError"


async def test_unregistered_model_gets_the_same_403(tts: AsyncCartesia) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        await speak(tts, model="sonic-latest")
    assert caught.value.body["message"] == (
        "User user:learner@example.com is not authorized to access model "
        "cartesia-main/sonic-latest or model does not exist"
    )


async def test_unknown_account_is_rejected(gateway: RunningGateway) -> None:
    async with sdk_client(gateway.url, "tts", account="no-such-account", max_retries=0) as c:
        with pytest.raises(APIStatusError) as caught:
            await speak(c)
    assert caught.value.status_code == undocumented.UNKNOWN_ACCOUNT_STATUS
    assert "no-such-account/sonic-3.5" in caught.value.body["message"]


async def test_stt_model_on_the_tts_route_is_rejected(tts: AsyncCartesia) -> None:
    with pytest.raises(BadRequestError) as caught:
        await speak(tts, model="ink-2")
    assert "audio_transcription" in truefoundry_body(caught.value)["message"]


async def test_tenant_admin_may_use_every_model(gateway: RunningGateway) -> None:
    async with sdk_client(gateway.url, "tts", key=ADMIN_KEY, max_retries=0) as client:
        assert (await speak(client, model="sonic-3")).startswith(b"RIFF")


async def test_unknown_route_is_404(gateway: RunningGateway) -> None:
    async with sdk_client(gateway.url, "tts/cartesia-main/v2", account="x", max_retries=0) as c:
        with pytest.raises(NotFoundError) as caught:
            await speak(c)
    assert "Route not found" in truefoundry_body(caught.value)["message"]


def test_wrong_method_and_oversized_json_are_clean_4xx(gateway: RunningGateway) -> None:
    headers = {"x-tfy-api-key": LEARNER_KEY}
    url = f"{gateway.url}/tts/cartesia-main/tts/bytes"
    assert httpx.get(url, headers=headers).status_code == 405
    huge = b'{"transcript": "' + b"a" * (undocumented.MAX_JSON_BODY_BYTES + 1) + b'"}'
    response = httpx.post(url, content=huge, headers=headers)
    assert response.status_code == 413 and "limit" in response.json()["message"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (LEARNER_KEY, {"sonic-3.5", "sonic-3", "ink-2", "ink-whisper"}),
        (ADMIN_KEY, {"sonic-3.5", "sonic-3", "ink-2", "ink-whisper"}),
        (OUTSIDER_KEY, set()),
    ],
)
def test_models_lists_only_what_the_key_may_use(
    gateway: RunningGateway, key: str, expected: set[str]
) -> None:
    response = httpx.get(f"{gateway.url}/models", headers={"x-tfy-api-key": key})
    body = response.json()
    assert response.status_code == 200 and body["object"] == "list"
    chat = {"openai-main/mock-chat"} if expected else set()  # the voice agent's chat model
    assert {m["id"] for m in body["data"]} == {f"cartesia-main/{m}" for m in expected} | chat
    assert all(m["object"] == "model" for m in body["data"])


def test_models_needs_a_key(gateway: RunningGateway) -> None:
    assert httpx.get(f"{gateway.url}/models").status_code == 401


RATE_LIMITED_REGISTRY = """
manifests:
  - name: cartesia-main
    type: provider-account/cartesia
    cartesia_version: "2025-04-16"
    auth_data: {type: api-key, api_key: k}
    collaborators: [{subject: "team:everyone", role_id: provider-account-access}]
    integrations:
      - {name: sonic-3, model_id: sonic-3, model_types: [text_to_speech]}
  - type: gateway-rate-limiting-config
    rules:
      - id: two-per-minute
        when: {models: ["cartesia-main/sonic-3"]}
        limit_to: 2
        unit: requests_per_minute
        rate_limit_applies_per: [user]
keys:
  - {key: tfy-mock-learner-key, subject: "user:learner@example.com"}
  - {key: tfy-mock-admin-key, subject: "user:admin@example.com"}
"""


@pytest.fixture
def rate_limited(tmp_path) -> Iterator[RunningGateway]:
    registry = tmp_path / "registry.yaml"
    registry.write_text(RATE_LIMITED_REGISTRY)
    assert Registry.from_file(registry).rate_limits()[0].limit_to == 2
    running = start_in_thread(registry_file=registry)
    yield running
    running.stop()


async def test_rate_limit_rule_answers_429_with_retry_after(rate_limited: RunningGateway) -> None:
    async with sdk_client(rate_limited.url, "tts", max_retries=0) as client:
        await speak(client, model="sonic-3")
        await speak(client, model="sonic-3")
        with pytest.raises(RateLimitError) as caught:
            await speak(client, model="sonic-3")
    assert 1 <= int(caught.value.response.headers["retry-after"]) <= 60
    assert "two-per-minute" in truefoundry_body(caught.value)["message"]
    async with sdk_client(rate_limited.url, "tts", key=ADMIN_KEY, max_retries=0) as admin:
        await speak(admin, model="sonic-3")  # counted per user: another user still passes


@pytest.fixture
def always_failing() -> Iterator[RunningGateway]:
    running = start_in_thread(fault_rate=1.0, seed=7)
    yield running
    running.stop()


async def test_injected_faults_map_to_rate_limit_and_server_errors(
    always_failing: RunningGateway,
) -> None:
    seen = set()
    async with sdk_client(always_failing.url, "tts", max_retries=0) as client:
        for _ in range(12):
            with pytest.raises((RateLimitError, InternalServerError)) as caught:
                await speak(client)
            seen.add(type(caught.value))
            assert caught.value.response.headers["retry-after"]
    assert seen == {RateLimitError, InternalServerError}


def test_fault_injection_is_deterministic_for_a_seed() -> None:
    from helpers.mock_gateway.gateway.faults import FaultInjector

    def pattern(seed: int) -> list:
        faults = FaultInjector(0.5, seed=seed)
        return [None if (f := faults.draw()) is None else f.status for _ in range(40)]

    assert pattern(3) == pattern(3) != pattern(4)
    assert {None, 429, 503} == set(pattern(3))


@pytest.mark.slow  # seconds of real speech work: not in test-fast
@pytest.mark.parametrize(
    "fmt", [WAV, {"container": "mp3", "sample_rate": 16000, "bit_rate": 64000}]
)
async def test_request_timeout_header_bounds_the_upstream_wait(tts: AsyncCartesia, fmt) -> None:
    long_text = "This sentence takes the speech engine a while to say out loud. " * 4

    async def call(timeout_ms: str) -> bytes:
        response = await tts.tts.generate(
            model_id="sonic-3.5",
            transcript=long_text,
            voice=VOICE_ID,
            output_format=fmt,
            extra_headers={"x-tfy-request-timeout": timeout_ms},
        )
        return await response.read()

    with pytest.raises(InternalServerError) as caught:
        await call("1")
    assert caught.value.status_code == 504
    assert "x-tfy-request-timeout" in truefoundry_body(caught.value)["message"]
    assert len(await call("60000")) > 1000
    with pytest.raises(BadRequestError, match="x-tfy-request-timeout"):
        await call("soon")
