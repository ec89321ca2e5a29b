"""Fixtures of the speech-engine tests: the engines (loaded once per session), noise."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from helpers.mock_gateway.speech import piper_tts, whisper_stt


@pytest.fixture(scope="session")
def piper() -> piper_tts.PiperEngine:
    return piper_tts.ENGINE.get()


@pytest.fixture(scope="session")
def whisper() -> whisper_stt.WhisperEngine:
    return whisper_stt.ENGINE.get()


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
