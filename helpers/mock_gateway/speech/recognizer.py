"""Offline speech recognition: pocketsphinx for real speech, exact recall of the mock's own speech.

eSpeak's robotic voice is recognized poorly by pocketsphinx, so the recognizer remembers what
the TTS routes synthesized and, when an upload is that audio again (resampled, re-encoded as
mu-law, A-law or MP3, louder or softer, cut into chunks and rejoined), returns the remembered
text and word times exactly: a documented test-double convenience. Anything else is recognized
for real with pocketsphinx's bundled US English model, whatever language was asked for: the
Transcript then says so (undocumented.RECOGNITION_LANGUAGE, "en").
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import soxr
from pocketsphinx import Decoder

from .. import undocumented as guess
from .audio_encoding import resample
from .fingerprints import FRAME_SECONDS, BandMeter, Fingerprint, align, fingerprint
from .pocketsphinx_words import clean_text, decoded_words, speech_span, to_pcm16
from .timed_speech import Speech, WordTiming, shift_words

RECOGNIZER_RATE = 16000  # pocketsphinx's en-us model


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[WordTiming, ...]
    language: str
    duration: float


_CODEC_DELAY = 0.1  # seconds
_MAX_LENGTH_DIFFERENCE = 3  # frames of speech span
_MIN_PREFIX = 100  # frames of streamed speech before a partial may be matched
_UNDECIDED = 3.0  # seconds of streamed audio after which pocketsphinx runs anyway
_RECHECK = 10  # frames of new streamed audio before the memory is searched again


@dataclass(frozen=True)
class _Remembered:
    fingerprint: Fingerprint
    text: str
    words: tuple[WordTiming, ...]
    language: str

    def shift(self, heard: Fingerprint, lag: int) -> float:
        """Seconds the heard audio is behind this speech (silence added or cut before it).

        Shifts under _CODEC_DELAY are an encoder's delay (MP3 adds up to ~85 ms): ignored.
        """
        shift = float(heard.lead - self.fingerprint.lead + lag * FRAME_SECONDS)
        return shift if abs(shift) >= _CODEC_DELAY else 0.0

    def words_heard(self, shift: float) -> tuple[WordTiming, ...]:
        if not shift:
            return self.words
        return shift_words(self.words, shift)


class Recognizer:
    """Speech to text for one gateway, thread-safe.

    pocketsphinx decoders (about 0.4 s and 90 MB to load) are reused: a request takes an idle
    one or, when all are busy, loads another; up to max_idle_decoders are kept for later.
    """

    def __init__(self, *, max_idle_decoders: int = 2, memory: int = 500) -> None:
        self._lock = threading.Lock()
        self._memory: deque[_Remembered] = deque(maxlen=memory)
        self._idle: list[Decoder] = []
        self._max_idle = max_idle_decoders

    def remember(self, speech: Speech, text: str, *, language: str = "en") -> None:
        """Note synthesized speech and its text, to be transcribed back exactly."""
        if not speech.words:
            return
        item = _Remembered(
            fingerprint(speech.samples, speech.sample_rate), text.strip(), speech.words, language
        )
        with self._lock:
            self._memory.append(item)

    def _recall(self, heard: Fingerprint, *, prefix: bool = False):
        """The remembered speech this audio is (or, with prefix, begins), and its lag."""
        with self._lock:
            memory = list(self._memory)
        length = len(heard.bands)
        best = None
        for item in reversed(memory):  # newest first
            known = item.fingerprint.bands
            if prefix:
                if length < _MIN_PREFIX or length > len(known) + _MAX_LENGTH_DIFFERENCE:
                    continue
            elif abs(len(known) - length) > _MAX_LENGTH_DIFFERENCE:
                continue
            aligned = align(heard.bands, known)
            if aligned is not None and (best is None or aligned[0] > best[0]):
                best = (aligned[0], aligned[1], item)
        return None if best is None else (best[2], best[1])

    def transcribe(
        self, samples: np.ndarray, sample_rate: int, *, language: str = "en"
    ) -> Transcript:
        """Text and word times of mono float samples."""
        samples = np.asarray(samples, dtype=np.float32).ravel()
        duration = round(len(samples) / sample_rate, 3)
        recalled = self._recall_exact(samples, sample_rate, duration)
        if recalled is not None:
            return recalled
        words = self._recognize(samples, sample_rate)
        return Transcript(
            " ".join(w.word for w in words), words, guess.RECOGNITION_LANGUAGE, duration
        )

    def _recognize(self, samples: np.ndarray, sample_rate: int) -> tuple[WordTiming, ...]:
        """pocketsphinx's words for a whole utterance (batch CMN: the most accurate mode)."""
        audio = resample(samples, sample_rate, RECOGNIZER_RATE)
        start, end = speech_span(audio, RECOGNIZER_RATE)
        if end <= start:
            return ()
        with self._decoder() as decoder:
            decoder.start_utt()
            decoder.process_raw(to_pcm16(audio[start:end]), full_utt=True)
            decoder.end_utt()
            words = decoded_words(decoder)
        return shift_words(words, start / RECOGNIZER_RATE)

    def _recall_exact(self, samples: np.ndarray, sample_rate: int, duration: float):
        heard = fingerprint(samples, sample_rate)
        found = self._recall(heard)
        if found is None:
            return None
        item, lag = found
        words = item.words_heard(item.shift(heard, lag))
        return Transcript(item.text, words, item.language, duration)

    def stream(self, sample_rate: int, *, language: str = "en") -> RecognitionStream:
        """A streaming session: feed() audio as it arrives, finalize() for the transcript."""
        return RecognitionStream(self, sample_rate)

    def preload(self) -> None:
        """Load one pocketsphinx decoder now, so the first request does not wait for it."""
        with self._decoder():
            pass

    @contextmanager
    def _decoder(self) -> Iterator[Decoder]:
        """A decoder for the caller's exclusive use; one that raised is dropped, not reused."""
        decoder = self._acquire()
        yield decoder
        self._release(decoder)

    def _acquire(self) -> Decoder:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return Decoder(logfn=os.devnull)

    def _release(self, decoder: Decoder) -> None:
        with self._lock:
            if len(self._idle) < self._max_idle:
                self._idle.append(decoder)


class RecognitionStream:
    """One streaming-STT session: feed it from one task at a time; close() when abandoned.

    While the audio so far is the start of something the mock synthesized, partials come
    from that and pocketsphinx is not run; otherwise it decodes incrementally.
    """

    def __init__(self, recognizer: Recognizer, sample_rate: int) -> None:
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate <= 0:
            raise ValueError("sample_rate must be a positive integer, e.g. 16000")
        self._recognizer = recognizer
        self._sample_rate = sample_rate
        self._decoder: Decoder | None = None
        self._start()

    def _start(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._pending: list[bytes] = []  # 16 kHz PCM not yet given to pocketsphinx
        self._resampler = soxr.ResampleStream(self._sample_rate, RECOGNIZER_RATE, 1, np.float32)
        self._meter = BandMeter(self._sample_rate)
        self._checked_at = -_RECHECK  # meter frames when the memory was last searched
        self._partial = ""

    def feed(self, samples: np.ndarray) -> str | None:
        """Add audio; returns the transcript so far when it changed, else None."""
        samples = np.asarray(samples, dtype=np.float32).ravel()
        if len(samples) == 0:
            return None
        self._chunks.append(samples)
        self._pending.append(to_pcm16(self._resampler.resample_chunk(samples)))
        if self._decoder is None:
            self._meter.add(samples)
        text = self._partial_text()
        if text is None or text == self._partial:
            return None
        self._partial = text
        return text

    def _partial_text(self) -> str | None:
        if self._decoder is None:
            if self._meter.frames - self._checked_at < _RECHECK:
                return None
            self._checked_at = self._meter.frames
            heard = self._meter.fingerprint()
            found = self._recognizer._recall(heard, prefix=True)
            if found is not None:
                item, lag = found
                now = self._meter.frames * FRAME_SECONDS
                words = item.words_heard(item.shift(heard, lag))
                return " ".join(w.word for w in words if w.end <= now)
            if len(heard.bands) < _MIN_PREFIX and self._meter.frames * FRAME_SECONDS < _UNDECIDED:
                return None  # too little speech yet to tell
        hypothesis = self._decode_pending().hyp()
        return clean_text(hypothesis.hypstr) if hypothesis is not None else ""

    def _decode_pending(self) -> Decoder:
        if self._decoder is None:
            self._decoder = self._recognizer._acquire()
            # start from the model's cepstral mean, not the last utterance's (it may be unlike)
            self._decoder.set_cmn(self._decoder.config["cmninit"])
            self._decoder.start_utt()
        for pcm in self._pending:
            if pcm:
                self._decoder.process_raw(pcm)
        self._pending = []
        return self._decoder

    def finalize(self) -> Transcript:
        """The transcript of the audio fed since the last finalize; the session goes on."""
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.float32)
        duration = round(len(audio) / self._sample_rate, 3)
        recalled = self._recognizer._recall_exact(audio, self._sample_rate, duration)
        if recalled is not None:
            self.close()
            return recalled
        if self._decoder is None:  # too little audio to have started pocketsphinx: do it now
            self._start()
            words = self._recognizer._recognize(audio, self._sample_rate)
        else:
            self._pending.append(to_pcm16(self._resampler.resample_chunk(audio[:0], last=True)))
            decoder = self._decode_pending()
            self._decoder = None
            self._start()
            decoder.end_utt()
            words = decoded_words(decoder)
            self._recognizer._release(decoder)
        return Transcript(
            " ".join(w.word for w in words), words, guess.RECOGNITION_LANGUAGE, duration
        )

    def close(self) -> None:
        """End the utterance without a transcript and give the decoder back."""
        decoder, self._decoder = self._decoder, None
        self._start()
        if decoder is not None:
            decoder.end_utt()
            self._recognizer._release(decoder)
