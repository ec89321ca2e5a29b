"""Checks of what a successful call looks like: stream messages, WebSocket handshakes, headers,
the streamed WAV header, content types and the model list."""

from __future__ import annotations

import struct

from helpers.mock_gateway import undocumented as guess

from .calls import Calls
from .registry import Observation, body, check, media_type


def _status_codes(messages: list[dict]) -> list:
    chunk = next((m for m in messages if m.get("type") == "chunk"), {})
    done = next((m for m in messages if m.get("type") == "done"), {})
    return [chunk.get("status_code"), done.get("status_code")]


@check("STREAM_STATUS_CODE, DONE_STATUS_CODE", "SSE: status_code of chunk and of done")
def sse_status_codes(calls: Calls) -> Observation:
    answered = _status_codes(calls.sse_events())
    return [guess.STREAM_STATUS_CODE, guess.DONE_STATUS_CODE], answered


@check("STREAM_STATUS_CODE, DONE_STATUS_CODE", "WebSocket: status_code of chunk and of done")
def websocket_status_codes(calls: Calls) -> Observation:
    answered = _status_codes(calls.websocket_messages())
    return [guess.STREAM_STATUS_CODE, guess.DONE_STATUS_CODE], answered


@check("WEBSOCKET_API_KEY_HEADER", "WebSocket handshake with the key in x-tfy-api-key")
def websocket_header_auth(calls: Calls) -> Observation:
    status = calls.websocket_refusal(key="")
    return "accepted", "accepted" if status is None else f"refused {status}"


@check("WEBSOCKET_API_KEY_HEADER", "WebSocket handshake without a key: refusal status")
def websocket_refusal(calls: Calls) -> Observation:
    status = calls.websocket_refusal(key=None)
    return 401, "accepted" if status is None else status


@check(
    "WEBSOCKET_GATEWAY_ERROR_TITLE, WEBSOCKET_GATEWAY_ERROR_CODE",
    "TTS WebSocket message naming an unregistered model: status, title, error_code",
)
def websocket_gateway_error(calls: Calls) -> Observation:
    last = calls.websocket_messages(model_id="sonic-probe-not-registered")[-1]
    answered = [last.get("status_code"), last.get("title"), last.get("error_code")]
    return [403, guess.WEBSOCKET_GATEWAY_ERROR_TITLE, guess.WEBSOCKET_GATEWAY_ERROR_CODE], answered


@check("STT_WEBSOCKET_PARAM_CLOSE_CODE", "STT WebSocket with sample_rate=0: message, close code")
def stt_websocket_bad_parameter(calls: Calls) -> Observation:
    model = calls.settings.stt_streaming_model
    first, code = calls.stt_websocket_close(f"model={model}&encoding=pcm_s16le&sample_rate=0")
    return ["error", guess.STT_WEBSOCKET_PARAM_CLOSE_CODE], [first.get("type"), code]


@check("TURNS_REFUSE_OTHER_MODELS", "turns WebSocket with STT_MODEL (ink-whisper): first message")
def turns_with_batch_model(calls: Calls) -> Observation:
    query = f"model={calls.settings.stt_model}&encoding=pcm_s16le&sample_rate=16000"
    first, _ = calls.stt_websocket_close(query, route="stt/turns/websocket")
    return ("error" if guess.TURNS_REFUSE_OTHER_MODELS else "connected"), first.get("type")


@check("WAV_STREAM_SIZE_PLACEHOLDER", "streamed WAV: RIFF size field of /tts/bytes")
def streamed_wav_header(calls: Calls) -> Observation:
    wav = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 8000}
    audio = calls.tts(output_format=wav).content
    riff = f"0x{struct.unpack('<I', audio[4:8])[0]:08X}" if audio[:4] == b"RIFF" else "not RIFF"
    return f"0x{guess.WAV_STREAM_SIZE_PLACEHOLDER:08X}", riff


@check("RAW_MEDIA_TYPE", "content type of raw PCM from /tts/bytes")
def raw_media_type(calls: Calls) -> Observation:
    return guess.RAW_MEDIA_TYPE, media_type(calls.tts())


@check("TIMESTAMP_WORDS_KEEP_PUNCTUATION", "SSE word timestamps of 'Hi, you.'")
def timestamp_words(calls: Calls) -> Observation:
    events = calls.sse_events(transcript="Hi, you.", add_timestamps=True)
    words = [w for e in events for w in (e.get("word_timestamps") or {}).get("words", [])]
    keep = guess.TIMESTAMP_WORDS_KEEP_PUNCTUATION
    return (["Hi,", "you."] if keep else ["Hi", "you"]), words


@check("MODELS_CREATED, MODELS_OWNED_BY", "GET /models: created and owned_by")
def models_shape(calls: Calls) -> Observation:
    account = calls.settings.provider_account
    entries = body(calls.get("/models")).get("data", [])
    mine: dict = next((e for e in entries if str(e.get("id", "")).startswith(f"{account}/")), {})
    assumed = [guess.MODELS_CREATED, guess.MODELS_OWNED_BY.format(account=account)]
    return assumed, [mine.get("created"), mine.get("owned_by")]


@check("RESOLVED_MODEL_HEADER_VALUE", "x-tfy-resolved-model of a TTS answer")
def resolved_model(calls: Calls) -> Observation:
    settings = calls.settings
    assumed = guess.RESOLVED_MODEL_HEADER_VALUE.format(
        account=settings.provider_account, model=settings.tts_model
    )
    return assumed, calls.tts().headers.get("x-tfy-resolved-model", "absent")


@check("SERVER_TIMING_VALUE", "server-timing metric of GET /models")
def server_timing(calls: Calls) -> Observation:
    header = calls.get("/models").headers.get("server-timing", "absent")
    return guess.SERVER_TIMING_VALUE.split(";")[0], header.split(";")[0]
