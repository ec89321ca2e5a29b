"""Streaming speech to text: a WAV file sent in real-time-sized chunks over the STT WebSocket.

    python stt_stream.py AUDIO.wav [--pace 4]  # 16-bit mono WAV; --pace 4: 4x faster than spoken

Prints partials as the audio arrives, then finals. Settings come from the environment or a
`.env` file: GATEWAY_BASE_URL, TFY_API_KEY, CARTESIA_PROVIDER_ACCOUNT, STT_STREAMING_MODEL.
Exit status: 0 done, 1 the gateway or the service refused, 2 bad usage or settings.
"""

import argparse
import asyncio
import os
import sys
import wave
from pathlib import Path
from typing import NoReturn

import cartesia
from dotenv import find_dotenv, load_dotenv

CHUNK_SECONDS = 0.1  # 100 ms of audio per message, as a microphone would deliver it


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


def read_pcm(path: Path) -> tuple[bytes, int]:
    """The 16-bit mono samples of a WAV file, and their sample rate."""
    try:
        with wave.open(str(path), "rb") as wav:
            if (wav.getsampwidth(), wav.getnchannels()) == (2, 1):
                return wav.readframes(wav.getnframes()), wav.getframerate()
    except (FileNotFoundError, IsADirectoryError):
        fail(f"{path}: no such file - pass the path of a WAV recording")
    except (wave.Error, EOFError):
        pass  # not a WAV file at all
    fail(f"{path}: not a 16-bit mono WAV - ffmpeg -i {path} -ac 1 -ar 16000 -sample_fmt s16 x.wav")


async def transcribe(client: cartesia.AsyncCartesia, pcm: bytes, rate: int, pace: float) -> str:
    """Stream the samples, print partial and final transcripts, return the whole text."""
    step, finals = int(rate * CHUNK_SECONDS) * 2, []
    model = setting("STT_STREAMING_MODEL", "ink-2")
    async with client.stt.manual_finalize.websocket(
        model=model, language="en", encoding="pcm_s16le", sample_rate=rate
    ) as connection:

        async def talk() -> None:
            for start in range(0, len(pcm), step):
                await connection.send_raw(pcm[start : start + step])
                await asyncio.sleep(CHUNK_SECONDS / pace)  # real time, divided by the pace
            await connection.send("finalize")  # end of the utterance: settle the transcript
            await connection.send("close")  # no more audio: the server answers "done"

        sender = asyncio.create_task(talk())  # audio goes out while transcripts come in
        async for event in connection:
            if event.type == "transcript" and event.text:
                print(f"{'final' if event.is_final else 'partial':<8} {event.text}", flush=True)
                finals += [event.text] if event.is_final else []
            elif event.type == "error":
                fail(refusal(event.status_code, event.message), 1)
            elif event.type == "done":
                break
        await sender
    return "".join(finals).strip()  # finals are deltas: join them as they are


async def main() -> None:
    parser = argparse.ArgumentParser(description="Transcribe a WAV file as it is streamed.")
    parser.add_argument("audio", type=Path, help="a 16-bit mono WAV recording")
    parser.add_argument("--pace", type=float, default=1.0, help="speed, x real time")
    args = parser.parse_args()
    pcm, rate = read_pcm(args.audio)
    url, key = gateway("stt")
    try:
        async with cartesia.AsyncCartesia(
            api_key="dummy",  # the gateway ignores it and injects the Cartesia key it stores
            base_url=url,
            websocket_base_url="ws" + url.removeprefix("http"),  # http->ws, https->wss
            default_headers={"x-tfy-api-key": key},  # the only headers a handshake carries
        ) as client:
            text = await transcribe(client, pcm, rate, args.pace)
    except OSError as error:
        fail(f"cannot reach {url} ({error}): start the gateway (`make mock` for a local one)", 1)
    except Exception as error:  # a refused handshake carries the HTTP response
        if (status := getattr(getattr(error, "response", None), "status_code", None)) is None:
            raise
        fail(refusal(status, "the WebSocket handshake was refused"), 1)
    print(f"transcript: {text}")


if __name__ == "__main__":
    asyncio.run(main())
