"""Silero finds turns: start, eager end, resume and end, from real speech and real pauses."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.mock_gateway.speech.vad import TurnDetector


def _silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(int(seconds * rate), np.float32)


def _events(detector: TurnDetector, samples: np.ndarray, rate: int):
    step = int(0.05 * rate)
    found = []
    for start in range(0, len(samples), step):
        found += detector.feed(samples[start : start + step])
    return found


def test_a_pause_then_more_speech_is_eager_end_then_resume_then_end(piper):
    one, two = piper.speak("Let me think about that."), piper.speak("Yes, that works.")
    rate = one.sample_rate
    audio = np.concatenate(
        [_silence(0.5, rate), one.samples, _silence(0.5, rate), two.samples, _silence(1.5, rate)]
    )
    events = _events(TurnDetector(rate, end_silence=0.9, eager_end_silence=0.3), audio, rate)
    kinds = [e.kind for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end"
    assert "eager_end" in kinds and "resume" in kinds
    assert kinds.count("start") == 1 and kinds.count("end") == 1
    assert 0.4 <= events[0].time <= 0.7  # speech began after half a second of silence
    times = [e.time for e in events]
    assert times == sorted(times)
    assert events[-1].time <= len(audio) / rate


def test_two_turns_separated_by_a_long_silence(piper):
    one, two = piper.speak("First turn."), piper.speak("Second turn.")
    rate = one.sample_rate
    audio = np.concatenate([one.samples, _silence(1.2, rate), two.samples, _silence(1.2, rate)])
    kinds = [e.kind for e in _events(TurnDetector(rate), audio, rate)]
    assert [k for k in kinds if k in ("start", "end")] == ["start", "end", "start", "end"]


@pytest.mark.parametrize("level", [0.0, 0.01])
def test_silence_and_hiss_are_no_turn(level):
    hiss = np.random.default_rng(1).normal(0, level, 3 * 16000).astype(np.float32)
    assert _events(TurnDetector(16000), hiss, 16000) == []


def test_eager_end_must_come_before_the_end():
    with pytest.raises(ValueError, match="shorter than end_silence"):
        TurnDetector(16000, end_silence=0.5, eager_end_silence=0.6)
