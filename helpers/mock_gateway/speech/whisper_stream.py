"""Streaming recognition: partial transcripts that grow as audio arrives, finals on demand.

Every PARTIAL_STEP seconds of new audio, the utterance so far is decoded again, so a partial
can also correct its last words; when decoding is slow (a busy machine), partials come less
often, so that they take at most PARTIAL_WORK_SHARE of the audio's own duration. Audio can be
added while a partial is being decoded (from another thread): the next partial decodes all of
it, so a stream sent faster than real time gets fewer partials, never a backlog of them. Past
COMMIT_AFTER seconds, the words before the last KEEP_SECONDS are settled, so each decode stays
well inside Whisper's 30-second window.
"""

from __future__ import annotations

import threading
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
    """One stream: add() audio from one task at a time, partial() from one other thread, and
    finalize() when no partial is being decoded; feed() does add() and partial() in turn."""

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
        self._lock = threading.Lock()  # add() may run while partial() decodes

    def feed(self, samples: np.ndarray) -> str | None:
        """Add audio; the transcript so far when a partial was due and it changed, else None."""
        self.add(samples)
        return self.partial() if self.partial_due() else None

    def add(self, samples: np.ndarray) -> None:
        """Add audio (quick: nothing is decoded)."""
        samples = np.asarray(samples, dtype=np.float32).ravel()
        if len(samples):
            resampled = self._resampler.resample_chunk(samples)
            with self._lock:
                self._audio = np.concatenate([self._audio, resampled])

    def partial_due(self) -> bool:
        """Whether enough audio came since the last partial decode for another one."""
        return len(self._audio) - self._decoded >= self._step * RATE

    def partial(self) -> str | None:
        """Decode all the audio so far: the transcript when it changed, else None."""
        began = time.perf_counter()
        if len(self._audio) > COMMIT_AFTER * RATE:
            self._settle()
        audio = self._audio
        self._decoded = len(audio)
        pending = self._engine.text(audio, self._language)
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
        audio = self._audio
        words = self._engine.words(audio, self._language, offset=self._start)
        cut_at = self._start + (len(audio) / RATE) - KEEP_SECONDS
        done = [w for w in words if w.end <= cut_at]
        if not done:
            return
        cut = int((done[-1].end - self._start) * RATE)
        self._settled += done
        with self._lock:  # audio added meanwhile is kept: it comes after the cut
            self._audio = self._audio[cut:]
        self._start = done[-1].end
        self._decoded = 0

    def finalize(self) -> Transcript:
        """Every word since the last final, timed from that final; the stream goes on."""
        audio = self._audio
        words = (*self._settled, *self._engine.words(audio, self._language, self._start))
        end = self._start + len(audio) / RATE
        text = " ".join(w.word for w in words)
        final = Transcript(
            text, shift_words(words, -self._began), self._language, round(end - self._began, 3)
        )
        self._began = self._start = end
        with self._lock:
            self._audio = self._audio[len(audio) :]  # none, unless added during the decode
        self._settled = []
        self._decoded, self._partial = 0, ""
        return final
