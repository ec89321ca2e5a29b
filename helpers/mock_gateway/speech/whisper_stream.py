"""Streaming recognition: partial transcripts that grow as audio arrives, finals on demand.

Every PARTIAL_STEP seconds of new audio, the utterance so far is decoded again, so a partial
can also correct its last words; when decoding is slow (a busy machine), partials come less
often, so that they take at most PARTIAL_WORK_SHARE of the audio's own duration. Past
COMMIT_AFTER seconds, the words before the last KEEP_SECONDS are settled, so each decode stays
well inside Whisper's 30-second window.
"""

from __future__ import annotations

import time

import numpy as np
import soxr

from .timed_speech import WordTiming, shift_words
from .whisper_stt import RATE, Transcript, WhisperEngine

PARTIAL_STEP = 0.5  # seconds of new audio between two partial decodes, at least
PARTIAL_WORK_SHARE = 1.0  # decoding time per second of audio that partials may use, at most
COMMIT_AFTER = 20.0  # seconds of unsettled audio that trigger settling
KEEP_SECONDS = 5.0  # seconds of audio left unsettled after settling


class StreamingRecognizer:
    """One stream: feed() audio from one task at a time, finalize() whenever a final is due."""

    def __init__(self, engine: WhisperEngine, sample_rate: int, language: str = "en") -> None:
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate <= 0:
            raise ValueError("sample_rate must be a positive integer, e.g. 16000")
        engine.model_for(language)  # an unknown language fails now, not at the first partial
        self._engine = engine
        self._language = language
        self._resampler = soxr.ResampleStream(sample_rate, RATE, 1, np.float32)
        self._audio = np.zeros(0, np.float32)  # 16 kHz, since the last final, not settled
        self._settled: list[WordTiming] = []
        self._began = 0.0  # stream time (seconds) of the last final: this utterance's start
        self._start = 0.0  # stream time (seconds) where self._audio begins
        self._decoded = 0  # len(self._audio) at the last partial decode
        self._step = PARTIAL_STEP  # seconds of new audio before the next partial decode
        self._partial = ""

    def feed(self, samples: np.ndarray) -> str | None:
        """Add audio; the transcript so far when it changed, else None."""
        samples = np.asarray(samples, dtype=np.float32).ravel()
        if len(samples):
            self._audio = np.concatenate([self._audio, self._resampler.resample_chunk(samples)])
        if len(self._audio) - self._decoded < self._step * RATE:
            return None
        began = time.perf_counter()
        if len(self._audio) > COMMIT_AFTER * RATE:
            self._settle()
        self._decoded = len(self._audio)
        pending = self._engine.text(self._audio, self._language)
        self._step = max(PARTIAL_STEP, (time.perf_counter() - began) / PARTIAL_WORK_SHARE)
        text = " ".join(part for part in (self._settled_text(), pending) if part)
        if text == self._partial:
            return None
        self._partial = text
        return text

    def _settled_text(self) -> str:
        return " ".join(w.word for w in self._settled)

    def _settle(self) -> None:
        """Settle the words that end before the last KEEP_SECONDS and drop their audio."""
        words = self._engine.words(self._audio, self._language, offset=self._start)
        cut_at = self._start + (len(self._audio) / RATE) - KEEP_SECONDS
        done = [w for w in words if w.end <= cut_at]
        if not done:
            return
        cut = int((done[-1].end - self._start) * RATE)
        self._settled += done
        self._audio = self._audio[cut:]
        self._start = done[-1].end
        self._decoded = 0

    def finalize(self) -> Transcript:
        """Every word since the last final, timed from that final; the stream goes on."""
        words = (*self._settled, *self._engine.words(self._audio, self._language, self._start))
        end = self._start + len(self._audio) / RATE
        text = " ".join(w.word for w in words)
        final = Transcript(
            text, shift_words(words, -self._began), self._language, round(end - self._began, 3)
        )
        self._began = self._start = end
        self._audio, self._settled = np.zeros(0, np.float32), []
        self._decoded, self._partial = 0, ""
        return final
