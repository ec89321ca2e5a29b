"""Text to speech streamed over SSE (`tts.generate_sse`): play the start before the end exists.

    python tts_stream.py ["TEXT"] [OUT.wav]  # writes audio as it comes, prints time to first audio

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


async def main() -> None:
    parser = argparse.ArgumentParser(description="Stream TEXT as speech into a WAV file.")
    parser.add_argument("text", nargs="?", default="Streaming sends audio as it is made.")
    parser.add_argument("out", nargs="?", default="tts_stream.wav", type=Path)
    args = parser.parse_args()
    url, key = gateway("tts")
    started, first_audio = time.perf_counter(), 0.0
    async with cartesia.AsyncCartesia(
        api_key="dummy",  # the gateway ignores it and injects the Cartesia key it stores
        base_url=url,
        default_headers={"x-tfy-api-key": key},  # reaches HTTP calls and WebSocket handshakes
    ) as client:
        try:
            with open(args.out, "wb") as file, wave.open(file, "wb") as out:
                out.setparams((1, 2, FORMAT["sample_rate"], 0, "NONE", "not compressed"))
                stream = await client.tts.generate_sse(
                    model_id=setting("TTS_MODEL", "sonic-3.5"),
                    transcript=args.text,
                    voice={"id": setting("VOICE_ID", "a0e99841-438c-4a64-b679-ae501e7d6091")},
                    language="en",
                    output_format=FORMAT,  # bare 16-bit samples, to write into a WAV as they come
                )
                async for event in stream:
                    if event.type == "chunk" and event.audio:
                        first_audio = first_audio or time.perf_counter() - started
                        out.writeframes(event.audio)  # or play it, or forward it, right away
                    elif event.type == "error":
                        fail(f"the service stopped the stream: {event.message}", 1)
        except cartesia.APIStatusError as error:
            fail(refusal(error.status_code, error.body), 1)
        except cartesia.APIConnectionError:
            fail(f"cannot reach {url}: start the gateway (`make mock` for a local one)", 1)
        except OSError as error:
            fail(f"cannot write {args.out} ({error.strerror}): pick a path in an existing folder")
    print(f"first audio after {first_audio * 1000:.0f} ms")
    print(f"wrote {out.getnframes() / FORMAT['sample_rate']:.2f} s of audio to {args.out}")


if __name__ == "__main__":
    asyncio.run(main())
