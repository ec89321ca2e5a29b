"""From a TTS request to the engine's arguments: the catalog voice, the language, speed, volume."""

from __future__ import annotations

from typing import Any

from .. import undocumented as guess
from ..speech.voices import Voice, find_voice
from .errors import CartesiaError
from .tts_request import TTSRequest


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
    """Keyword arguments for synthesizer.synthesize / synthesize_stream."""
    language = _requested_language(req, voice)
    return {"voice": voice, "language": language, "speed": req.speed, "volume": req.volume}
