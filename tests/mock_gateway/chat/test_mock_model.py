"""The mock's chat model: answers composed from the question, its tokens and its pace setting."""

from __future__ import annotations

import pytest

from helpers.mock_gateway.chat.mock_model import (
    TOKEN_MS_VARIABLE,
    answer,
    compose,
    prompt_tokens,
    token_seconds,
    tokens,
)
from helpers.mock_gateway.chat.openai_request import ChatMessage, chat_request


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
