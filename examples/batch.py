"""Batch text to speech: one WAV per line of a text file, a few at a time, with retries.

    python batch.py LINES.txt [OUTDIR] [--concurrency 4]  # OUTDIR/001.wav, 002.wav, ...

Shows a progress bar. Settings come from the environment or a `.env` file (current folder
upward): GATEWAY_BASE_URL, TFY_API_KEY, CARTESIA_PROVIDER_ACCOUNT, TTS_MODEL, VOICE_ID.
Exit status: 0 done, 1 the gateway or the service refused, 2 bad usage or settings.
"""

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import NoReturn

import cartesia
from cartesia.types import WAVOutputFormatParam
from dotenv import find_dotenv, load_dotenv

FORMAT: WAVOutputFormatParam = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 24000}


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


async def speak_all(
    client: cartesia.AsyncCartesia, lines: list[str], outdir: Path, at_once: int
) -> list[str]:
    """Say line N into OUTDIR/N.wav, `at_once` requests at a time; the lines that failed, why."""
    limit, done, failed = asyncio.Semaphore(at_once), 0, []

    async def speak(number: int, line: str) -> None:
        nonlocal done
        async with limit:  # at most --concurrency requests in flight
            try:
                response = await client.tts.generate(
                    model_id=setting("TTS_MODEL", "sonic-3.5"),
                    transcript=line,
                    voice={"id": setting("VOICE_ID", "a0e99841-438c-4a64-b679-ae501e7d6091")},
                    language="en",
                    output_format=FORMAT,
                )
                (outdir / f"{number:03}.wav").write_bytes(await response.read())
            except cartesia.APIStatusError as error:
                if error.status_code in (401, 403):
                    raise  # every line would fail the same way: stop now
                failed.append(f"line {number}: {refusal(error.status_code, error.body)}")
        done += 1  # a progress bar on stderr, redrawn in place
        bar = f"[{'#' * (30 * done // len(lines)):<30}] {done}/{len(lines)} lines"
        print(f"\r{bar}", end="\n" if done == len(lines) else "", file=sys.stderr, flush=True)

    await asyncio.gather(*(speak(number, line) for number, line in enumerate(lines, 1)))
    return failed


async def main() -> None:
    parser = argparse.ArgumentParser(description="Say each line of a text file into a WAV file.")
    parser.add_argument("lines", type=Path, help="a text file, one sentence per line")
    parser.add_argument("outdir", nargs="?", default="batch_out", type=Path)
    parser.add_argument("--concurrency", type=int, default=4, help="requests at a time")
    args = parser.parse_args()
    try:
        lines = [line.strip() for line in args.lines.read_text().splitlines() if line.strip()]
    except (FileNotFoundError, IsADirectoryError):
        fail(f"{args.lines}: no such file - pass a text file with one sentence per line")
    except UnicodeDecodeError:
        fail(f"{args.lines}: not a text file - pass one with one sentence per line (UTF-8)")
    url, key = gateway("tts")
    try:
        args.outdir.mkdir(parents=True, exist_ok=True)
        async with cartesia.AsyncCartesia(
            api_key="dummy",  # the gateway ignores it and injects the Cartesia key it stores
            base_url=url,
            default_headers={"x-tfy-api-key": key},  # reaches HTTP calls and WebSocket handshakes
            max_retries=5,  # the SDK retries 408, 409, 429 and 5xx, backing off as Retry-After says
        ) as client:
            failed = await speak_all(client, lines, args.outdir, args.concurrency)
    except cartesia.APIStatusError as error:
        fail(refusal(error.status_code, error.body), 1)
    except cartesia.APIConnectionError:
        fail(f"cannot reach {url}: start the gateway (`make mock` for a local one)", 1)
    except OSError as error:
        fail(f"cannot write in {args.outdir} ({error.strerror}): pick another folder")
    for failure in failed:
        print(f"error: {failure}", file=sys.stderr)
    print(f"wrote {len(lines) - len(failed)} of {len(lines)} files to {args.outdir}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    asyncio.run(main())
