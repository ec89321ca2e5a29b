"""Text to speech over a WebSocket: one context fed piece by piece, as an LLM writes its answer.

    python tts_websocket.py [OUT.wav]

Settings come from the environment, or from a `.env` file found from the current directory
upward: GATEWAY_BASE_URL, TFY_API_KEY, CARTESIA_PROVIDER_ACCOUNT, TTS_MODEL, VOICE_ID.
Exit status: 0 done, 1 the gateway or the service refused, 2 bad usage or settings.
"""

import argparse
import asyncio
import os
import sys
import time
import wave
from pathlib import Path
from typing import NoReturn

import cartesia
from cartesia.types import RawOutputFormatParam
from dotenv import find_dotenv, load_dotenv

FORMAT: RawOutputFormatParam = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000}
ANSWER = "Sure! The gateway checks your key, then passes your words to Cartesia, piece by piece."


def setting(name: str, default: str = "") -> str:
    """An environment variable (or `.env` line), stripped, or the default."""
    return os.environ.get(name, "").strip() or default


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one line that names the fix, and exit."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(status)


def gateway(route: str) -> tuple[str, str]:
    """URL of the gateway's `tts` or `stt` route (GATEWAY_BASE_URL may have a path), and the key."""
    load_dotenv(find_dotenv(usecwd=True))  # .env from the current folder upward; exports win
    url, key = setting("GATEWAY_BASE_URL"), setting("TFY_API_KEY")
    if not url or not key:
        fail("set GATEWAY_BASE_URL and TFY_API_KEY (`make mock` starts a local mock, prints both)")
    if url.endswith("/"):
        fail(f"GATEWAY_BASE_URL ends with '/': remove the trailing slash ({url.rstrip('/')})")
    return f"{url}/{route}/{setting('CARTESIA_PROVIDER_ACCOUNT', 'cartesia-main')}", key


def refusal(status: int | None, body: object) -> str:
    """One line for a refusal by the gateway or by Cartesia: its message, and the fix if known."""
    message = body.get("message", body) if isinstance(body, dict) else body
    fix = {
        401: "- check TFY_API_KEY: the gateway does not know this key",
        403: "- register the model in the provider account (display name = model id), "
        "or share the account with this key's user, team or virtual account",
    }.get(status or 0, "")
    return f"the gateway answered {status}: {message} {fix}".rstrip()


async def speak(client: cartesia.AsyncCartesia) -> bytes:
    """The answer's audio, from one WebSocket context fed a few words at a time."""
    audio, started, first_audio = bytearray(), time.perf_counter(), 0.0
    async with client.tts.websocket_connect() as connection:
        context = connection.context(
            timeout=30.0,  # seconds without a message before giving up on a stalled stream
            model_id=setting("TTS_MODEL", "sonic-3.5"),
            voice={"id": setting("VOICE_ID", "a0e99841-438c-4a64-b679-ae501e7d6091")},
            output_format=FORMAT,
            language="en",
        )

        async def feed() -> None:  # an LLM streaming its answer, a few words at a time
            words = ANSWER.split(" ")
            for start in range(0, len(words), 3):
                await asyncio.sleep(0.05)
                await context.push(" ".join(words[start : start + 3]) + " ")  # continue_=True
            await context.no_more_inputs()

        sender = asyncio.create_task(feed())  # text goes in while audio comes out
        async for event in context.receive():
            if event.type == "chunk" and event.audio:
                first_audio = first_audio or time.perf_counter() - started
                audio += event.audio  # or play it right away
            elif event.type == "error":
                fail(refusal(event.status_code, event.message), 1)
        await sender
    print(f"first audio after {first_audio * 1000:.0f} ms")
    return bytes(audio)


async def main() -> None:
    parser = argparse.ArgumentParser(description="Speak a streamed answer into a WAV file.")
    parser.add_argument("out", nargs="?", default="tts_websocket.wav", type=Path)
    args = parser.parse_args()
    url, key = gateway("tts")
    try:
        async with cartesia.AsyncCartesia(
            api_key="dummy",  # the gateway ignores it and injects the Cartesia key it stores
            base_url=url,
            websocket_base_url="ws" + url.removeprefix("http"),  # http->ws, https->wss
            default_headers={"x-tfy-api-key": key},  # the only headers a handshake carries
        ) as client:
            audio = await speak(client)
    except TimeoutError:  # an OSError too, so caught first
        fail("no audio for 30 s: the stream stalled (a rate limit?) - try again later", 1)
    except OSError as error:
        fail(f"cannot reach {url} ({error}): start the gateway (`make mock` for a local one)", 1)
    except Exception as error:  # a refused handshake carries the HTTP response
        if (status := getattr(getattr(error, "response", None), "status_code", None)) is None:
            raise
        fail(refusal(status, "the WebSocket handshake was refused"), 1)
    try:
        with open(args.out, "wb") as file, wave.open(file, "wb") as out:
            out.setparams((1, 2, FORMAT["sample_rate"], 0, "NONE", "not compressed"))
            out.writeframes(audio)
    except OSError as error:
        fail(f"cannot write {args.out} ({error.strerror}): pick a path in an existing folder")
    print(f"wrote {len(audio) / 2 / FORMAT['sample_rate']:.2f} s of audio to {args.out}")


if __name__ == "__main__":
    asyncio.run(main())
