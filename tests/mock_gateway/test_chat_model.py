"""The mock's chat model (answers, tokens), its pace setting and its provider account manifest."""

from __future__ import annotations

import pytest

from helpers.mock_gateway.chat_answer import answer, compose, prompt_tokens, tokens
from helpers.mock_gateway.chat_completions import TOKEN_MS_VARIABLE, token_seconds
from helpers.mock_gateway.chat_request import ChatMessage, chat_request
from helpers.mock_gateway.manifests import ManifestError, parse_provider_account


def request(*texts: str, **fields):
    messages = [{"role": "user", "content": text} for text in texts]
    return chat_request({"model": "openai-main/mock-chat", "messages": messages, **fields})


def test_answer_quotes_the_question_and_says_it_is_the_mock() -> None:
    text = compose([ChatMessage("user", "Is it raining in Lyon?")])
    assert "mock" in text and "Is it raining in Lyon?" in text
    assert text == compose([ChatMessage("user", "Is it raining in Lyon?")])


def test_answer_recalls_the_previous_question_and_counts_turns() -> None:
    text = compose([ChatMessage("user", "First?"), ChatMessage("user", "Second?")])
    assert "Second?" in text and "First?" in text and "question 2" in text


def test_a_conversation_without_a_question_gets_a_clear_answer() -> None:
    assert "no question" in compose([ChatMessage("system", "Be brief.")])


@pytest.mark.parametrize("text", ["Hello, world!", "It's 3.5 km — isn't it?", "  spaced   out  "])
def test_tokens_put_the_text_back_together(text: str) -> None:
    assert "".join(tokens(text)) == text.rstrip()
    assert all(token.strip() for token in tokens(text))


def test_max_tokens_cuts_the_answer_and_says_length() -> None:
    cut = answer(request("Why?", max_tokens=4))
    assert (len(cut.tokens), cut.finish_reason) == (4, "length")
    assert answer(request("Why?")).finish_reason == "stop"


def test_prompt_tokens_grow_with_the_prompt() -> None:
    short, long = request("Why?"), request("Why is the sky blue on a clear day?")
    assert prompt_tokens(long.messages) > prompt_tokens(short.messages) > 0


def test_pace_comes_from_the_argument_then_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_MS_VARIABLE, "5")
    assert token_seconds() == 0.005
    assert token_seconds(40) == 0.04
    monkeypatch.setenv(TOKEN_MS_VARIABLE, "fast")
    with pytest.raises(ValueError, match=f"{TOKEN_MS_VARIABLE} must be a number"):
        token_seconds()
    with pytest.raises(ValueError, match="0 to 60000 ms"):
        token_seconds(-1)


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
