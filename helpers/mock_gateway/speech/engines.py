"""The neural engines of this process: loaded once, in the background, when a mock starts."""

from __future__ import annotations

from . import piper_tts, whisper_stt


def start_loading() -> None:
    """Begin loading Piper and Whisper in background threads (no-op once begun)."""
    piper_tts.ENGINE.start()
    whisper_stt.ENGINE.start()


def wait_until_loaded() -> None:
    """Return once both are loaded; a load's error (e.g. a corrupted model file) is raised."""
    piper_tts.ENGINE.get()
    whisper_stt.ENGINE.get()
