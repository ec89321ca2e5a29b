"""Check STT requests as Cartesia does: language, upload encoding and sample rate, word stamps.

The batch route reads them from its form and query string, the WebSockets from their query
string; both ask the same questions here, and every failure is a 400 naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import get_args, get_type_hints

from cartesia.types.stt_transcribe_params import STTTranscribeParams

from ...audio_formats import UPLOAD_ENCODINGS
from .. import undocumented as guess
from .errors import CartesiaError, invalid_request

STT_LANGUAGES = frozenset(get_args(get_type_hints(STTTranscribeParams)["language"]))
DEFAULT_LANGUAGE = "en"  # STTTranscribeParams: "defaults to en"


def stt_error(message: str) -> CartesiaError:
    """A 400 for a bad STT request field, pointing at the STT docs."""
    return invalid_request(message, doc_url=guess.STT_DOC_URL)


def audio_error(message: str) -> CartesiaError:
    """An upload or audio frame that does not decode."""
    return CartesiaError(
        guess.INVALID_AUDIO_STATUS,
        guess.INVALID_AUDIO_TITLE,
        message,
        error_code=guess.INVALID_AUDIO_CODE,
        doc_url=guess.STT_DOC_URL,
    )


def stt_language(value: object, *, where: str = "") -> str:
    """The language to transcribe (en when absent), one of Cartesia STT's ISO-639-1 codes."""
    language = value or DEFAULT_LANGUAGE
    if language not in STT_LANGUAGES:
        raise stt_error(
            f"{where}'language' {language!r} is not an ISO-639-1 code Cartesia STT accepts"
        )
    return str(language)


def upload_encoding(value: str | None, *, where: str = "", required: bool = False) -> str | None:
    """The raw PCM encoding of the audio (None when absent and not required)."""
    if (value is not None or required) and value not in UPLOAD_ENCODINGS:
        raise stt_error(
            f"{where}'encoding' must be one of {', '.join(UPLOAD_ENCODINGS)}; got {value!r}"
        )
    return value


def sample_rate(raw: str | None, *, where: str = "", required: bool = False) -> int | None:
    """The sample rate in Hz, a positive integer (None when absent and not required)."""
    if raw is None and not required:
        return None
    if raw is None or not raw.isdigit() or int(raw) <= 0:
        raise stt_error(f"{where}'sample_rate' must be a positive integer (Hz); got {raw!r}")
    return int(raw)


def word_timestamps(granularities: list[str]) -> bool:
    """Whether timestamp_granularities[] asked for word times (only 'word' exists)."""
    for value in granularities:
        if value != "word":
            raise stt_error(f"'timestamp_granularities[]' accepts only 'word'; got {value!r}")
    return bool(granularities)


@dataclass(frozen=True)
class StreamParams:
    """The query parameters of an STT WebSocket: audio encoding and rate are required."""

    model: str | None
    encoding: str
    sample_rate: int
    language: str

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> StreamParams:
        where = "query parameter "
        encoding = upload_encoding(query.get("encoding"), where=where, required=True)
        rate = sample_rate(query.get("sample_rate"), where=where, required=True)
        assert encoding is not None and rate is not None  # required=True raises instead
        return cls(
            model=query.get("model"),
            encoding=encoding,
            sample_rate=rate,
            language=stt_language(query.get("language"), where=where),
        )
