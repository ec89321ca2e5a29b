"""Speech to text for the routes: every upload and every stream is heard by Whisper."""

from __future__ import annotations

import numpy as np

from . import whisper_stt
from .whisper_stream import StreamingRecognizer
from .whisper_stt import Transcript


class Recognizer:
    """The gateway's recognizer: Whisper, loaded once per process (in the background)."""

    def transcribe(
        self, samples: np.ndarray, sample_rate: int, *, language: str = "en"
    ) -> Transcript:
        """Text and word times of mono float samples."""
        return whisper_stt.ENGINE.get().transcribe(samples, sample_rate, language)

    def stream(self, sample_rate: int, *, language: str = "en") -> StreamingRecognizer:
        """A streaming session: feed() audio as it arrives, finalize() for each final."""
        return StreamingRecognizer(whisper_stt.ENGINE.get(), sample_rate, language)
