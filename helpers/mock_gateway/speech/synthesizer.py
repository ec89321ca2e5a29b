"""Text to speech for the routes: Piper for English, eSpeak NG for every other language.

Both speak at 22,050 Hz, sentence by sentence (Piper each sentence in parts), with word times
that run on across the text; Piper also times every phoneme.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from . import espeak_tts, piper_tts
from .languages import base_language
from .timed_speech import Speech, WordTiming, join_speech, spoken_word
from .voices import Voice

NEURAL_LANGUAGES = frozenset({"en"})  # what the bundled Piper voice speaks
LEAD_SILENCE = 0.2  # seconds before the first word: listeners miss words that start at once
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def native_sample_rate() -> int:
    """The rate both engines speak at."""
    return espeak_tts.native_sample_rate()


def synthesize_stream(
    text: str,
    *,
    voice: Voice,
    language: str = "en",
    speed: float = 1.0,
    volume: float = 1.0,
    lead: bool = True,
) -> Iterator[Speech]:
    """Speak text one sentence (or clause) at a time; lead: begin with LEAD_SILENCE (neural
    speech only). Bad options raise ValueError here, before any sentence is spoken."""
    if base_language(language) not in NEURAL_LANGUAGES:
        return espeak_tts.synthesize_stream(
            text, voice=voice, language=language, speed=speed, volume=volume
        )
    espeak_tts.check_options(speed, volume)
    character = piper_tts.VOICE_CHARACTERS.get(voice.id, piper_tts.Character())
    text = _CONTROL_CHARACTERS.sub(" ", text)
    return _piper_pieces(text, character, speed, volume, LEAD_SILENCE if lead else 0.0)


def _piper_pieces(
    text: str, character: piper_tts.Character, speed: float, volume: float, lead: float
) -> Iterator[Speech]:
    engine = piper_tts.ENGINE.get()
    offset = 0.0
    for sentence in espeak_tts.split_sentences(text):
        for piece in piper_tts.split_for_speech(sentence):
            start = offset + lead
            parts = engine.speak_parts(piece, character, speed=speed, volume=volume, offset=start)
            for part in parts:
                silence = np.zeros(int(lead * engine.sample_rate), np.float32)
                samples = np.concatenate([silence, part.samples])
                offset, lead = offset + len(samples) / engine.sample_rate, 0.0
                words = tuple(WordTiming(spoken_word(w.word), w.start, w.end) for w in part.words)
                yield Speech(samples, engine.sample_rate, words, part.phonemes)


def synthesize(
    text: str, *, voice: Voice, language: str = "en", speed: float = 1.0, volume: float = 1.0
) -> Speech:
    """Speak text with voice: the pieces of synthesize_stream joined."""
    pieces = list(
        synthesize_stream(text, voice=voice, language=language, speed=speed, volume=volume)
    )
    return join_speech(pieces, native_sample_rate())
