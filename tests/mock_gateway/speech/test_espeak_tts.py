"""The mock's offline TTS engine: voices, real eSpeak NG speech, speed, volume, word times."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from helpers.mock_gateway import undocumented
from helpers.mock_gateway.speech import espeak_tts as speech
from helpers.mock_gateway.speech.espeak_tts import split_sentences, synthesize, synthesize_stream
from helpers.mock_gateway.speech.voices import CATALOG, find_voice

SEED_VOICE = "a0e99841-438c-4a64-b679-ae501e7d6091"
SDK_CLOSING_VOICE = "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"
SENTENCE = "The quick brown fox jumps over the lazy dog."  # nine words


@pytest.fixture(scope="module")
def voice():
    return find_voice(SEED_VOICE)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples))))


def test_catalog_has_distinct_voices_including_the_seed_and_sdk_ids():
    ids = [v.id for v in CATALOG]
    assert 6 <= len(CATALOG) <= 10
    assert len(set(ids)) == len(ids)
    assert find_voice(SEED_VOICE).language == "en"
    assert find_voice(SDK_CLOSING_VOICE) is not None
    assert find_voice(SEED_VOICE.upper()) == find_voice(SEED_VOICE)
    assert find_voice("00000000-0000-0000-0000-000000000000") is None
    assert {v.language for v in CATALOG} - {"en"}, "at least one non-English voice"
    sounds = {(v.espeak_voice, v.variant, v.pitch, v.rate) for v in CATALOG}
    assert len(sounds) == len(CATALOG), "each voice sounds different"


@pytest.mark.parametrize("entry", CATALOG, ids=lambda v: v.name)
def test_every_voice_speaks_its_language(entry):
    result = synthesize("Un, deux, trois. One, two, three.", voice=entry, language=entry.language)
    assert result.sample_rate == 22050
    assert result.samples.dtype == np.float32
    assert 1.0 < result.duration < 6.0
    assert rms(result.samples) > 0.02


def test_duration_grows_with_text_at_a_speaking_pace(voice):
    one = synthesize(SENTENCE, voice=voice)
    three = synthesize(" ".join([SENTENCE] * 3), voice=voice)
    assert 9 / 5.0 < one.duration < 9 / 1.5  # between 1.5 and 5 words per second
    assert 2.7 * one.duration < three.duration < 3.3 * one.duration


def test_speed_changes_duration_audibly(voice):
    durations = {s: synthesize(SENTENCE, voice=voice, speed=s).duration for s in (0.6, 1.0, 1.5)}
    assert durations[1.5] < 0.8 * durations[1.0]
    assert durations[0.6] > 1.3 * durations[1.0]


def test_volume_scales_amplitude_and_never_clips_past_full_scale(voice):
    levels = {v: synthesize(SENTENCE, voice=voice, volume=v).samples for v in (0.5, 1.0, 2.0)}
    assert rms(levels[1.0]) / rms(levels[0.5]) == pytest.approx(2.0, rel=0.02)
    assert rms(levels[2.0]) > 1.5 * rms(levels[1.0])
    assert np.abs(levels[2.0]).max() <= 1.0


@pytest.mark.parametrize(
    ("option", "value"), [("speed", 0.5), ("speed", 1.6), ("volume", 0.4), ("volume", 2.1)]
)
def test_out_of_range_speed_or_volume_is_refused_with_the_range(voice, option, value):
    with pytest.raises(ValueError, match=rf"{option} must be between"):
        synthesize(SENTENCE, voice=voice, **{option: value})
    with pytest.raises(ValueError, match=rf"{option} must be between"):
        synthesize_stream(SENTENCE, voice=voice, **{option: value})  # at once, not lazily


def test_word_times_are_the_transcript_words_in_order_inside_the_audio(voice):
    text = "Hello, world! This is a test of the mock gateway."
    result = synthesize(text, voice=voice)
    assert [w.word for w in result.words] == text.split()
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for word, after in zip(result.words, result.words[1:], strict=False):
        assert word.start < word.end <= after.start
    assert result.words[-1].start < result.words[-1].end <= result.duration


def test_word_times_are_true_the_sound_is_inside_the_words(voice):
    result = synthesize("One. Two, three. Four!", voice=voice)
    rate = result.sample_rate
    inside = np.zeros(len(result.samples), bool)
    for word in result.words:
        inside[int(word.start * rate) : int(word.end * rate)] = True
    energy = np.square(result.samples)
    assert energy[inside].sum() > 0.97 * energy.sum()
    # the pauses after sentences belong to no word
    assert result.words[1].start - result.words[0].end > 0.2


def test_stream_yields_one_piece_per_sentence_lazily(voice, monkeypatch):
    calls = []
    original = speech._speak
    monkeypatch.setattr(speech, "_speak", lambda *a: calls.append(a) or original(*a))
    text = "First sentence here. Second one follows! Is there a third? Yes."
    pieces = synthesize_stream(text, voice=voice)
    first = next(pieces)
    assert len(calls) == 1, "the first piece comes before later sentences are synthesized"
    rest = list(pieces)
    assert len(rest) == 3
    assert [w.word for w in first.words] == ["First", "sentence", "here."]


def test_stream_word_times_run_on_across_pieces(voice):
    text = "First sentence here. Second one follows! Is there a third?"
    pieces = list(synthesize_stream(text, voice=voice))
    whole = synthesize(text, voice=voice)
    assert [w.word for p in pieces for w in p.words] == [w.word for w in whole.words]
    # eSpeak NG keeps a pitch-flutter phase across calls: durations agree to a few milliseconds
    assert sum(p.duration for p in pieces) == pytest.approx(whole.duration, abs=0.05)
    offset = 0.0  # word times are rounded to the millisecond
    for piece in pieces:
        end = offset + piece.duration
        assert all(offset - 5e-4 <= w.start < w.end <= end + 5e-4 for w in piece.words)
        offset = end


def test_split_sentences():
    assert split_sentences("Hi there. How are you?  Fine!") == [
        "Hi there.",
        "How are you?",
        "Fine!",
    ]
    assert split_sentences("No end mark") == ["No end mark"]
    assert split_sentences("Para one\n\nPara two.") == ["Para one", "Para two."]
    assert split_sentences("  ") == []


def test_empty_text_is_silence_without_words(voice):
    result = synthesize("", voice=voice)
    assert result.duration == 0 and result.words == ()


def test_language_picks_the_pronunciation(voice):
    french = find_voice("a249eaff-1e96-4d2c-b23b-12efa4f66f41")
    as_french = synthesize("Bonjour tout le monde.", voice=french, language="fr")
    as_english = synthesize("Bonjour tout le monde.", voice=french, language="en")
    assert as_french.duration != as_english.duration
    assert synthesize("Colour.", voice=voice, language="en-GB").duration > 0
    with pytest.raises(ValueError, match="not supported; use one of"):
        synthesize("Kumusta", voice=voice, language="tl")


def test_concurrent_synthesis_is_safe(voice):
    texts = [f"Request number {n} is being spoken now." for n in range(6)]
    expected = [synthesize(t, voice=voice) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda t: synthesize(t, voice=voice), texts))
    for got, want in zip(results, expected, strict=True):
        assert [w.word for w in got.words] == [w.word for w in want.words]
        assert got.duration == pytest.approx(want.duration, abs=0.05)
        assert rms(got.samples) == pytest.approx(rms(want.samples), rel=0.05)


def test_timestamp_words_follow_the_punctuation_choice(voice, monkeypatch):
    monkeypatch.setattr(undocumented, "TIMESTAMP_WORDS_KEEP_PUNCTUATION", False)
    words = synthesize("Hello, world! It's (almost) done.", voice=voice).words
    assert [w.word for w in words] == ["Hello", "world", "It's", "almost", "done"]


@pytest.mark.parametrize("text", ["...", "🙂🙂🙂", "\x00\x01", "- -", ":"])
def test_text_without_words_is_spoken_without_word_times(voice, text):
    result = synthesize(text, voice=voice)
    assert result.words == ()
    assert result.duration < 3.0


def test_control_characters_do_not_cut_the_text_short(voice):
    result = synthesize("Hello.\x00 World\x07 again.", voice=voice)
    assert [w.word for w in result.words] == ["Hello.", "World", "again."]
    assert result.words[-1].end > result.words[0].end + 0.3
