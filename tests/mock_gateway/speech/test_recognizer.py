"""The gateway's recognizer hears speech after any format round trip, and remembers nothing."""

from __future__ import annotations

import pytest

from helpers.audio_formats import parse_output_format
from helpers.mock_gateway.speech.audio_encoding import decode, encode
from helpers.mock_gateway.speech.recognizer import Recognizer
from helpers.mock_gateway.speech.synthesizer import synthesize
from helpers.mock_gateway.speech.voices import find_voice

TEXT = "A paper kite rose high above the sandy beach."
VOICE = find_voice("a0e99841-438c-4a64-b679-ae501e7d6091")


@pytest.fixture(scope="module")
def spoken():
    return synthesize(TEXT, voice=VOICE)


@pytest.mark.slow
@pytest.mark.parametrize(
    "output_format",
    [
        {"container": "wav", "encoding": "pcm_mulaw", "sample_rate": 8000},
        {"container": "wav", "encoding": "pcm_alaw", "sample_rate": 8000},
        {"container": "mp3", "sample_rate": 44100, "bit_rate": 128000},
        {"container": "wav", "encoding": "pcm_f32le", "sample_rate": 48000},
    ],
)
def test_the_mocks_speech_is_heard_after_a_format_round_trip(
    spoken, output_format, word_error_rate
):
    fmt = parse_output_format(output_format)
    samples, rate = decode(encode(spoken.samples, spoken.sample_rate, fmt))
    heard = Recognizer().transcribe(samples, rate)
    assert word_error_rate([TEXT], [heard.text]) <= 0.2, heard.text
    assert heard.language == "en"


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_nothing_is_remembered_a_changed_recording_is_heard_as_it_is(spoken, word_error_rate):
    """Cut the recording in half: the transcript is of the half, not of what was synthesized."""
    half = spoken.samples[: len(spoken.samples) // 2]
    heard = Recognizer().transcribe(half, spoken.sample_rate)
    assert 0 < len(heard.text.split()) < len(TEXT.split())


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_a_stream_from_the_recognizer_hears_too(spoken):
    stream = Recognizer().stream(spoken.sample_rate)
    step = spoken.sample_rate // 5
    for start in range(0, len(spoken.samples), step):
        stream.feed(spoken.samples[start : start + step])
    assert "kite" in stream.finalize().text.lower()
