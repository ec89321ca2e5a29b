"""Checks of the errors the gateway and Cartesia answer: keys, access, model types, bodies."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from helpers.mock_gateway import undocumented as guess

from .calls import WRONG_KEY, Calls
from .registry import NotObserved, Observation, body, check, media_type, message


@check("MISSING_KEY_MESSAGE", "401 without x-tfy-api-key")
def missing_key(calls: Calls) -> Observation:
    response = calls.tts(key=None)
    return [401, guess.MISSING_KEY_MESSAGE], [response.status_code, message(response)]


@check("UNKNOWN_KEY_MESSAGE", "401 with a wrong key")
def wrong_key(calls: Calls) -> Observation:
    response = calls.tts(key=WRONG_KEY)
    return [401, guess.UNKNOWN_KEY_MESSAGE], [response.status_code, message(response)]


@check("AUTHORIZATION_ORIGIN", "403 for an unregistered model: error_origin_level")
def unregistered_model(calls: Calls) -> Observation:
    response = calls.tts(model_id="sonic-probe-not-registered")
    origin = body(response).get("error_origin_level")
    return [403, guess.AUTHORIZATION_ORIGIN], [response.status_code, origin]


@check("UNKNOWN_ACCOUNT_STATUS", "status for an unknown provider account")
def unknown_account(calls: Calls) -> Observation:
    response = calls.tts(account="probe-no-such-account")
    return guess.UNKNOWN_ACCOUNT_STATUS, response.status_code


@check("WRONG_MODEL_TYPE_STATUS", "status for an STT model on the TTS route")
def wrong_model_type(calls: Calls) -> Observation:
    response = calls.tts(model_id=calls.settings.stt_streaming_model)
    return guess.WRONG_MODEL_TYPE_STATUS, response.status_code


@check("BATCH_REFUSED_STT_MODELS, BATCH_MODEL_STATUS", "batch /stt with ink-2")
def batch_ink_2(calls: Calls) -> Observation:
    response = calls.stt("ink-2")
    if response.status_code in (401, 403):
        raise NotObserved(f"{response.status_code}: ink-2 is not registered for this key")
    refused = "ink-2" in guess.BATCH_REFUSED_STT_MODELS
    return (guess.BATCH_MODEL_STATUS if refused else 200), response.status_code


@check("NOT_FOUND_MESSAGE", "an unknown route: 404 and its message")
def unknown_route(calls: Calls) -> Observation:
    path = f"{urlsplit(calls.settings.gateway_base_url).path}/probe-no-such-route"
    response = calls.get("/probe-no-such-route")
    assumed = guess.NOT_FOUND_MESSAGE.format(method="GET", path=path)
    return [404, assumed], [response.status_code, message(response)]


@check("VOICE_NOT_FOUND_STATUS, VOICE_NOT_FOUND_CODE", "an unknown voice id")
def unknown_voice(calls: Calls) -> Observation:
    voice = {"mode": "id", "id": "00000000-0000-4000-8000-000000000000"}
    response = calls.tts(voice=voice)
    answered = [response.status_code, body(response).get("error_code")]
    return [guess.VOICE_NOT_FOUND_STATUS, guess.VOICE_NOT_FOUND_CODE], answered


@check("INVALID_REQUEST_STATUS, INVALID_REQUEST_CODE", "an output format that does not exist")
def invalid_output_format(calls: Calls) -> Observation:
    response = calls.tts(output_format={"container": "ogg"})
    answered = [response.status_code, body(response).get("error_code")]
    return [guess.INVALID_REQUEST_STATUS, guess.INVALID_REQUEST_CODE], answered


@check("GATEWAY_FORWARDS_CARTESIA_VERSION", "error body for the SDK's own Cartesia-Version")
def sdk_version_errors(calls: Calls) -> Observation:
    response = calls.tts(output_format={"container": "ogg"})
    # A provider account's cartesia_version is 2025-04-16 or older: plain text if it is used.
    forwarded = guess.GATEWAY_FORWARDS_CARTESIA_VERSION
    assumed = "application/json" if forwarded else guess.PLAIN_TEXT_ERROR_MEDIA_TYPE
    return assumed, media_type(response)


@check("OLD_VERSION_PLAIN_TEXT_ERRORS", "error body for Cartesia-Version 2025-04-16")
def old_version_errors(calls: Calls) -> Observation:
    response = calls.tts(output_format={"container": "ogg"}, version="2025-04-16")
    plain = guess.OLD_VERSION_PLAIN_TEXT_ERRORS
    return (guess.PLAIN_TEXT_ERROR_MEDIA_TYPE if plain else "application/json"), media_type(
        response
    )


@check("UNDATED_VERSION_JSON_ERRORS", "error body without Cartesia-Version")
def versionless_errors(calls: Calls) -> Observation:
    response = calls.tts(output_format={"container": "ogg"}, version=None)
    json_body = guess.UNDATED_VERSION_JSON_ERRORS
    return ("application/json" if json_body else guess.PLAIN_TEXT_ERROR_MEDIA_TYPE), media_type(
        response
    )


@check("MISSING_MODEL_MESSAGE", "a TTS body without model_id")
def missing_model(calls: Calls) -> Observation:
    tts_body = {k: v for k, v in calls.tts_body().items() if k != "model_id"}
    response = calls.tts_raw(json.dumps(tts_body).encode())
    assumed = [400, guess.MISSING_MODEL_MESSAGE.format(field="model_id")]
    return assumed, [response.status_code, message(response)]


@check("INVALID_JSON_MESSAGE", "a TTS body that is a JSON array, not an object")
def json_array_body(calls: Calls) -> Observation:
    response = calls.tts_raw(b"[]")
    detail = "expected a JSON object, got list"
    assumed = [400, guess.INVALID_JSON_MESSAGE.format(detail=detail)]
    return assumed, [response.status_code, message(response)]
