"""A voice agent's turn through one gateway: Ink hears, an LLM answers, Sonic speaks as it writes.

    python voice_agent.py [QUESTION] [--out answer.wav] [--pace 1.0]

Sonic says QUESTION, as a microphone would hear it; Ink transcribes the stream; the LLM's answer
streams into one Sonic context as it is written. Prints what Ink heard, the answer and when each
stage ended after the end of speech; writes the answer's audio.

Settings come from the environment, or from a `.env` file found from the current directory
upward: GATEWAY_BASE_URL, TFY_API_KEY, CARTESIA_PROVIDER_ACCOUNT, TTS_MODEL, STT_STREAMING_MODEL,
VOICE_ID, LLM_MODEL (empty: the mock gateway's own chat model).
Exit status: 0 done, 1 the gateway or the service refused, 2 bad usage or settings.
"""

import argparse
import asyncio
import os
import sys
import time
import wave
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final, NoReturn

import cartesia
import openai
from cartesia.types import RawOutputFormatParam
from dotenv import find_dotenv, load_dotenv

FIXES = {
    401: "- check TFY_API_KEY: the gateway does not know this key",
    403: "- register the model in the provider account (display name = model id), "
    "or share the account with this key's user, team or virtual account",
}
CHAT_FIXES = {**FIXES, 403: "- set LLM_MODEL to a chat model this key may use (GET /models)"}


def setting(name: str, default: str = "") -> str:
    """An environment variable (or `.env` line), stripped, or the default."""
    return os.environ.get(name, "").strip() or default


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one line that names the fix, and exit."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(status)


def gateway() -> tuple[str, str]:
    """GATEWAY_BASE_URL (opaque: it may carry a path, like `.../api/llm`) and TFY_API_KEY."""
    load_dotenv(find_dotenv(usecwd=True))  # .env from the current folder upward; exports win
    url, key = setting("GATEWAY_BASE_URL"), setting("TFY_API_KEY")
    if not url or not key:
        fail("set GATEWAY_BASE_URL and TFY_API_KEY (`make mock` starts a local mock, prints both)")
    if url.endswith("/"):
        fail(f"GATEWAY_BASE_URL ends with '/': remove the trailing slash ({url.rstrip('/')})")
    return url, key


MIC_RATE: Final = 16000  # what a microphone sends Ink: 16 kHz, 16-bit mono PCM, 100 ms a message
ANSWER: RawOutputFormatParam = {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 24000}
SYSTEM = {"role": "system", "content": "You are a voice assistant. Answer in one or two sentences."}
MOCK_LLM = "openai-main/mock-chat"  # LLM_MODEL left empty: the mock gateway's chat model
Stamps = dict[str, float]  # milestone -> time.perf_counter()


def voice() -> dict[str, Any]:
    """The Sonic model, voice and language of every TTS call."""
    voice = {"id": setting("VOICE_ID", "a0e99841-438c-4a64-b679-ae501e7d6091")}
    return {"model_id": setting("TTS_MODEL", "sonic-3.5"), "voice": voice, "language": "en"}


async def say(tts: cartesia.AsyncCartesia, text: str) -> bytes:
    """`text` spoken by Sonic as a microphone would hear it (16 kHz 16-bit PCM)."""
    pcm: RawOutputFormatParam = {
        "container": "raw",
        "encoding": "pcm_s16le",
        "sample_rate": MIC_RATE,
    }
    response = await tts.tts.generate(transcript=text, output_format=pcm, **voice())
    return await response.read()


async def hear(stt: cartesia.AsyncCartesia, pcm: bytes, stamps: Stamps, pace: float) -> str:
    """Stream the speech to Ink in 100 ms chunks, `finalize`, and return the final transcript."""
    step, finals = MIC_RATE // 10 * 2, []
    async with stt.stt.manual_finalize.websocket(
        model=setting("STT_STREAMING_MODEL", "ink-2"),
        language="en",
        encoding="pcm_s16le",
        sample_rate=MIC_RATE,
    ) as connection:

        async def talk() -> None:
            for start in range(0, len(pcm), step):
                await connection.send_raw(pcm[start : start + step])
                await asyncio.sleep(0.1 / pace)  # real time, divided by the pace
            stamps["speech end"] = time.perf_counter()
            await connection.send("finalize")  # the user stopped: settle the transcript

        sender = asyncio.create_task(talk())  # audio goes out while transcripts come in
        async for event in connection:
            if event.type == "transcript" and event.is_final:
                finals.append(event.text)
            elif event.type == "flush_done":  # all speech before `finalize` is transcribed
                stamps["final transcript"] = time.perf_counter()
                break
            elif event.type == "error":
                fail(f"Ink answered {event.status_code}: {event.message}", 1)
        await sender
    return "".join(finals).strip()  # finals are deltas: join them as they are


async def think(
    chat: openai.AsyncOpenAI, messages: list[Any], stamps: Stamps
) -> AsyncIterator[str]:
    """The LLM's answer through the gateway, token by token as the stream delivers it."""
    stream = await chat.chat.completions.create(
        model=setting("LLM_MODEL") or MOCK_LLM,
        messages=messages,
        stream=True,
        stream_options={"include_usage": True},  # a last chunk with the token counts
        max_tokens=120,
    )
    async with stream:  # leaving early (a barge-in) closes the HTTP stream
        async for chunk in stream:
            for choice in chunk.choices:  # the usage chunk has none
                if choice.delta.content:
                    stamps.setdefault("first token", time.perf_counter())
                    yield choice.delta.content
    stamps["last token"] = time.perf_counter()


async def speak(connection: Any, tokens: AsyncIterator[str], stamps: Stamps) -> tuple[bytes, str]:
    """Push each token into ONE Sonic context as it arrives; return (audio, the text spoken).

    Cancelling the task that runs it is a barge-in: Sonic's context and the LLM stream stop."""
    context = connection.context(output_format=ANSWER, max_buffer_delay_ms=500, **voice())
    audio, sent = bytearray(), []

    async def feed() -> None:
        try:
            async for token in tokens:
                sent.append(token)
                await context.push(token)  # = send(transcript=token, continue_=True)
        except Exception:  # the LLM failed: end the context, so that its error surfaces
            await context.no_more_inputs()
            raise
        await context.no_more_inputs()  # the answer is complete

    feeder = asyncio.create_task(feed())  # text goes in while audio comes out
    try:
        async for event in context.receive():
            if event.type == "chunk" and event.audio:
                stamps.setdefault("first audio", time.perf_counter())
                audio += event.audio  # or play it right away
                stamps["last audio"] = time.perf_counter()
            elif event.type == "error":
                fail(f"Sonic answered {event.status_code}: {event.message}", 1)
        await feeder  # the LLM's error, if it failed
    except asyncio.CancelledError:  # barge-in: the user talks over the answer
        feeder.cancel()  # stops reading the LLM's stream...
        await asyncio.wait([feeder])  # ...and waits until it is closed
        await context.cancel()  # Sonic stops generating this context
        raise
    return bytes(audio), "".join(sent)


async def turn(clients: tuple, pcm: bytes, history: list, pace: float = 1.0) -> tuple:
    """Hear the question, answer it with the history, speak; the exchange joins `history`."""
    tts, stt, chat = clients
    stamps: Stamps = {}
    question = await hear(stt, pcm, stamps, pace)
    history.append({"role": "user", "content": question})
    tokens = think(chat, [SYSTEM, *history], stamps)
    async with tts.tts.websocket_connect() as connection:
        audio, answer = await speak(connection, tokens, stamps)
    history.append({"role": "assistant", "content": answer})
    return question, answer, audio, stamps


def refusal(error: cartesia.APIStatusError | openai.APIStatusError) -> str:
    """One line for an HTTP error answered by the gateway, Cartesia or the LLM."""
    fix = (CHAT_FIXES if isinstance(error, openai.APIStatusError) else FIXES).get(error.status_code)
    message = error.body.get("message", error.message) if isinstance(error.body, dict) else error
    return f"the gateway answered {error.status_code}: {message} {fix or ''}"


def clients(url: str, key: str) -> tuple[Any, Any, openai.AsyncOpenAI]:
    """Sonic's and Ink's clients (the key in `default_headers`), and the OpenAI SDK's."""
    account = setting("CARTESIA_PROVIDER_ACCOUNT", "cartesia-main")
    tts, stt = (
        cartesia.AsyncCartesia(
            api_key="dummy",  # the gateway ignores it and injects the Cartesia key it stores
            base_url=f"{url}/{route}/{account}",
            websocket_base_url=f"ws{url.removeprefix('http')}/{route}/{account}",  # http->ws
            default_headers={"x-tfy-api-key": key},  # the only headers a handshake carries
        )
        for route in ("tts", "stt")
    )
    return tts, stt, openai.AsyncOpenAI(api_key=key, base_url=url)  # sends Bearer <key>


async def main() -> None:
    parser = argparse.ArgumentParser(description="A question spoken by Sonic, answered aloud.")
    parser.add_argument("question", nargs="?", default="What is the capital of France?")
    parser.add_argument("--out", default="answer.wav", type=Path)
    parser.add_argument("--pace", type=float, default=1.0, help="speech sent at x real time")
    args = parser.parse_args()
    url, key = gateway()
    tts, stt, chat = clients(url, key)
    try:
        async with tts, stt, chat:
            speech = await say(tts, args.question)  # or what your microphone records
            heard, answer, audio, stamps = await turn((tts, stt, chat), speech, [], args.pace)
    except (cartesia.APIStatusError, openai.APIStatusError) as error:
        fail(refusal(error), 1)
    except (OSError, cartesia.APIConnectionError, openai.APIConnectionError) as error:
        fail(f"cannot reach {url} ({error}): start the gateway (`make mock` for a local one)", 1)
    except Exception as error:  # a refused handshake carries the HTTP response
        if (status := getattr(getattr(error, "response", None), "status_code", None)) is None:
            raise
        fail(f"the gateway refused the WebSocket handshake: {status} {FIXES.get(status, '')}", 1)
    print(f"heard:  {heard}\nanswer: {answer}")
    for milestone, stamp in sorted(stamps.items(), key=lambda item: item[1]):
        print(f"{milestone:>16}: {(stamp - stamps['speech end']) * 1000:6.0f} ms after speech end")
    try:
        with open(args.out, "wb") as file, wave.open(file, "wb") as out:
            out.setparams((1, 2, ANSWER["sample_rate"], 0, "NONE", "not compressed"))
            out.writeframes(audio)
    except OSError as error:
        fail(f"cannot write {args.out} ({error.strerror}): pick a path in an existing folder")
    print(f"wrote {len(audio) / 2 / ANSWER['sample_rate']:.2f} s of the answer to {args.out}")


if __name__ == "__main__":
    asyncio.run(main())
