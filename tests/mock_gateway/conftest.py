"""Fixtures of the mock's tests: a word error rate meter for what the recognizer heard."""

from __future__ import annotations

from collections.abc import Callable

import jiwer
import pytest

_NORMALIZE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


@pytest.fixture(scope="session")
def word_error_rate() -> Callable[[list[str], list[str]], float]:
    """WER of hypotheses against references, case and punctuation ignored."""

    def rate(references: list[str], hypotheses: list[str]) -> float:
        return jiwer.wer(
            references, hypotheses, reference_transform=_NORMALIZE, hypothesis_transform=_NORMALIZE
        )

    return rate
