"""One readable line for an error from the SDK or httpx: status, kind and the body's message."""

from __future__ import annotations

import cartesia
import httpx


def describe_error(error: BaseException) -> str:
    """One readable line for an error, without a traceback."""
    if isinstance(error, cartesia.APIStatusError):
        detail = _body_message(error.body) or error.response.reason_phrase
        text = f"{error.status_code} {type(error).__name__}: {detail}"
    elif isinstance(error, cartesia.APITimeoutError):
        text = "The gateway did not answer in time: try again, or check GATEWAY_BASE_URL."
    elif isinstance(error, cartesia.APIConnectionError | httpx.TransportError):
        where = error.request.url.copy_with(path="/", query=None)
        text = f"Cannot reach the gateway at {where}: check GATEWAY_BASE_URL and that it runs."
    elif isinstance(error, httpx.HTTPStatusError):
        detail = _body_message(_json_or_none(error.response)) or error.response.reason_phrase
        text = f"{error.response.status_code} from {error.request.url.path}: {detail}"
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())


def _body_message(body: object) -> str | None:
    """The human part of a TrueFoundry or Cartesia error body."""
    if isinstance(body, dict):
        for key in ("message", "error", "title", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict):
                nested = _body_message(value)
                if nested:
                    return nested
    if isinstance(body, str) and body:
        return body
    return None


def _json_or_none(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return response.text
