"""Fixtures of the speech-engine tests: the engines (loaded once per session) and a WER meter."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import jiwer
import numpy as np
import pytest

from helpers.mock_gateway.speech import piper_tts, whisper_stt

SONIC_SAMPLE = (
    Path(__file__).resolve().parents[4] / "shared" / "audio" / "sonic-sample-speech-4s-16k.wav"
)

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
def piper() -> piper_tts.PiperEngine:
    return piper_tts.ENGINE.get()


@pytest.fixture(scope="session")
def whisper() -> whisper_stt.WhisperEngine:
    return whisper_stt.ENGINE.get()


@pytest.fixture(scope="session")
def word_error_rate() -> Callable[[list[str], list[str]], float]:
    """WER of hypotheses against references, case and punctuation ignored."""

    def rate(references: list[str], hypotheses: list[str]) -> float:
        return jiwer.wer(
            references, hypotheses, reference_transform=_NORMALIZE, hypothesis_transform=_NORMALIZE
        )

    return rate


@pytest.fixture
def noisy() -> Callable[[np.ndarray, float], np.ndarray]:
    """Samples with white noise added at a signal-to-noise ratio in dB (seeded)."""

    def add(samples: np.ndarray, snr_db: float) -> np.ndarray:
        power = float(np.mean(samples**2))
        noise = np.random.default_rng(7).normal(
            0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(samples)
        )
        return (samples + noise).astype(np.float32)

    return add


@pytest.fixture(scope="session")
def sonic_sample_wav() -> Path:
    """Four seconds of real Sonic speech kept beside the repository; never skipped on CI."""
    if not SONIC_SAMPLE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Sonic speech sample is missing at {SONIC_SAMPLE}")
        pytest.skip("the Sonic speech sample is not beside the repository (../shared/audio)")
    return SONIC_SAMPLE
