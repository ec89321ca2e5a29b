"""The mock chat model: a deterministic answer composed from the question, its tokens and pace.

It is no language model: it says it is the mock, repeats the question, recalls the previous one
and counts the turns, so an answer is predictable, and visibly not a real model's.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .. import undocumented as guess
from .openai_request import ChatMessage, ChatRequest

TOKEN = re.compile(guess.CHAT_TOKEN_PATTERN)
QUOTE_WORDS = 24  # longer questions are quoted by their first words
TOKEN_MS_VARIABLE = "MOCK_CHAT_TOKEN_MS"
DEFAULT_TOKEN_MS = 20.0  # about 50 tokens a second, the pace of a fast hosted model


@dataclass(frozen=True)
class Answer:
    """One choice's text, its tokens and why it ended ("stop" or "length")."""

    text: str
    tokens: tuple[str, ...]
    finish_reason: str


def tokens(text: str) -> list[str]:
    """The mock's tokens: a word with its leading space, or one punctuation mark."""
    return TOKEN.findall(text)


def prompt_tokens(messages: Sequence[ChatMessage]) -> int:
    """Tokens of the prompt, counted the mock's way, with a little framing per message."""
    return sum(len(tokens(m.text)) + guess.CHAT_TOKENS_PER_MESSAGE for m in messages)


def _quote(text: str) -> str:
    words = text.split()
    quoted = " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")
    return quoted if quoted[-1:] in ".?!…" else quoted + "."


def compose(messages: Sequence[ChatMessage]) -> str:
    """The mock's whole answer to a conversation: deterministic, built from the user's words.

    Its first sentence is short, as a voice agent's should be: speech can start early.
    """
    questions = [m.text for m in messages if m.role == "user" and m.text.strip()]
    if not questions:
        return "I am the mock chat model. I heard no question to answer."
    parts = ["I am the mock chat model.", f"You asked: {_quote(questions[-1])}"]
    if len(questions) > 1:
        parts.append(f"Before that: {_quote(questions[-2])}")
    parts.append(f"That is question {len(questions)}.")
    return " ".join(parts)


def _cut_at_stop(text: str, stop: Sequence[str]) -> str:
    """The text up to the first stop sequence (OpenAI leaves the sequence out)."""
    cuts = [text.index(s) for s in stop if s in text]
    return text[: min(cuts)] if cuts else text


def answer(request: ChatRequest) -> Answer:
    """The answer to `request`, cut at a stop sequence or at max_tokens as OpenAI does."""
    pieces = tokens(_cut_at_stop(compose(request.messages), request.stop))
    if request.max_tokens is not None and len(pieces) > request.max_tokens:
        pieces = pieces[: request.max_tokens]
        return Answer("".join(pieces), tuple(pieces), "length")
    return Answer("".join(pieces), tuple(pieces), "stop")


def token_seconds(token_ms: float | None = None) -> float:
    """The pause before each streamed token: `token_ms`, else $MOCK_CHAT_TOKEN_MS, else 20 ms."""
    if token_ms is None:
        raw = os.environ.get(TOKEN_MS_VARIABLE, "").strip()
        try:
            token_ms = float(raw) if raw else DEFAULT_TOKEN_MS
        except ValueError:
            message = f"{TOKEN_MS_VARIABLE} must be a number of milliseconds, got {raw!r}"
            raise ValueError(message) from None
    if not (token_ms >= 0 and token_ms < 60_000):
        raise ValueError(f"the chat token pace must be 0 to 60000 ms, got {token_ms}")
    return token_ms / 1000
