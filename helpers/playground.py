"""A JupyterLab playground (ipywidgets): speak text with Sonic, transcribe it back with Ink."""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import ipywidgets as widgets
from cartesia.types import (
    MP3OutputFormatParam,
    RawOutputFormatParam,
    STTTranscribeResponse,
    WAVOutputFormatParam,
)

from helpers.audio import describe_audio, play
from helpers.clients import gateway_headers, stt_client, tts_client
from helpers.config import Settings
from helpers.error_lines import OneLineError, describe_error

# Public Cartesia voices the playground offers, by catalog name (the mock speaks these too).
VOICES = {
    "Barbershop Man": "a0e99841-438c-4a64-b679-ae501e7d6091",
    "Helpful Woman": "156fb8d2-335b-4950-9cb3-a2d33befec77",
    "Newsman": "d46abd1d-2d02-43e8-819f-51fb652c1c61",
    "British Lady": "79a125e8-cd45-4c13-8a67-188112f4dd22",
}

OutputFormat = WAVOutputFormatParam | RawOutputFormatParam | MP3OutputFormatParam

OUTPUT_FORMATS: dict[str, OutputFormat] = {
    "WAV 16-bit 44.1 kHz": {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 44100},
    "WAV float 24 kHz": {"container": "wav", "encoding": "pcm_f32le", "sample_rate": 24000},
    "MP3 128k 44.1 kHz": {"container": "mp3", "bit_rate": 128000, "sample_rate": 44100},
    "Raw 16-bit 16 kHz": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000},
}

# `GET /models` does not say a model's type, so the playground goes by Cartesia's naming:
# Sonic models speak (text to speech), Ink models listen (speech to text).
TTS_PREFIX = "sonic"
STT_PREFIX = "ink"

CSS = """<style>
.cartesia-playground-error { color: #b00020; font-weight: 600; }
.cartesia-playground-transcript table { border-collapse: collapse; font-size: 0.9em; }
.cartesia-playground-transcript td, .cartesia-playground-transcript th { padding: 1px 8px; }
</style>"""


class PlaygroundError(OneLineError):
    """Input the playground cannot send; the message says what to do."""


@dataclass(frozen=True)
class Clip:
    """The audio the Transcribe button sends: spoken by Speak or uploaded."""

    data: bytes
    filename: str
    output_format: OutputFormat | None  # how Speak asked for it; None for an uploaded file


def list_models(settings: Settings, timeout: float = 10.0) -> tuple[list[str], list[str]]:
    """`GET {gateway}/models` for the key: (TTS, STT) model names in the settings' account."""
    response = httpx.get(
        f"{settings.gateway_base_url}/models",
        # x-tfy-api-key as on every gateway route; OpenAI-style clients send the same key as Bearer.
        headers={**gateway_headers(settings), "Authorization": f"Bearer {settings.tfy_api_key}"},
        timeout=timeout,
    )
    response.raise_for_status()
    prefix = f"{settings.provider_account}/"
    names = sorted(
        entry["id"].removeprefix(prefix)
        for entry in response.json().get("data", [])
        if entry.get("id", "").startswith(prefix)
    )
    tts = [name for name in names if name.startswith(TTS_PREFIX)]
    stt = [name for name in names if name.startswith(STT_PREFIX)]
    return tts, stt


class Playground:
    """Text box, voice/model/format pickers and speed in; audio, timing and transcript out."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tts = tts_client(settings)
        self.stt = stt_client(settings)
        self.last_clip: Clip | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._build_widgets()
        self._fill_models()

    # --- what the buttons do (also callable from code: `await playground.speak()`) ---

    async def speak(self, text: str | None = None) -> bytes:
        """Send `text` (default: the box's) to `tts.generate`, streamed; show, time, keep it."""
        with self._action(self.speak_button, "Speaking…"):
            text = (self.text.value if text is None else text).strip()
            if not text:
                raise PlaygroundError("Nothing to speak: type some text in the box first.")
            if not self.tts_model.value:
                raise PlaygroundError(self._no_model_message("text-to-speech", TTS_PREFIX))
            output_format = OUTPUT_FORMATS[str(self.output_format.value)]
            started = time.perf_counter()
            first_bytes_after = 0.0
            chunks: list[bytes] = []
            async with self.tts.tts.with_streaming_response.generate(
                model_id=self.tts_model.value,
                transcript=text,
                voice={"id": str(self.voice.value)},
                language="en",
                output_format=output_format,
                generation_config={"speed": self.speed.value},
            ) as response:
                async for chunk in response.iter_bytes():
                    if not chunks:
                        first_bytes_after = time.perf_counter() - started
                    chunks.append(chunk)
            total_after = time.perf_counter() - started
            audio = b"".join(chunks)
            if not audio:
                raise PlaygroundError("The gateway answered with no audio: try another model.")
            extension = "pcm" if output_format["container"] == "raw" else output_format["container"]
            self.last_clip = Clip(audio, f"speech.{extension}", output_format)
            self.audio.outputs = ()
            self.audio.append_display_data(play(audio, output_format))
            self.timing.value = (
                f"First audio bytes after {first_bytes_after * 1000:.0f} ms, all of it after "
                f"{total_after * 1000:.0f} ms (bytes endpoint, streamed) · "
                f"{describe_audio(audio, output_format)}"
            )
            self._show_source()
            return audio

    async def transcribe(self) -> STTTranscribeResponse:
        """Send the last clip to `stt.transcribe` with word timestamps and show the transcript."""
        with self._action(self.transcribe_button, "Transcribing…"):
            clip = self.last_clip
            if clip is None:
                raise PlaygroundError("Nothing to transcribe: click Speak or upload a file first.")
            if not self.stt_model.value:
                raise PlaygroundError(self._no_model_message("speech-to-text", STT_PREFIX))
            raw: dict[str, Any] = {}
            if clip.output_format and clip.output_format["container"] == "raw":
                raw = {
                    "encoding": clip.output_format["encoding"],
                    "sample_rate": clip.output_format["sample_rate"],
                }
            result = await self.stt.stt.transcribe(
                file=(clip.filename, clip.data),
                model=self.stt_model.value,
                language="en",
                timestamp_granularities=["word"],
                **raw,
            )
            self.transcript.value = _transcript_html(result)
            return result

    # --- plumbing: widgets, background tasks, error display ---

    def _build_widgets(self) -> None:
        settings = self.settings
        voices = dict(VOICES)
        if settings.voice_id not in voices.values():
            voices["Your VOICE_ID"] = settings.voice_id
        self.text = widgets.Textarea(
            value="Hello from Cartesia through the TrueFoundry gateway.",
            placeholder="Type what Sonic should say",
            layout=widgets.Layout(width="100%", height="5em"),
        )
        self.voice = widgets.Dropdown(options=voices, value=settings.voice_id, description="Voice")
        self.tts_model = widgets.Dropdown(description="TTS model")
        self.output_format = widgets.Dropdown(options=list(OUTPUT_FORMATS), description="Format")
        self.speed = widgets.FloatSlider(
            value=1.0, min=0.6, max=1.5, step=0.05, description="Speed", readout_format=".2f"
        )
        self.speak_button = widgets.Button(description="Speak", button_style="primary", icon="play")
        self.timing = widgets.HTML()
        self.audio = widgets.Output()
        self.stt_model = widgets.Dropdown(description="STT model")
        self.upload = widgets.FileUpload(accept="audio/*", description="Upload")
        self.transcribe_button = widgets.Button(description="Transcribe", icon="file-text")
        self.source = widgets.HTML()
        self.transcript = widgets.HTML()
        self.error = widgets.HTML()
        self.status = widgets.HTML()
        for widget, name in (
            (self.text, "text"),
            (self.speak_button, "speak"),
            (self.audio, "audio"),
            (self.upload, "upload"),
            (self.transcribe_button, "transcribe"),
            (self.transcript, "transcript"),
            (self.error, "error"),
        ):
            widget.add_class(f"cartesia-playground-{name}")
        self.speak_button.on_click(lambda _: self._in_background(self.speak()))
        self.transcribe_button.on_click(lambda _: self._in_background(self.transcribe()))
        self.upload.observe(self._on_upload, names="value")
        self._show_source()
        self.widget = widgets.VBox(
            [
                widgets.HTML(CSS + "<b>Text to speech</b>"),
                self.text,
                widgets.HBox([self.voice, self.tts_model]),
                widgets.HBox([self.output_format, self.speed]),
                widgets.HBox([self.speak_button, self.status]),
                self.timing,
                self.audio,
                widgets.HTML("<b>Speech to text</b>"),
                widgets.HBox([self.stt_model, self.upload, self.transcribe_button]),
                self.source,
                self.transcript,
                self.error,
            ],
            layout=widgets.Layout(max_width="900px"),
        )

    def _fill_models(self) -> None:
        try:
            tts, stt = list_models(self.settings)
        except Exception as error:  # keep the configured models so the playground still works
            self.error.value = html.escape(f"Listing models failed: {describe_error(error)}")
            tts, stt = [self.settings.tts_model], [self.settings.stt_model]
        self.tts_model.options = tts
        self.stt_model.options = stt
        if self.settings.tts_model in tts:
            self.tts_model.value = self.settings.tts_model
        if self.settings.stt_model in stt:
            self.stt_model.value = self.settings.stt_model

    def _in_background(self, work: Awaitable[Any]) -> None:
        """Run a button's coroutine on the kernel's own event loop; its errors are shown already."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)  # keep a reference until it finishes
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved, so asyncio logs nothing: `_action` displayed it

    @contextmanager
    def _action(self, button: widgets.Button, doing: str) -> Iterator[None]:
        """Disable `button` while it works; show any failure as one line in the error display."""
        button.disabled = True
        self.error.value = ""
        self.status.value = html.escape(doing)
        try:
            yield
        except Exception as error:
            line = str(error) if isinstance(error, PlaygroundError) else describe_error(error)
            self.error.value = html.escape(line)
            raise
        finally:
            button.disabled = False
            self.status.value = ""

    def _on_upload(self, change: dict[str, Any]) -> None:
        if change["new"]:
            upload = change["new"][0]
            self.last_clip = Clip(bytes(upload["content"]), upload["name"], None)
            self.upload.value = ()  # so uploading the same file again counts as a new upload
            self._show_source()

    def _show_source(self) -> None:
        clip = self.last_clip
        where = "nothing yet: click Speak or upload a file" if clip is None else clip.filename
        self.source.value = f"Transcribe sends: <code>{html.escape(where)}</code>"

    def _no_model_message(self, kind: str, prefix: str) -> str:
        return (
            f"Your key may use no {kind} model ({prefix}-*) in provider account "
            f"'{self.settings.provider_account}': register one or ask for access."
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return self.widget._repr_mimebundle_(**kwargs)


def _transcript_html(result: STTTranscribeResponse) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(word.word)}</td><td>{word.start:.2f}</td><td>{word.end:.2f}</td></tr>"
        for word in result.words or ()
    )
    table = (
        f"<table><tr><th>word</th><th>start (s)</th><th>end (s)</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return f'<p class="transcript-text">{html.escape(result.text)}</p>{table}'
