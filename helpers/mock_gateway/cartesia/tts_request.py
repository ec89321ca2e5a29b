"""Check TTS request bodies against the cartesia SDK's request types.

Every failure is a Cartesia-style 400 whose message names the field and the accepted values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...audio_formats import CONTAINERS, OutputFormat, parse_output_format
from .. import undocumented as guess
from ..speech.espeak_tts import SPEED_RANGE, VOLUME_RANGE
from ..speech.languages import SUPPORTED_LANGUAGES, base_language
from .errors import CartesiaError, invalid_request


@dataclass(frozen=True)
class TTSRequest:
    """A valid TTS request, reduced to what the speech engine needs."""

    model_id: str
    transcript: str
    voice_id: str
    output_format: OutputFormat
    language: str | None
    speed: float
    volume: float
    add_timestamps: bool
    add_phoneme_timestamps: bool
    context_id: str | None
    continue_: bool
    flush: bool
    save: bool
    max_buffer_delay_ms: int | None


def _fail(message: str) -> CartesiaError:
    return invalid_request(message, doc_url=guess.TTS_DOC_URL)


def _typed(body: dict[str, Any], key: str, kinds: tuple[type, ...], label: str) -> Any:
    """body[key] if present and of the right JSON type (None counts as absent)."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) and bool not in kinds:
        raise _fail(f"'{key}' must be {label}, got a boolean")
    if not isinstance(value, kinds):
        raise _fail(f"'{key}' must be {label}, got {type(value).__name__}")
    return value


def _required(body: dict[str, Any], key: str, kinds: tuple[type, ...], label: str) -> Any:
    value = _typed(body, key, kinds, label)
    if value is None:
        raise _fail(f"'{key}' is required ({label})")
    return value


def _choice(value: Any, field: str, allowed: tuple[Any, ...]) -> Any:
    if isinstance(value, bool) or value not in allowed:
        shown = ", ".join(str(a) for a in allowed)
        raise _fail(f"'{field}' must be one of {shown}; got {value!r}")
    return value


def output_format(value: Any, *, containers: tuple[str, ...]) -> OutputFormat:
    """Validate output_format: raw/wav need encoding, mp3 needs bit_rate; all need sample_rate."""
    try:
        return parse_output_format(value, containers=containers)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def voice_id(value: Any) -> str:
    """A voice as an id string or {"id": ...} (SDK 4), or {"mode": "id", "id": ...} (older)."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict):
        mode = value.get("mode", "id")
        if mode != "id":
            raise _fail(f"'voice.mode' must be 'id' (embeddings are not accepted); got {mode!r}")
        ident = value.get("id")
        if isinstance(ident, str) and ident:
            return ident
        raise _fail("'voice.id' is required (a voice id string)")
    raise _fail('\'voice\' is required: a voice id string or {"id": "..."}')


def language(body: dict[str, Any]) -> str | None:
    """The language code from `language` or `locale` (never both), checked to be speakable."""
    lang = _typed(body, "language", (str,), "a language code such as 'en'")
    locale = _typed(body, "locale", (str,), "a locale such as 'en' or 'en-GB'")
    if lang is not None and locale is not None:
        raise _fail("set 'language' or 'locale', never both")
    chosen = lang if lang is not None else locale
    if chosen is None:
        return None
    if base_language(chosen) not in SUPPORTED_LANGUAGES:
        raise CartesiaError(
            guess.INVALID_REQUEST_STATUS,
            guess.INVALID_REQUEST_TITLE,
            f"language {chosen!r} is not supported by the mock's speech engine; "
            f"use one of: {', '.join(sorted(SUPPORTED_LANGUAGES))}",
            error_code=guess.UNSUPPORTED_LANGUAGE_CODE,
            doc_url=guess.TTS_DOC_URL,
        )
    return chosen


def _ranged(config: dict[str, Any], key: str, bounds: tuple[float, float]) -> float | None:
    value = config.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(f"'generation_config.{key}' must be a number, got {type(value).__name__}")
    if not bounds[0] <= value <= bounds[1]:
        raise _fail(
            f"'generation_config.{key}' must be between {bounds[0]} and {bounds[1]}, got {value}"
        )
    return float(value)


def speed_and_volume(body: dict[str, Any]) -> tuple[float, float]:
    """Speed factor (generation_config.speed, else the speed enum) and volume factor."""
    config = _typed(body, "generation_config", (dict,), "an object (speed, volume, emotion)")
    config = config or {}
    _typed(config, "emotion", (str,), "a string")
    speed = _ranged(config, "speed", SPEED_RANGE)
    volume = _ranged(config, "volume", VOLUME_RANGE)
    enum = _typed(body, "speed", (str,), "one of slow, normal, fast")
    if enum is not None:
        _choice(enum, "speed", tuple(guess.SPEED_ENUM_FACTORS))
    if speed is None:
        speed = guess.SPEED_ENUM_FACTORS[enum or "normal"]
    return speed, 1.0 if volume is None else volume


def _transcript(body: dict[str, Any]) -> str:
    transcript = body.get("transcript")
    if not isinstance(transcript, str):
        raise _fail("'transcript' is required (a string)")
    if len(transcript) > guess.MAX_TRANSCRIPT_CHARS:
        raise CartesiaError(
            guess.INVALID_REQUEST_STATUS,
            "Transcript too long",
            f"'transcript' has {len(transcript)} characters; the limit is "
            f"{guess.MAX_TRANSCRIPT_CHARS}. Split the text into several requests.",
            error_code=guess.TRANSCRIPT_TOO_LONG_CODE,
            doc_url=guess.TTS_DOC_URL,
        )
    return transcript


def _buffer_delay(body: dict[str, Any]) -> int | None:
    delay = _typed(body, "max_buffer_delay_ms", (int,), "an integer number of milliseconds")
    if delay is not None and not 0 <= delay <= 5000:
        raise _fail(f"'max_buffer_delay_ms' must be between 0 and 5000, got {delay}")
    return delay


def _check_other_fields(body: dict[str, Any]) -> None:
    """Fields the mock does not act on, checked for their JSON type all the same."""
    for flag in ("add_timestamps", "add_phoneme_timestamps", "use_normalized_timestamps", "save"):
        _typed(body, flag, (bool,), "true or false")
    for text_field in ("context_id", "pronunciation_dict_id", "normalization"):
        _typed(body, text_field, (str,), "a string")


def tts_request(body: dict[str, Any], *, containers: tuple[str, ...] = CONTAINERS) -> TTSRequest:
    """Validate a /tts/bytes, /tts/sse or WebSocket generation request."""
    model = _required(body, "model_id", (str,), "a model id string")
    transcript = _transcript(body)
    if "voice" not in body:
        raise _fail('\'voice\' is required: a voice id string or {"id": "..."}')
    voice = voice_id(body["voice"])
    fmt = output_format(body.get("output_format"), containers=containers)
    lang = language(body)
    speed, volume = speed_and_volume(body)
    _check_other_fields(body)
    delay = _buffer_delay(body)
    continue_ = _typed(body, "continue", (bool,), "true or false")
    flush = _typed(body, "flush", (bool,), "true or false")
    return TTSRequest(
        model_id=model,
        transcript=transcript,
        voice_id=voice,
        output_format=fmt,
        language=lang,
        speed=speed,
        volume=volume,
        add_timestamps=bool(body.get("add_timestamps")),
        add_phoneme_timestamps=bool(body.get("add_phoneme_timestamps")),
        context_id=body.get("context_id"),
        continue_=bool(continue_),
        flush=bool(flush),
        save=bool(body.get("save")),
        max_buffer_delay_ms=delay,
    )
