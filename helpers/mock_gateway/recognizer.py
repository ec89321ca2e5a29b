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
from itertools import pairwise

import numpy as np
import soxr
from pocketsphinx import Decoder

from . import undocumented as guess
from .audio_encoding import resample
from .speech.espeak_tts import Speech, WordTiming

RECOGNIZER_RATE = 16000  # pocketsphinx's en-us model


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[WordTiming, ...]
    language: str
    duration: float


# Audio fingerprints: band energies of 20 ms frames every 10 ms, at telephone bandwidth (8 kHz,
# what mu-law/A-law keep), in dB relative to the loudest frame, leading/trailing silence trimmed.
_RATE = 8000
_WINDOW, _HOP = 160, 80
_BAND_EDGES = (2, 10, 20, 35, 55, 80, 128)  # FFT bins of 31.25 Hz: 60 Hz .. 4 kHz
_SILENCE_DB = 40.0  # frames this far below the loudest are silence
_FLOOR_DB = 45.0  # band energies are floored this far below the loudest
_MAX_LAG = 5  # frames (50 ms) an encoder may shift the audio by
_CODEC_DELAY = 0.1  # seconds
_MAX_LENGTH_DIFFERENCE = 3  # frames of speech span
_MATCH = 0.8  # correlation over the whole span
_WINDOW_MATCH = 0.85  # and over every half second of it (a changed word fails this)
_CHECK_WINDOW = 50  # frames
_MIN_PREFIX = 100  # frames of streamed speech before a partial may be matched
_DECODE_MARGIN = 0.3  # seconds of silence kept around speech for pocketsphinx
_UNDECIDED = 3.0  # seconds of streamed audio after which pocketsphinx runs anyway
_RECHECK = 10  # frames of new streamed audio before the memory is searched again


@dataclass(frozen=True)
class _Fingerprint:
    bands: np.ndarray  # frames x bands, dB, trimmed to the speech span
    lead: float  # seconds of silence trimmed from the start


def _fingerprint(samples: np.ndarray, sample_rate: int) -> _Fingerprint:
    return _as_fingerprint(_band_power(resample(samples, sample_rate, _RATE)))


def _band_power(audio: np.ndarray) -> np.ndarray:
    """Power in each band of each whole frame of 8 kHz audio (frames x bands)."""
    count = max(0, (len(audio) - _WINDOW) // _HOP + 1)
    frames = audio[np.arange(_WINDOW)[None, :] + _HOP * np.arange(count)[:, None]]
    power = np.abs(np.fft.rfft(frames * np.hanning(_WINDOW), 256, axis=1)) ** 2
    bands = [power[:, lo:hi].sum(axis=1) for lo, hi in pairwise(_BAND_EDGES)]
    return np.stack(bands, axis=1).reshape(count, len(bands))


def _as_fingerprint(bands: np.ndarray) -> _Fingerprint:
    if len(bands) == 0:
        return _Fingerprint(np.zeros((0, len(_BAND_EDGES) - 1), np.float32), 0.0)
    total = 10.0 * np.log10(bands.sum(axis=1) + 1e-10)
    loud = np.flatnonzero(total > total.max() - _SILENCE_DB)
    decibels = 10.0 * np.log10(bands[loud[0] : loud[-1] + 1] + 1e-10)
    decibels = np.maximum(decibels, decibels.max() - _FLOOR_DB)  # codec noise reads as silence
    return _Fingerprint(decibels.astype(np.float32), loud[0] * _HOP / _RATE)


class _BandMeter:
    """_band_power of audio that arrives piece by piece (any rate), kept up to date cheaply."""

    def __init__(self, sample_rate: int) -> None:
        self._resampler = soxr.ResampleStream(sample_rate, _RATE, 1, np.float32)
        self._tail = np.zeros(0, np.float32)
        self._power: list[np.ndarray] = []
        self.frames = 0

    def add(self, samples: np.ndarray) -> None:
        audio = np.concatenate([self._tail, self._resampler.resample_chunk(samples)])
        power = _band_power(audio)
        self._tail = audio[len(power) * _HOP :]
        self._power.append(power)
        self.frames += len(power)

    def fingerprint(self) -> _Fingerprint:
        return _as_fingerprint(np.concatenate(self._power))


def _correlations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of a with the same row of b (-1 where one is flat)."""
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    scale = np.sqrt(np.einsum("ij,ij->i", a, a) * np.einsum("ij,ij->i", b, b))
    dot = np.einsum("ij,ij->i", a, b)
    return np.where(scale > 0, dot / np.where(scale > 0, scale, 1.0), -1.0)


def _align(heard: np.ndarray, known: np.ndarray) -> tuple[float, int] | None:
    """(score, lag in frames) when two band-energy sequences are the same sound, else None.

    Compared on their common length, so a prefix of a known sound matches it too.
    """
    scores = []
    for lag in range(-_MAX_LAG, _MAX_LAG + 1):
        x, y = _overlap(heard, known, lag)
        scores.append((float(_correlations(x.reshape(1, -1), y.reshape(1, -1))[0]), lag))
    best, lag = max(scores)
    if best < _MATCH:
        return None
    x, y = _overlap(heard, known, lag)
    if len(x) > _CHECK_WINDOW:  # every half second, windows overlapping by half
        starts = np.arange(0, len(x) - _CHECK_WINDOW + 1, _CHECK_WINDOW // 2)
        rows = starts[:, None] + np.arange(_CHECK_WINDOW)[None, :]
        x, y = x[rows].reshape(len(starts), -1), y[rows].reshape(len(starts), -1)
    else:
        x, y = x.reshape(1, -1), y.reshape(1, -1)
    if _correlations(x, y).min() < _WINDOW_MATCH:
        return None
    return best, lag


def _overlap(a: np.ndarray, b: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = (a[lag:], b) if lag >= 0 else (a, b[-lag:])
    n = min(len(x), len(y))
    return x[:n], y[:n]


@dataclass(frozen=True)
class _Remembered:
    fingerprint: _Fingerprint
    text: str
    words: tuple[WordTiming, ...]
    language: str

    def shift(self, heard: _Fingerprint, lag: int) -> float:
        """Seconds the heard audio is behind this speech (silence added or cut before it).

        Shifts under _CODEC_DELAY are an encoder's delay (MP3 adds up to ~85 ms): ignored.
        """
        shift = float(heard.lead - self.fingerprint.lead + lag * _HOP / _RATE)
        return shift if abs(shift) >= _CODEC_DELAY else 0.0

    def words_heard(self, shift: float) -> tuple[WordTiming, ...]:
        if not shift:
            return self.words
        return tuple(
            WordTiming(
                w.word, round(max(0.0, w.start + shift), 3), round(max(0.0, w.end + shift), 3)
            )
            for w in self.words
        )


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
        fingerprint = _fingerprint(speech.samples, speech.sample_rate)
        item = _Remembered(fingerprint, text.strip(), speech.words, language)
        with self._lock:
            self._memory.append(item)

    def _recall(self, heard: _Fingerprint, *, prefix: bool = False):
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
            aligned = _align(heard.bands, known)
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
        start, end = _speech_span(audio, RECOGNIZER_RATE)
        if end <= start:
            return ()
        with self._decoder() as decoder:
            decoder.start_utt()
            decoder.process_raw(_to_pcm16(audio[start:end]), full_utt=True)
            decoder.end_utt()
            words = _words(decoder)
        offset = start / RECOGNIZER_RATE
        return tuple(
            WordTiming(w.word, round(w.start + offset, 3), round(w.end + offset, 3)) for w in words
        )

    def _recall_exact(self, samples: np.ndarray, sample_rate: int, duration: float):
        heard = _fingerprint(samples, sample_rate)
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
        self._meter = _BandMeter(self._sample_rate)
        self._checked_at = -_RECHECK  # meter frames when the memory was last searched
        self._partial = ""

    def feed(self, samples: np.ndarray) -> str | None:
        """Add audio; returns the transcript so far when it changed, else None."""
        samples = np.asarray(samples, dtype=np.float32).ravel()
        if len(samples) == 0:
            return None
        self._chunks.append(samples)
        self._pending.append(_to_pcm16(self._resampler.resample_chunk(samples)))
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
                now = self._meter.frames * _HOP / _RATE
                words = item.words_heard(item.shift(heard, lag))
                return " ".join(w.word for w in words if w.end <= now)
            if len(heard.bands) < _MIN_PREFIX and self._meter.frames * _HOP < _UNDECIDED * _RATE:
                return None  # too little speech yet to tell
        hypothesis = self._decode_pending().hyp()
        return _clean_text(hypothesis.hypstr) if hypothesis is not None else ""

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
            self._pending.append(_to_pcm16(self._resampler.resample_chunk(audio[:0], last=True)))
            decoder = self._decode_pending()
            self._decoder = None
            self._start()
            decoder.end_utt()
            words = _words(decoder)
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


def _speech_span(audio: np.ndarray, rate: int) -> tuple[int, int]:
    """Sample range of audio without its leading and trailing silence (kept: a margin)."""
    frame = rate // 100
    count = len(audio) // frame
    if count == 0:
        return 0, 0
    energy = np.square(audio[: count * frame], dtype=np.float64).reshape(count, frame).mean(axis=1)
    decibels = 10.0 * np.log10(energy + 1e-12)
    loud = np.flatnonzero((decibels > decibels.max() - _SILENCE_DB) & (decibels > -75.0))
    if len(loud) == 0:
        return 0, 0
    margin = int(_DECODE_MARGIN * rate)
    return max(0, loud[0] * frame - margin), min(len(audio), (loud[-1] + 1) * frame + margin)


def _to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def _clean_word(word: str) -> str | None:
    """A dictionary word without its "(2)" variant mark; None for silences and fillers."""
    if word.startswith(("<", "[", "+")):
        return None
    return word.split("(")[0]


def _clean_text(hypothesis: str) -> str:
    return " ".join(w for w in (_clean_word(word) for word in hypothesis.split()) if w)


def _words(decoder: Decoder) -> tuple[WordTiming, ...]:
    """The words of the decoder's last utterance with their times."""
    rate = float(decoder.config["frate"])
    words = []
    for segment in decoder.seg() or ():  # None when nothing was recognized
        word = _clean_word(segment.word)
        if word:
            words.append(
                WordTiming(
                    word,
                    round(segment.start_frame / rate, 3),
                    round((segment.end_frame + 1) / rate, 3),
                )
            )
    return tuple(words)
