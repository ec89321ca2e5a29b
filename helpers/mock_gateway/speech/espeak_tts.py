"""Real, offline text-to-speech with eSpeak NG (through ctypes), with true word timings.

eSpeak NG keeps some waveform state from one call to the next, so speaking the same text twice
can differ by a few milliseconds; word texts and their order never change.
"""

from __future__ import annotations

import bisect
import ctypes
import re
import threading
from collections.abc import Iterator

import espeakng_loader
import numpy as np

from .languages import ESPEAK_LANGUAGES, SUPPORTED_LANGUAGES, base_language, normalize_language
from .timed_speech import Speech, WordTiming, join_speech, shift_words, spoken_word
from .voices import Voice

SPEED_RANGE = (0.6, 1.5)
VOLUME_RANGE = (0.5, 2.0)
SENTENCE_PAUSE = 0.25  # seconds of silence after each sentence at speed 1.0

# eSpeak NG C API constants (speak_lib.h).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAM_RATE = 1
_PARAM_PITCH = 3
_RATE_LIMITS = (80, 450)  # words per minute eSpeak NG accepts
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based character index in the text
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),  # sample index since the start of this synthesis
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class _Engine:
    """The process-wide eSpeak NG instance (its C state is global: use under _lock only)."""

    def __init__(self) -> None:
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        data_path = espeakng_loader.get_data_path().encode()
        self.sample_rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, _INITIALIZE_DONT_EXIT
        )
        if self.sample_rate <= 0:
            raise RuntimeError(f"eSpeak NG failed to initialise (data at {data_path.decode()})")
        self._lib = lib
        self._chunks: list[np.ndarray] = []
        self._word_events: list[tuple[int, int]] = []  # (0-based char index, sample index)
        self._callback = _Callback(self._collect)  # kept referenced for the C side
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, count: int, events) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            if events[i].type == _EVENT_WORD:
                self._word_events.append((events[i].text_position - 1, events[i].sample))
            i += 1
        return 0

    def synth(self, text: str, voice_name: str, rate: int, pitch: int):
        """Speak text: int16 samples and the word events (char index, sample index)."""
        if self._lib.espeak_SetVoiceByName(voice_name.encode()) != 0:
            raise ValueError(f"eSpeak NG has no voice {voice_name!r}")
        self._lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
        self._lib.espeak_SetParameter(_PARAM_PITCH, pitch, 0)
        self._chunks, self._word_events = [], []
        data = text.encode("utf-8")
        status = self._lib.espeak_Synth(
            data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != 0:
            raise RuntimeError(f"eSpeak NG synthesis failed with status {status}")
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return samples, self._word_events


_lock = threading.Lock()
_engine: _Engine | None = None


def _get_engine() -> _Engine:
    """The engine, initialised on first use; call with _lock held."""
    global _engine
    if _engine is None:
        _engine = _Engine()
    return _engine


def _espeak_voice(voice: Voice, language: str) -> str:
    code, base = normalize_language(language), base_language(language)
    if base not in SUPPORTED_LANGUAGES:
        allowed = ", ".join(sorted(SUPPORTED_LANGUAGES))
        raise ValueError(f"language {language!r} is not supported; use one of: {allowed}")
    if code == voice.language or (base == voice.language and code == base):
        name = voice.espeak_voice  # the voice's own accent, e.g. British English
    else:
        name = ESPEAK_LANGUAGES.get(code, ESPEAK_LANGUAGES[base])
    return f"{name}+{voice.variant}"


def split_sentences(text: str) -> list[str]:
    """Sentences of text (split after . ! ? and on blank lines), stripped, none empty."""
    parts = re.split(r"(?<=[.!?…。！？])\s+|\n\s*\n", text)
    return [part.strip() for part in parts if part and part.strip()]


def check_options(speed: float, volume: float) -> None:
    """ValueError (one line) unless speed and volume are within what the engines accept."""
    _check_range("speed", speed, SPEED_RANGE)
    _check_range("volume", volume, VOLUME_RANGE)


def _check_range(name: str, value: float, bounds: tuple[float, float]) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} must be between {bounds[0]} and {bounds[1]}, got {value}")


def _speak(
    sentence: str, espeak_voice: str, voice: Voice, speed: float, volume: float, offset: float
) -> Speech:
    rate = int(np.clip(round(voice.rate * speed), *_RATE_LIMITS))
    with _lock:
        engine = _get_engine()
        pcm, events = engine.synth(sentence, espeak_voice, rate, voice.pitch)
        sample_rate = engine.sample_rate
    samples = np.clip(pcm.astype(np.float32) * (volume / 32768.0), -1.0, 1.0)
    pause = np.zeros(int(sample_rate * SENTENCE_PAUSE / speed), np.float32)
    samples = np.concatenate([samples, pause])
    words = _word_timings(sentence, events, pcm, sample_rate)
    return Speech(samples, sample_rate, shift_words(words, offset))


def _word_timings(text: str, events, pcm: np.ndarray, sample_rate: int) -> tuple[WordTiming, ...]:
    """Time span of each whitespace-separated word of text, from eSpeak's word events.

    A word starts at its word event; it ends where the next word starts, less any pause
    (50 ms or more of silence) before it. Words eSpeak merged into the previous word's event
    share that span in proportion to their length.
    """
    tokens = [m for m in re.finditer(r"\S+", text) if any(c.isalnum() for c in m.group())]
    if not tokens:
        return ()  # e.g. "..." or emoji: eSpeak may say something, but there is no word
    known: dict[int, int] = {}  # token index -> sample of its first word event
    spans = [token.start() for token in tokens]
    for position, sample in events:
        i = bisect.bisect_right(spans, position) - 1
        if i >= 0 and position < tokens[i].end():
            known[i] = min(known.get(i, sample), sample)
    anchors = sorted(known.items()) or [(0, 0)]
    if anchors[0][0] != 0:
        anchors.insert(0, (0, 0))
    starts = np.interp(
        [t.start() for t in tokens],
        [tokens[i].start() for i, _ in anchors] + [len(text)],
        [s for _, s in anchors] + [_speech_end(pcm, sample_rate)],
    )
    starts = np.maximum.accumulate(starts).astype(int)
    timings = []
    for i, token in enumerate(tokens):
        start = int(starts[i])
        if i + 1 < len(tokens):
            end = _pause_start(pcm, sample_rate, start, int(starts[i + 1]))
        else:
            end = max(start, _speech_end(pcm, sample_rate))
        word = spoken_word(token.group())
        timings.append(WordTiming(word, start / sample_rate, end / sample_rate))
    return tuple(timings)


_FRAME = 0.01  # seconds
_MIN_PAUSE_FRAMES = 5


def _loud_frames(pcm: np.ndarray, frame: int) -> np.ndarray:
    """For each frame, whether it holds sound (louder than eSpeak's near-zero silence)."""
    count = -(-len(pcm) // frame)
    padded = np.zeros(count * frame, np.float32)
    padded[: len(pcm)] = np.abs(pcm.astype(np.float32))
    return padded.reshape(count, frame).max(axis=1) > 300.0  # about -40 dBFS


def _speech_end(pcm: np.ndarray, sample_rate: int) -> int:
    frame = int(sample_rate * _FRAME)
    loud = np.flatnonzero(_loud_frames(pcm, frame))
    return int(min(len(pcm), (loud[-1] + 1) * frame)) if len(loud) else 0


def _pause_start(pcm: np.ndarray, sample_rate: int, start: int, end: int) -> int:
    """Where the last pause between start and (a little past) end begins, else end."""
    frame = int(sample_rate * _FRAME)
    first, last = start // frame + 1, min(end // frame + 3, -(-len(pcm) // frame))
    loud = _loud_frames(pcm[first * frame : last * frame], frame)
    quiet_run = 0
    for index in range(len(loud) - 1, -1, -1):
        quiet_run = 0 if loud[index] else quiet_run + 1
        if quiet_run >= _MIN_PAUSE_FRAMES and (index == 0 or loud[index - 1]):
            return max(start, min(end, (first + index) * frame))
    return end


def synthesize_stream(
    text: str, *, voice: Voice, language: str = "en", speed: float = 1.0, volume: float = 1.0
) -> Iterator[Speech]:
    """Speak text one sentence at a time; word times run on across the whole text.

    Bad options raise ValueError here, before any sentence is spoken.
    """
    check_options(speed, volume)
    espeak_voice = _espeak_voice(voice, language)
    text = _CONTROL_CHARACTERS.sub(" ", text)  # a NUL would end eSpeak's text early
    return _sentences(split_sentences(text), espeak_voice, voice, speed, volume)


def _sentences(
    sentences: list[str], espeak_voice: str, voice: Voice, speed: float, volume: float
) -> Iterator[Speech]:
    offset = 0.0
    for sentence in sentences:
        speech = _speak(sentence, espeak_voice, voice, speed, volume, offset)
        offset += speech.duration
        yield speech


def synthesize(
    text: str, *, voice: Voice, language: str = "en", speed: float = 1.0, volume: float = 1.0
) -> Speech:
    """Speak text with voice: real speech, the pieces of synthesize_stream joined."""
    pieces = list(
        synthesize_stream(text, voice=voice, language=language, speed=speed, volume=volume)
    )
    return join_speech(pieces, native_sample_rate())


def native_sample_rate() -> int:
    """The rate eSpeak NG speaks at (22050 Hz)."""
    with _lock:
        return _get_engine().sample_rate
