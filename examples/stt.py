"""Speech to text through the TrueFoundry AI Gateway: `stt.transcribe` on an audio file.

    python stt.py AUDIO [--words]

AUDIO is a WAV, MP3, FLAC, OGG or M4A recording; --words also prints when each word was said.

Settings come from the environment, or from a `.env` file found from the current directory
upward: GATEWAY_BASE_URL, TFY_API_KEY, CARTESIA_PROVIDER_ACCOUNT, STT_MODEL.
Exit status: 0 done, 1 the gateway or the service refused, 2 bad usage or settings.
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import NoReturn

import cartesia
from dotenv import find_dotenv, load_dotenv


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
    parser = argparse.ArgumentParser(description="Print what is said in an audio file.")
    parser.add_argument("audio", type=Path, help="a recording: WAV, MP3, FLAC, OGG, M4A ...")
    parser.add_argument("--words", action="store_true", help="print word timestamps too")
    args = parser.parse_args()
    if not args.audio.is_file():
        fail(f"{args.audio}: no such file - pass the path of a recording")
    url, key = gateway("stt")
    client = cartesia.AsyncCartesia(
        api_key="dummy",  # the gateway ignores it and injects the Cartesia key it stores
        base_url=url,
        default_headers={"x-tfy-api-key": key},
    )
    async with client:
        try:
            transcript = await client.stt.transcribe(
                file=args.audio,
                model=setting("STT_MODEL", "ink-whisper"),
                language="en",
                timestamp_granularities=["word"] if args.words else cartesia.omit,
            )
        except cartesia.BadRequestError as error:
            refused = refusal(error.status_code, error.body)
            fail(f"{args.audio}: {refused} - pass a recording (WAV, MP3, FLAC ...)", 1)
        except cartesia.APIStatusError as error:
            fail(refusal(error.status_code, error.body), 1)
        except cartesia.APIConnectionError:
            fail(f"cannot reach {url}: start the gateway (`make mock` for a local one)", 1)
    print(transcript.text)
    for word in transcript.words or []:
        print(f"{word.start:6.2f} - {word.end:6.2f} s  {word.word}")


if __name__ == "__main__":
    asyncio.run(main())
