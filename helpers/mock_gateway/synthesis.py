"""What the TTS routes share: voice lookup, engine options and Cartesia's stream events."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from . import undocumented as guess
from .audio_encoding import SAMPLE_WIDTHS
from .errors import CartesiaError
from .speech.espeak_tts import Speech
from .validation import TTSRequest
from .voices import Voice, find_voice

TTS_MODEL_TYPE = "text_to_speech"


def resolve_voice(voice_id: str) -> Voice:
    """The catalog voice for an id; Cartesia-style 404 voice_not_found otherwise."""
    voice = find_voice(voice_id)
    if voice is None:
        raise CartesiaError(
            guess.VOICE_NOT_FOUND_STATUS,
            guess.VOICE_NOT_FOUND_TITLE,
            f"No voice with id '{voice_id}'. Use a voice id from the mock's catalog, "
            "e.g. a0e99841-438c-4a64-b679-ae501e7d6091.",
            error_code=guess.VOICE_NOT_FOUND_CODE,
            doc_url=guess.TTS_DOC_URL,
        )
    return voice


def _requested_language(req: TTSRequest, voice: Voice) -> str:
    if req.language is not None:
        return req.language
    return guess.DEFAULT_LANGUAGE if guess.DEFAULT_LANGUAGE is not None else voice.language


def speech_options(req: TTSRequest, voice: Voice) -> dict[str, Any]:
    """Keyword arguments for speech.synthesize / synthesize_stream."""
    language = _requested_language(req, voice)
    return {"voice": voice, "language": language, "speed": req.speed, "volume": req.volume}


def spoken_language(req: TTSRequest, voice: Voice) -> str:
    """The language code the speech is in (`en-GB` -> `en`)."""
    return _requested_language(req, voice).strip().lower().replace("_", "-").split("-")[0]


def byte_chunks(audio: bytes, output_format: dict[str, Any]) -> list[bytes]:
    """Raw PCM of a sentence cut at sample boundaries into chunks of STREAM_CHUNK_SECONDS."""
    width = SAMPLE_WIDTHS[output_format["encoding"]]
    step = width * max(1, int(output_format["sample_rate"] * guess.STREAM_CHUNK_SECONDS))
    return [audio[i : i + step] for i in range(0, len(audio), step)] or [audio]


def join_speech(pieces: list[Speech]) -> Speech:
    """One Speech from consecutive pieces (word times already run on)."""
    samples = np.concatenate([p.samples for p in pieces]) if pieces else np.zeros(0, np.float32)
    rate = pieces[0].sample_rate if pieces else 22050
    return Speech(samples, rate, tuple(w for p in pieces for w in p.words))


def chunk_event(audio: bytes, step_ms: float, context_id: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "chunk",
        "data": base64.b64encode(audio).decode("ascii"),
        "done": False,
        "status_code": guess.STREAM_STATUS_CODE,
        "step_time": round(step_ms, 3),
    }
    if context_id is not None:
        event["context_id"] = context_id
    return event


def timestamps_event(speech: Speech, context_id: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "timestamps",
        "done": False,
        "status_code": guess.STREAM_STATUS_CODE,
        "word_timestamps": {
            "words": [w.word for w in speech.words],
            "start": [w.start for w in speech.words],
            "end": [w.end for w in speech.words],
        },
    }
    if context_id is not None:
        event["context_id"] = context_id
    return event


def done_event(context_id: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "done", "done": True, "status_code": guess.DONE_STATUS_CODE}
    if context_id is not None:
        event["context_id"] = context_id
    return event
