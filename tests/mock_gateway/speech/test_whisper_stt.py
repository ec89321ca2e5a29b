"""Whisper recognizes speech it never heard before, with word times from the recognizer."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from helpers.mock_gateway.speech.espeak_tts import synthesize
from helpers.mock_gateway.speech.piper_tts import Character
from helpers.mock_gateway.speech.voices import find_voice
from helpers.mock_gateway.speech.whisper_stt import RATE, to_rate

# Sentences used nowhere else in the project: the recognizer has no way to know them.
UNSEEN = [
    "The baker opened his shop early on a cold winter morning.",
    "Our neighbors planted tall sunflowers along the garden wall.",
    "A gentle breeze carried the smell of fresh rain across the field.",
    "She folded the letter carefully and placed it in a drawer.",
    "The old bridge creaked as the heavy truck rolled over it.",
    "We watched the stars appear one by one above the quiet lake.",
    "His grandmother told stories about sailing ships and distant ports.",
    "The library will close early because of the holiday weekend.",
]


@pytest.mark.slow
def test_unseen_speech_with_noise_is_recognized_within_ten_percent_wer(
    piper, whisper, noisy, word_error_rate
):
    characters = [Character(), Character(pitch=1.25, pace=0.95), Character(pitch=0.9, pace=1.1)]
    heard = []
    for i, text in enumerate(UNSEEN):
        sentence = piper.speak(text, characters[i % len(characters)])
        audio = noisy(sentence.samples, 30.0)  # light noise: a quiet room's hiss
        heard.append(whisper.transcribe(audio, sentence.sample_rate, "en").text)
    assert word_error_rate(UNSEEN, heard) <= 0.10, heard


@pytest.mark.slow  # seconds of real speech work: not in test-fast
def test_word_times_come_from_the_recognizer_and_follow_the_speech(piper, whisper):
    sentence = piper.speak("Seven swans swam slowly past the boathouse.", offset=0.0)
    lead = np.zeros(int(1.0 * sentence.sample_rate), np.float32)  # a second before speech
    result = whisper.transcribe(np.concatenate([lead, sentence.samples]), sentence.sample_rate)
    assert result.words and result.text == " ".join(w.word for w in result.words)
    assert result.words[0].start >= 0.5  # it knows nobody spoke during (most of) the first second
    assert all(w.start <= w.end for w in result.words)
    assert all(
        a.end <= b.start + 0.01 for a, b in zip(result.words, result.words[1:], strict=False)
    )
    assert result.words[-1].end <= result.duration
    assert result.duration == pytest.approx(1.0 + sentence.duration, abs=0.01)


def test_one_core_or_every_core_hears_the_same_words(piper, whisper):
    sentence = piper.speak("The harbour lights were glowing through the evening fog.")
    samples = to_rate(sentence.samples, sentence.sample_rate)
    english = whisper.model_for("en")
    heard = []
    for model in (english.one_core, english.every_core):
        segments, _ = model.transcribe(samples, language="en", beam_size=1, word_timestamps=True)
        heard.append([(w.word, w.start, w.end) for s in segments for w in s.words or ()])
    assert heard[0] and heard[0] == heard[1]


def test_silence_and_noise_give_no_words(whisper):
    silence = np.zeros(2 * RATE, np.float32)
    hiss = np.random.default_rng(3).normal(0, 0.02, 2 * RATE).astype(np.float32)
    assert whisper.transcribe(silence, RATE).words == ()
    assert whisper.transcribe(hiss, RATE).words == ()
    assert whisper.transcribe(np.zeros(0, np.float32), RATE).text == ""


def test_real_sonic_speech_is_recognized_word_for_word(whisper, sonic_sample_wav):
    samples, rate = soundfile.read(sonic_sample_wav, dtype="float32")
    result = whisper.transcribe(samples, rate, "en")
    assert result.text == "Magnetic resonance imaging MRI is clinically relevant."


@pytest.mark.slow
def test_other_languages_go_to_the_multilingual_model(whisper):
    voice = find_voice("a249eaff-1e96-4d2c-b23b-12efa4f66f41")  # French Conversational Lady
    said = "Bonjour, je voudrais un café, s'il vous plaît."  # eSpeak's French: robotic, varied
    speech = synthesize(said, voice=voice, language="fr")
    result = whisper.transcribe(speech.samples, speech.sample_rate, "fr")
    assert whisper.model_for("fr") is not whisper.model_for("en")
    assert result.language == "fr"
    assert "bonjour" in result.text.lower(), result.text


def test_a_language_whisper_lacks_is_one_clear_line(whisper):
    with pytest.raises(ValueError, match="cannot be recognized") as caught:
        whisper.transcribe(np.zeros(RATE, np.float32), RATE, "xx")
    assert "\n" not in str(caught.value)
