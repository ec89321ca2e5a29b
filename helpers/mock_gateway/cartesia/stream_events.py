"""Cartesia's TTS stream messages (SSE events and WebSocket messages): chunk, timestamps, done."""

from __future__ import annotations

import base64
from typing import Any

from ...audio_formats import OutputFormat
from .. import undocumented as guess
from ..speech.audio_encoding import encode_raw_chunk
from ..speech.timed_speech import Speech


def byte_chunks(audio: bytes, output_format: OutputFormat) -> list[bytes]:
    """Raw PCM of a sentence cut at sample boundaries into chunks of STREAM_CHUNK_SECONDS."""
    samples = max(1, int(output_format.sample_rate * guess.STREAM_CHUNK_SECONDS))
    step = output_format.sample_width * samples
    return [audio[i : i + step] for i in range(0, len(audio), step)] or [audio]


def _with_ids(event: dict[str, Any], context_id: str | None, flush_id: int | None):
    if context_id is not None:
        event["context_id"] = context_id
    if flush_id is not None:
        event["flush_id"] = flush_id
    return event


def chunk_event(
    audio: bytes, step_ms: float, context_id: str | None, flush_id: int | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "chunk",
        "data": base64.b64encode(audio).decode("ascii"),
        "done": False,
        "status_code": guess.STREAM_STATUS_CODE,
        "step_time": round(step_ms, 3),
    }
    return _with_ids(event, context_id, flush_id)


def timestamps_event(
    speech: Speech, context_id: str | None, flush_id: int | None = None
) -> dict[str, Any]:
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
    return _with_ids(event, context_id, flush_id)


def phoneme_timestamps_event(
    speech: Speech, context_id: str | None, flush_id: int | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "phoneme_timestamps",
        "done": False,
        "status_code": guess.STREAM_STATUS_CODE,
        "phoneme_timestamps": {
            "phonemes": [p.phoneme for p in speech.phonemes],
            "start": [p.start for p in speech.phonemes],
            "end": [p.end for p in speech.phonemes],
        },
    }
    return _with_ids(event, context_id, flush_id)


def sentence_events(
    piece: Speech,
    output_format: OutputFormat,
    *,
    step_ms: float,
    add_timestamps: bool,
    context_id: str | None,
    flush_id: int | None = None,
    add_phoneme_timestamps: bool = False,
) -> list[dict[str, Any]]:
    """The messages of one spoken piece (a sentence, or part of one): its audio in chunks, then the
    timestamps of the words and (when asked for) phonemes that end in it, if any."""
    audio = encode_raw_chunk(piece.samples, piece.sample_rate, output_format)
    events = [
        chunk_event(chunk, step_ms, context_id, flush_id)
        for chunk in byte_chunks(audio, output_format)
    ]
    if add_timestamps and piece.words:
        events.append(timestamps_event(piece, context_id, flush_id))
    if add_phoneme_timestamps and piece.phonemes:
        events.append(phoneme_timestamps_event(piece, context_id, flush_id))
    return events


def done_event(context_id: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "done", "done": True, "status_code": guess.DONE_STATUS_CODE}
    return _with_ids(event, context_id, None)
