"""Piper speaks English with word and phoneme times that line up with its audio."""

from __future__ import annotations

import numpy as np
import pytest
from piper import PiperVoice, SynthesisConfig

from helpers.mock_gateway.speech import model_files
from helpers.mock_gateway.speech.piper_tts import (
    MAX_WORDS_UNSPLIT,
    OUTPUT_GAIN,
    SENTENCE_PAUSE,
    VOICE_CHARACTERS,
    Character,
    split_for_speech,
)

TEXTS = [
    "The lighthouse keeper painted the railings green.",
    "Dr. Okafor paid $12.50 for 3 tickets, e.g. the matinee.",
    "Wait... what?! Café au lait — très bien.",
    "I'm sure it's fine; isn't it?",
]


@pytest.mark.parametrize("text", TEXTS)
def test_phoneme_times_are_monotonic_and_inside_the_audio(piper, text):
    sentence = piper.speak(text, offset=2.0)
    starts = [p.start for p in sentence.phonemes]
    ends = [p.end for p in sentence.phonemes]
    assert sentence.phonemes, "no phonemes"
    assert all(s < e for s, e in zip(starts, ends, strict=True))
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False)), "phonemes overlap"
    assert starts[0] >= 2.0 and ends[-1] <= 2.0 + sentence.duration


@pytest.mark.parametrize("text", TEXTS)
def test_every_word_is_timed_in_order_and_holds_its_phonemes(piper, text):
    sentence = piper.speak(text)
    spoken = [w for w in text.split() if any(c.isalnum() for c in w)]
    assert [w.word for w in sentence.words] == spoken
    for word, following in zip(sentence.words, sentence.words[1:], strict=False):
        assert word.start < word.end <= following.start
    inside = [
        p
        for p in sentence.phonemes
        if any(w.start <= p.start < p.end <= w.end for w in sentence.words)
    ]
    assert inside == list(sentence.phonemes)


def test_phonemes_are_whole_sounds_as_cartesia_lists_them(piper):
    phonemes = [p.phoneme for p in piper.speak("Go home, boy.").phonemes]
    assert "oʊ" in phonemes and "ɔɪ" in phonemes  # diphthongs are one phoneme
    assert not any(mark in "".join(phonemes) for mark in "ˈˌ,.")  # no stress marks, no pauses


def test_the_audio_is_speech_at_the_voice_rate(piper):
    sentence = piper.speak("A quiet morning by the river.")
    assert sentence.sample_rate == 22050
    assert sentence.samples.dtype == np.float32 and np.abs(sentence.samples).max() <= 1.0
    assert 1.0 < sentence.duration < 4.0
    assert np.sqrt(np.mean(sentence.samples**2)) > 0.05  # not silence


def _median_pitch(samples: np.ndarray, rate: int) -> float:
    """Median fundamental frequency (Hz) of the voiced 40 ms frames, by autocorrelation."""
    frame, lags = int(0.04 * rate), (rate // 400, rate // 60)
    pitches = []
    for start in range(0, len(samples) - frame, frame // 2):
        x = samples[start : start + frame] - samples[start : start + frame].mean()
        if np.sqrt(np.mean(x**2)) < 0.05:
            continue
        ac = np.correlate(x, x, "full")[frame - 1 :]
        lag = lags[0] + int(np.argmax(ac[lags[0] : lags[1]]))
        if ac[lag] > 0.5 * ac[0]:
            pitches.append(rate / lag)
    return float(np.median(pitches))


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_each_english_voice_has_its_own_pitch_or_pace(piper):
    text = "Every voice reads the same short line."
    heard = {}
    for voice_id, character in VOICE_CHARACTERS.items():
        sentence = piper.speak(text, character)
        heard[voice_id] = (_median_pitch(sentence.samples, sentence.sample_rate), sentence.duration)
    low = piper.speak(text, Character(pitch=0.9))
    high = piper.speak(text, Character(pitch=1.3))
    assert _median_pitch(high.samples, 22050) > 1.25 * _median_pitch(low.samples, 22050)
    ids = list(heard)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            (pitch_a, length_a), (pitch_b, length_b) = heard[a], heard[b]
            assert abs(pitch_a / pitch_b - 1) > 0.05 or abs(length_a / length_b - 1) > 0.05, (a, b)


def test_speed_and_volume(piper):
    normal = piper.speak("Speed changes how long this takes.")
    fast = piper.speak("Speed changes how long this takes.", speed=1.5)
    quiet = piper.speak("Speed changes how long this takes.", volume=0.5)
    assert fast.duration < 0.8 * normal.duration
    ratio = np.abs(quiet.samples).max() / np.abs(normal.samples).max()
    assert ratio == pytest.approx(0.5, abs=0.01)


def test_the_parts_are_pipers_own_audio_with_a_short_first_part(piper):
    text = "The quick brown fox jumps over the lazy dog."
    parts = list(piper.speak_parts(text))
    assert len(parts) == 2 and parts[0].duration < 0.4  # heard after a short decode
    reference = PiperVoice.load(
        str(model_files.PIPER_MODEL.path()), config_path=str(model_files.PIPER_CONFIG.path())
    )
    plain = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False)
    whole = np.concatenate([c.audio_float_array for c in reference.synthesize(text, plain)])
    mine = np.concatenate([p.samples for p in parts]) / OUTPUT_GAIN
    assert len(mine) == len(whole) + int(piper.sample_rate * SENTENCE_PAUSE)
    assert np.abs(mine[: len(whole)] - whole).max() < 1e-4


@pytest.mark.parametrize("pitch", [1.0, 1.2])
def test_each_part_carries_the_words_and_phonemes_that_end_in_it(piper, pitch):
    text = "Seven swans swam slowly past the old wooden boathouse."
    parts = list(piper.speak_parts(text, Character(pitch=pitch), offset=1.0))
    end = 1.0
    for part in parts:
        end += part.duration
        assert all(w.end <= end for w in part.words) and all(p.end <= end for p in part.phonemes)
    whole = piper.speak(text, Character(pitch=pitch), offset=1.0)
    assert tuple(w for p in parts for w in p.words) == whole.words
    assert tuple(x for p in parts for x in p.phonemes) == whole.phonemes
    assert len(parts) == 2 and parts[0].phonemes


def test_long_sentences_are_spoken_clause_by_clause():
    long = (
        "When the request reaches the gateway, it checks your key, finds the model you "
        "registered, and forwards the audio to the provider, which answers in real time."
    )
    pieces = split_for_speech(long)
    assert len(pieces) > 1 and " ".join(pieces) == long
    assert all(len(p.split()) <= MAX_WORDS_UNSPLIT for p in pieces)
    assert split_for_speech("A short one, with a comma.") == ["A short one, with a comma."]


@pytest.mark.parametrize("text", ["...", "🙂 🙂", "-", "  "])
def test_text_without_words_gives_no_words(piper, text):
    assert piper.speak(text).words == ()
