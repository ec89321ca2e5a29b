"""Streaming recognition: partials grow with the audio, finals come on demand."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.mock_gateway.speech import whisper_stream
from helpers.mock_gateway.speech.whisper_stream import StreamingRecognizer


def _feed(stream: StreamingRecognizer, samples: np.ndarray, rate: int, seconds: float = 0.1):
    step = int(seconds * rate)
    partials = []
    for start in range(0, len(samples), step):
        text = stream.feed(samples[start : start + step])
        if text is not None:
            partials.append(text)
    return partials


@pytest.fixture(autouse=True)
def partials_every_half_second(monkeypatch):
    """Partials at the fastest cadence, however busy the machine running the tests is."""
    monkeypatch.setattr(whisper_stream, "PARTIAL_WORK_SHARE", float("inf"))


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_partials_evolve_as_audio_arrives_and_the_final_has_it_all(piper, whisper):
    said = "The orchestra tuned their instruments while the audience found their seats."
    sentence = piper.speak(said)
    stream = StreamingRecognizer(whisper, sentence.sample_rate)
    partials = _feed(stream, sentence.samples, sentence.sample_rate)
    assert len(partials) >= 3
    assert len(set(partials)) == len(partials)  # each one is news
    assert len(partials[0].split()) < len(partials[-1].split())
    final = stream.finalize()
    assert "orchestra" in final.text.lower() and "seats" in final.text.lower()
    assert final.words[-1].end <= sentence.duration + 0.01


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_finalize_starts_a_new_utterance_timed_from_the_last_final(piper, whisper):
    first, second = piper.speak("Good morning."), piper.speak("Good evening.")
    stream = StreamingRecognizer(whisper, first.sample_rate)
    _feed(stream, first.samples, first.sample_rate)
    assert "morning" in stream.finalize().text.lower()
    _feed(stream, second.samples, second.sample_rate)
    final = stream.finalize()
    assert "evening" in final.text.lower() and "morning" not in final.text.lower()
    assert final.words[0].start < 0.5 and final.duration == pytest.approx(second.duration, abs=0.05)


@pytest.mark.slow
def test_long_streams_settle_their_first_words(piper, whisper, monkeypatch, word_error_rate):
    monkeypatch.setattr(whisper_stream, "COMMIT_AFTER", 4.0)
    monkeypatch.setattr(whisper_stream, "KEEP_SECONDS", 1.5)
    text = (
        "Rivers carry water from the mountains to the sea. "
        "Along the way they shape valleys and feed the farms."
    )
    pieces = [piper.speak(s) for s in text.split(". ")]
    samples = np.concatenate([p.samples for p in pieces])
    stream = StreamingRecognizer(whisper, pieces[0].sample_rate)
    partials = _feed(stream, samples, pieces[0].sample_rate, seconds=0.25)
    assert stream._settled, "nothing was settled"
    final = stream.finalize()
    assert word_error_rate([text], [final.text]) <= 0.2, final.text
    assert partials[-1].lower().startswith("rivers")


def test_bad_sample_rate_and_language_are_one_clear_line(whisper):
    with pytest.raises(ValueError, match="sample_rate must be a positive integer"):
        StreamingRecognizer(whisper, 0)
    with pytest.raises(ValueError, match="cannot be recognized"):
        StreamingRecognizer(whisper, 16000, "xx")
