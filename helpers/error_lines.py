"""One line for an error from the SDK or httpx: status, kind, the body's message and the fix."""

from __future__ import annotations

from typing import Any

import cartesia
import httpx
import openai

# What to change when the gateway refuses a call, by HTTP status.
FIXES = {
    401: "the gateway does not accept TFY_API_KEY: put a valid TrueFoundry key in .env "
    "(sent as x-tfy-api-key) and restart the kernel",
    403: "register the model in the provider account (display name = model id), or share the "
    "account with this key's user, team or virtual account",
    404: "check CARTESIA_PROVIDER_ACCOUNT and the model ids in .env against the dashboard",
}
# The same for the chat route (the openai SDK's errors, notebook 08).
CHAT_FIXES = {
    **FIXES,
    403: "set LLM_MODEL to a chat model this key may use (account/model, as GET /models lists "
    "it), or ask an account manager to share that account",
}


class OneLineError(Exception):
    """An error whose message names the fix: IPython shows it as one line, not a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def describe_error(error: BaseException) -> str:
    """One readable line for an error, without a traceback."""
    if isinstance(error, cartesia.APIStatusError | openai.APIStatusError):
        detail = _body_message(error.body) or error.response.reason_phrase
        text = f"{error.status_code} {type(error).__name__}: {detail}"
    elif isinstance(error, cartesia.APITimeoutError | openai.APITimeoutError):
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


def with_fix(error: BaseException) -> str:
    """describe_error's line, followed by what to change for a refused call."""
    fixes = CHAT_FIXES if isinstance(error, openai.APIError) else FIXES
    fix = fixes.get(getattr(error, "status_code", 0))
    return f"{describe_error(error)} -> {fix}" if fix else describe_error(error)


def show_api_errors_in_one_line() -> None:
    """In IPython, show the SDK's HTTP errors as one line with the fix instead of a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((cartesia.APIError, openai.APIError, httpx.HTTPError), _show_one_line)


def _show_one_line(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset=None) -> None:
    line = with_fix(value)
    value._render_traceback_ = lambda: [line]  # type: ignore[attr-defined]
    shell.showtraceback((etype, value, tb))


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
