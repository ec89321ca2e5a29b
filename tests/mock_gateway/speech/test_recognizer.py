"""The mock's STT: real pocketsphinx recognition, and exact recall of the mock's own speech."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import soundfile
from pocketsphinx import Decoder as PocketsphinxDecoder

from helpers.audio_formats import OutputFormat, parse_output_format
from helpers.mock_gateway.speech import recognizer as recognizer_module
from helpers.mock_gateway.speech.audio_encoding import decode, encode, encode_raw_chunk
from helpers.mock_gateway.speech.espeak_tts import synthesize, synthesize_stream
from helpers.mock_gateway.speech.recognizer import Recognizer
from helpers.mock_gateway.speech.voices import find_voice

SAMPLE_WORDS = {"magnetic", "resonance", "imaging", "is", "clinically", "relevant"}
TEXT = "Hello, world! This is a test of the mock gateway."
VOICE = find_voice("a0e99841-438c-4a64-b679-ae501e7d6091")


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer()


@pytest.fixture(scope="module")
def spoken(recognizer):
    """The mock's own speech of TEXT, remembered as the TTS routes do."""
    speech = synthesize(TEXT, voice=VOICE)
    recognizer.remember(speech, TEXT)
    return speech


def through(speech, output_format, volume=1.0):
    """The speech as a client gets it back after the format round trip."""
    fmt = parse_output_format(output_format)
    return decode(encode(speech.samples * volume, speech.sample_rate, fmt))


@pytest.mark.slow
def test_real_speech_is_recognized(recognizer, sonic_sample_wav):
    samples, rate = soundfile.read(sonic_sample_wav, dtype="float32")
    result = recognizer.transcribe(samples, rate)
    heard = set(result.text.split())
    assert len(heard & SAMPLE_WORDS) >= 5, result.text
    assert result.language == "en"
    assert result.duration == pytest.approx(len(samples) / rate, abs=1e-3)
    assert [w.word for w in result.words] == result.text.split()
    assert all(a.end <= b.start for a, b in zip(result.words, result.words[1:], strict=False))
    assert all(0 <= w.start < w.end <= result.duration + 0.02 for w in result.words)


@pytest.mark.parametrize(
    ("output_format", "volume"),
    [
        ({"container": "wav", "encoding": "pcm_mulaw", "sample_rate": 8000}, 1.0),
        ({"container": "wav", "encoding": "pcm_alaw", "sample_rate": 8000}, 0.5),
        ({"container": "mp3", "sample_rate": 16000, "bit_rate": 32000}, 1.0),
        ({"container": "mp3", "sample_rate": 44100, "bit_rate": 128000}, 1.8),
        ({"container": "wav", "encoding": "pcm_f32le", "sample_rate": 48000}, 1.0),
    ],
    ids=["mulaw-8k", "alaw-8k-softer", "mp3-16k-32kbps", "mp3-44k-louder", "f32-48k"],
)
def test_own_speech_comes_back_exactly(recognizer, spoken, output_format, volume):
    samples, rate = through(spoken, output_format, volume)
    result = recognizer.transcribe(samples, rate)
    assert result.text == TEXT
    assert result.words == spoken.words
    assert result.duration == pytest.approx(spoken.duration, abs=0.1)


def test_own_speech_streamed_in_chunks_and_rejoined_comes_back_exactly(recognizer):
    text = "Streaming speech arrives one sentence at a time. Then it stops."
    pieces = list(synthesize_stream(text, voice=VOICE))
    recognizer.remember(synthesize(text, voice=VOICE), text)  # as the bytes route would
    output_format = OutputFormat("raw", 24000, encoding="pcm_s16le")
    data = b"".join(encode_raw_chunk(p.samples, p.sample_rate, output_format) for p in pieces)
    samples, rate = decode(data, encoding="pcm_s16le", sample_rate=24000)
    result = recognizer.transcribe(samples, rate)
    assert result.text == text
    assert [w.word for w in result.words] == text.split()


def test_silence_around_own_speech_moves_the_word_times(recognizer, spoken):
    pad = np.zeros(spoken.sample_rate, np.float32)  # one second
    result = recognizer.transcribe(np.concatenate([pad, spoken.samples, pad]), spoken.sample_rate)
    assert result.text == TEXT
    starts = [w.start for w in result.words]
    assert starts == pytest.approx([w.start + 1.0 for w in spoken.words], abs=0.02)


def test_a_sentence_one_word_apart_is_not_mistaken_for_a_remembered_one(recognizer):
    remembered = "Please call me at five."
    recognizer.remember(synthesize(remembered, voice=VOICE), remembered)
    other = synthesize("Please call me at nine.", voice=VOICE)
    assert recognizer.transcribe(other.samples, other.sample_rate).text != remembered


def test_unremembered_speech_is_recognized_for_real_in_english(recognizer):
    french = find_voice("a249eaff-1e96-4d2c-b23b-12efa4f66f41")
    speech = synthesize("Bonjour tout le monde.", voice=french, language="fr")
    result = recognizer.transcribe(speech.samples, speech.sample_rate, language="fr")
    assert result.language == "en", "only the English model exists; the result says so"
    assert result.text != "Bonjour tout le monde."
    recognizer.remember(speech, "Bonjour tout le monde.", language="fr")
    again = recognizer.transcribe(speech.samples, speech.sample_rate, language="fr")
    assert (again.text, again.language) == ("Bonjour tout le monde.", "fr")


def test_empty_audio_has_an_empty_transcript(recognizer):
    result = recognizer.transcribe(np.zeros(0, np.float32), 16000)
    assert (result.text, result.words, result.duration) == ("", (), 0.0)


def feed_in_chunks(session, samples, rate, seconds=0.1):
    partials = []
    step = int(rate * seconds)
    for start in range(0, len(samples), step):
        partial = session.feed(samples[start : start + step])
        if partial is not None:
            partials.append(partial)
    return partials


def test_stream_of_own_speech_gives_growing_partials_then_the_exact_text(recognizer, spoken):
    raw = OutputFormat("raw", 16000, encoding="pcm_s16le")
    data = encode(spoken.samples, spoken.sample_rate, raw)
    samples, rate = decode(data, encoding="pcm_s16le", sample_rate=16000)
    session = recognizer.stream(rate)
    partials = feed_in_chunks(session, samples, rate)
    assert partials[-1] == TEXT
    assert len(set(partials)) == len(partials), "a partial is sent only when it changed"
    final = session.finalize()
    assert (final.text, final.words) == (TEXT, spoken.words)
    # the session goes on after finalize, with a fresh utterance
    feed_in_chunks(session, samples, rate)
    assert session.finalize().text == TEXT
    assert session.finalize().text == ""


@pytest.mark.slow
def test_stream_of_real_speech(recognizer, sonic_sample_wav):
    samples, rate = soundfile.read(sonic_sample_wav, dtype="float32")
    session = recognizer.stream(rate)
    partials = feed_in_chunks(session, samples, rate, seconds=0.25)
    final = session.finalize()
    assert partials and len(set(final.text.split()) & SAMPLE_WORDS) >= 5, final.text


def test_stream_rejects_a_bad_sample_rate(recognizer):
    with pytest.raises(ValueError, match="sample_rate must be a positive integer"):
        recognizer.stream(0)


@pytest.mark.slow
def test_decoders_are_reused_after_finalize_and_close(monkeypatch):
    loaded = []
    monkeypatch.setattr(
        recognizer_module, "Decoder", lambda **kw: loaded.append(1) or PocketsphinxDecoder(**kw)
    )
    recognizer = Recognizer(max_idle_decoders=1)
    speech = synthesize("One decoder is shared by all of us here.", voice=VOICE)
    for end_session in ("close", "finalize", "close"):
        session = recognizer.stream(speech.sample_rate)
        # unremembered speech past the first second: pocketsphinx holds a decoder
        feed_in_chunks(session, speech.samples[: int(1.6 * speech.sample_rate)], speech.sample_rate)
        getattr(session, end_session)()
    assert len(loaded) == 1


def test_concurrent_transcriptions(recognizer):
    texts = [f"Concurrent request number {n} speaks." for n in range(4)]
    speeches = [synthesize(t, voice=VOICE) for t in texts]
    for speech, text in zip(speeches, texts, strict=True):
        recognizer.remember(speech, text)
    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(lambda s: recognizer.transcribe(s.samples, s.sample_rate), speeches)
        )
    assert [r.text for r in results] == texts


def test_noise_gives_a_transcript_not_an_error(recognizer):
    noise_bytes = np.random.default_rng(99).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    samples, rate = decode(noise_bytes, encoding="pcm_f32le", sample_rate=16000)
    assert isinstance(recognizer.transcribe(samples, rate).text, str)
    session = recognizer.stream(rate)
    feed_in_chunks(session, samples, rate, seconds=0.01)
    assert session.finalize().duration == pytest.approx(len(samples) / rate, abs=1e-3)
