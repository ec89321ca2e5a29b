"""A provider-account/openai manifest (the chat model's account): what differs from Cartesia's."""

from __future__ import annotations

import pytest

from helpers.mock_gateway.gateway.manifests import ManifestError, parse_provider_account


def openai_account(**model) -> dict:
    integration = {"type": "integration/model/openai", "name": "chat", "model_id": "gpt-x"}
    return {
        "name": "openai-main",
        "type": "provider-account/openai",
        "auth_data": {"type": "api-key", "api_key": "k"},
        "integrations": [{**integration, "model_types": ["chat"], **model}],
    }


def test_openai_account_needs_no_cartesia_version_and_may_rename_its_model() -> None:
    record = parse_provider_account(openai_account())
    assert record.models["chat"].model_id == "gpt-x"


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ({"model_types": ["text_to_speech"]}, "is not one of chat"),
        ({"type": "integration/model/cartesia"}, "must be 'integration/model/openai'"),
    ],
)
def test_openai_account_rules_name_the_field(model: dict, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        parse_provider_account(openai_account(**model))
