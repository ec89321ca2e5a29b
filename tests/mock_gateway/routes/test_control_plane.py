"""The control plane through the official truefoundry_sdk client: apply, dry run, delete, list."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from cartesia import PermissionDeniedError
from support import ADMIN_KEY, LEARNER_KEY, VOICE_ID, sdk_client
from truefoundry_sdk import (
    CartesiaApiKeyAuth,
    CartesiaModel,
    CartesiaProviderAccount,
    Collaborator,
    TrueFoundry,
)
from truefoundry_sdk.core.api_error import ApiError

from helpers.mock_gateway.server import RunningGateway, start_in_thread

WAV = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}


@pytest.fixture
def gateway() -> Iterator[RunningGateway]:
    """A gateway of its own: these tests change the registry."""
    running = start_in_thread()
    yield running
    running.stop()


@pytest.fixture
def admin(gateway: RunningGateway) -> TrueFoundry:
    return TrueFoundry(api_key=ADMIN_KEY, base_url=gateway.url)


def lab_account(name: str = "cartesia-lab", model: str = "sonic-3") -> dict:
    return {
        "name": name,
        "type": "provider-account/cartesia",
        "cartesia_version": "2025-04-16",
        "auth_data": {"type": "api-key", "api_key": "sk_car_not_a_real_key"},
        "collaborators": [{"subject": "team:everyone", "role_id": "provider-account-access"}],
        "integrations": [
            {
                "type": "integration/model/cartesia",
                "name": model,
                "model_id": model,
                "model_types": ["text_to_speech"],
            }
        ],
    }


async def speak(gateway: RunningGateway, account: str, model: str = "sonic-3") -> bytes:
    async with sdk_client(gateway.url, "tts", account=account, max_retries=0) as client:
        response = await client.tts.generate(
            model_id=model, transcript="Hello.", voice=VOICE_ID, output_format=WAV
        )
        return await response.read()


async def test_dry_run_validates_but_changes_nothing(
    gateway: RunningGateway, admin: TrueFoundry
) -> None:
    result = admin.apply(manifest=lab_account(), dry_run=True)
    assert result.action == "CREATE" and result.existing_manifest is None
    with pytest.raises(PermissionDeniedError, match="or model does not exist"):
        await speak(gateway, "cartesia-lab")


async def test_apply_registers_models_at_once_then_update_then_delete(
    gateway: RunningGateway, admin: TrueFoundry
) -> None:
    created = admin.apply(manifest=lab_account())
    assert created.action == "CREATE"
    assert created.data.fqn.endswith(":cartesia-lab")
    assert (await speak(gateway, "cartesia-lab")).startswith(b"RIFF")

    updated = admin.apply(manifest=lab_account(model="sonic-3.5"))
    assert updated.action == "UPDATE"
    assert updated.existing_manifest.integrations[0].model_id == "sonic-3"
    assert (await speak(gateway, "cartesia-lab", "sonic-3.5")).startswith(b"RIFF")
    with pytest.raises(PermissionDeniedError):
        await speak(gateway, "cartesia-lab", "sonic-3")  # gone with the update

    admin.delete(manifest=lab_account(model="sonic-3.5"))
    with pytest.raises(PermissionDeniedError):
        await speak(gateway, "cartesia-lab", "sonic-3.5")
    with pytest.raises(ApiError) as caught:
        admin.delete(manifest=lab_account())
    assert caught.value.status_code == 404


def test_typed_sdk_manifest_is_accepted(admin: TrueFoundry) -> None:
    manifest = CartesiaProviderAccount(
        name="cartesia-typed",
        cartesia_version="2024-11-13",
        auth_data=CartesiaApiKeyAuth(api_key="sk_car_x"),
        integrations=[
            CartesiaModel(name="ink-2", model_id="ink-2", model_types=["audio_transcription"])
        ],
        collaborators=[
            Collaborator(subject="user:learner@example.com", role_id="provider-account-access")
        ],
    )
    assert admin.apply(manifest=manifest).action == "CREATE"
    assert admin.apply(manifest=manifest).existing_manifest.name == "cartesia-typed"


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (
            {
                "integrations": [
                    {"name": "my-voice", "model_id": "sonic-3", "model_types": ["text_to_speech"]}
                ]
            },
            "name must equal model_id",
        ),
        (
            {
                "integrations": [
                    {"name": "ink-2", "model_id": "ink-2", "model_types": ["speech_to_text"]}
                ]
            },
            "speech_to_text",
        ),
        ({"cartesia_version": "2026-08-14"}, "cartesia_version"),
        ({"collaborators": [{"subject": "team:everyone", "role_id": "owner"}]}, "role_id"),
        (
            {"collaborators": [{"subject": "everyone", "role_id": "provider-account-access"}]},
            "subject",
        ),
        ({"auth_data": {"type": "api-key"}}, "api_key"),
    ],
)
def test_manifest_rules_are_enforced_with_clear_messages(
    admin: TrueFoundry, change: dict, needle: str
) -> None:
    with pytest.raises(ApiError) as caught:
        admin.apply(manifest={**lab_account(), **change}, dry_run=True)
    assert caught.value.status_code == 422
    assert needle in caught.value.body["message"]


def test_only_admins_and_managers_may_apply(gateway: RunningGateway, admin: TrueFoundry) -> None:
    learner = TrueFoundry(api_key=LEARNER_KEY, base_url=gateway.url)
    with pytest.raises(ApiError) as caught:
        learner.apply(manifest=lab_account())
    assert caught.value.status_code == 403
    manifest = lab_account()
    manifest["collaborators"].append(
        {"subject": "user:learner@example.com", "role_id": "provider-account-manager"}
    )
    admin.apply(manifest=manifest)
    assert learner.apply(manifest=manifest).action == "UPDATE"  # now a manager
    with pytest.raises(ApiError) as caught:
        TrueFoundry(api_key="tfy-nope", base_url=gateway.url).apply(manifest=manifest)
    assert caught.value.status_code == 401


def test_provider_accounts_lists_what_the_caller_collaborates_on(
    gateway: RunningGateway, admin: TrueFoundry
) -> None:
    def names(key: str) -> set[str]:
        response = httpx.get(
            f"{gateway.url}/api/svc/v1/provider-accounts",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert response.status_code == 200
        return {account["manifest"]["name"] for account in response.json()["data"]}

    both = {"cartesia-main", "openai-main"}  # openai-main: the voice agent's chat model
    assert names(ADMIN_KEY) == both
    assert names(LEARNER_KEY) == both  # through team:everyone
    assert names("tfy-mock-outsider-key") == set()


async def test_rate_limit_config_applied_through_the_sdk_takes_effect(
    gateway: RunningGateway, admin: TrueFoundry
) -> None:
    from cartesia import RateLimitError

    rules = {
        "type": "gateway-rate-limiting-config",
        "rules": [
            {
                "id": "one-per-minute",
                "when": {"subjects": ["user:learner@example.com"]},
                "limit_to": 1,
                "unit": "requests_per_minute",
            }
        ],
    }
    assert admin.apply(manifest=rules).action == "CREATE"
    await speak(gateway, "cartesia-main")
    with pytest.raises(RateLimitError):
        await speak(gateway, "cartesia-main")
    admin.delete(manifest=rules)
    await speak(gateway, "cartesia-main")
