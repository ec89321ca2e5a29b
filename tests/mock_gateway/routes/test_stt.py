"""Contract tests of the mock's STT routes: batch upload and the two streaming WebSockets."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile
from cartesia import AsyncCartesia, BadRequestError, PermissionDeniedError
from cartesia._exceptions import APIStatusError
from support import VOICE_ID

from helpers.mock_gateway import undocumented

SPOKEN = "Please call Stella. Ask her to bring these things with her from the store."
SHORT = "Please call Stella. Bring her home."
SAMPLE_WORDS = {"magnetic", "resonance", "imaging", "is", "clinically", "relevant"}


async def speak(tts: AsyncCartesia, text: str, fmt: dict) -> bytes:
    response = await tts.tts.generate(
        model_id="sonic-3.5",
        transcript=text,
        voice={"mode": "id", "id": VOICE_ID},
        output_format=fmt,
    )
    return await response.read()


@pytest.fixture
async def spoken_wav(tts: AsyncCartesia) -> bytes:
    return await speak(
        tts, SPOKEN, {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}
    )


async def test_the_mocks_speech_is_recognized_with_word_times(
    stt: AsyncCartesia, spoken_wav: bytes, word_error_rate
) -> None:
    result = await stt.stt.transcribe(
        file=("speech.wav", spoken_wav, "audio/wav"),
        model="ink-whisper",
        language="en",
        timestamp_granularities=["word"],
    )
    assert result.type == "transcript" and word_error_rate([SPOKEN], [result.text]) <= 0.1
    assert [w.word for w in result.words] == result.text.split()
    assert all(
        a.end <= b.start + 0.01 for a, b in zip(result.words, result.words[1:], strict=False)
    )
    assert result.language == "en" and result.request_id
    assert result.duration == pytest.approx(
        soundfile.info(io.BytesIO(spoken_wav)).duration, abs=0.01
    )
    assert all(w.start <= w.end <= result.duration + 0.01 for w in result.words)


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_language_is_the_one_the_request_specified(
    stt: AsyncCartesia, tts: AsyncCartesia
) -> None:
    french = await tts.tts.generate(
        model_id="sonic-3.5",
        transcript="Bonjour tout le monde.",
        voice="a249eaff-1e96-4d2c-b23b-12efa4f66f41",
        language="fr",
        output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000},
    )
    audio = await french.read()
    result = await stt.stt.transcribe(file=("fr.wav", audio), model="ink-whisper", language="fr")
    assert result.language == "fr" and "monde" in result.text.lower(), result.text
    default = await stt.stt.transcribe(file=("fr.wav", audio), model="ink-whisper")
    assert default.language == "en"  # the SDK documents en as the default


async def test_words_only_when_asked(stt: AsyncCartesia, spoken_wav: bytes) -> None:
    result = await stt.stt.transcribe(file=("speech.wav", spoken_wav), model="ink-whisper")
    assert "stella" in result.text.lower() and result.words is None


@pytest.mark.slow  # test-fast keeps the decoding of every format in speech/test_audio_decoding
@pytest.mark.parametrize("container", ["FLAC", "OGG", "MP3"])
async def test_other_containers_are_decoded(
    stt: AsyncCartesia, spoken_wav: bytes, container: str, word_error_rate
) -> None:
    samples, rate = soundfile.read(io.BytesIO(spoken_wav), dtype="float32")
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=container)
    result = await stt.stt.transcribe(
        file=(f"speech.{container.lower()}", buffer.getvalue()), model="ink-whisper"
    )
    assert word_error_rate([SPOKEN], [result.text]) <= 0.1, result.text


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_raw_pcm_with_encoding_and_sample_rate(
    stt: AsyncCartesia, tts: AsyncCartesia, word_error_rate
) -> None:
    raw = await speak(
        tts, SPOKEN, {"container": "raw", "encoding": "pcm_mulaw", "sample_rate": 8000}
    )
    result = await stt.stt.transcribe(
        file=("speech.raw", raw), model="ink-whisper", encoding="pcm_mulaw", sample_rate=8000
    )
    assert word_error_rate([SPOKEN], [result.text]) <= 0.15, result.text
    assert result.duration == pytest.approx(len(raw) / 8000, abs=0.01)


@pytest.mark.slow
async def test_real_speech_is_recognized(stt: AsyncCartesia, sonic_sample_wav: Path) -> None:
    result = await stt.stt.transcribe(
        file=sonic_sample_wav, model="ink-whisper", timestamp_granularities=["word"]
    )
    heard = set(result.text.lower().replace(".", "").split())
    assert len(SAMPLE_WORDS & heard) >= 5, result.text
    assert result.duration == pytest.approx(soundfile.info(sonic_sample_wav).duration, abs=0.01)
    assert result.words and result.words[0].start < result.words[-1].end


@pytest.mark.parametrize(
    ("upload", "needle"),
    [(b"", "empty"), (b"this is not audio at all" * 20, "could not read")],
)
async def test_empty_or_non_audio_upload_is_a_clear_400(
    stt: AsyncCartesia, upload: bytes, needle: str
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await stt.stt.transcribe(file=("upload.wav", upload), model="ink-whisper")
    assert caught.value.body["error_code"] == "invalid_audio"
    assert needle in caught.value.body["message"]


async def test_oversized_upload_is_a_413(
    stt: AsyncCartesia, spoken_wav: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(undocumented, "MAX_UPLOAD_BYTES", len(spoken_wav) // 2)
    with pytest.raises(APIStatusError) as caught:
        await stt.stt.transcribe(file=("speech.wav", spoken_wav), model="ink-whisper")
    assert caught.value.status_code == 413
    assert "limit" in caught.value.body["message"]


async def test_bad_form_fields_name_the_field(stt: AsyncCartesia, spoken_wav: bytes) -> None:
    with pytest.raises(BadRequestError, match="timestamp_granularities"):
        await stt.stt.transcribe(
            file=("s.wav", spoken_wav), model="ink-whisper", timestamp_granularities=["segment"]
        )
    with pytest.raises(BadRequestError, match="language"):
        await stt.stt.transcribe(file=("s.wav", spoken_wav), model="ink-whisper", language="xx")
    with pytest.raises(BadRequestError, match="encoding"):
        await stt.stt.transcribe(file=("s.wav", spoken_wav), model="ink-whisper", encoding="pcm_u8")


async def test_batch_with_a_streaming_model_is_a_400_naming_ink_whisper(
    stt: AsyncCartesia, spoken_wav: bytes
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await stt.stt.transcribe(file=("s.wav", spoken_wav), model="ink-2")
    body = caught.value.body
    assert isinstance(body, dict) and "ink-whisper" in body["message"], body
    assert {"title", "message", "request_id"} <= set(body), body


async def test_tts_model_on_the_stt_route_is_rejected(
    stt: AsyncCartesia, spoken_wav: bytes
) -> None:
    with pytest.raises(BadRequestError, match="audio_transcription"):
        await stt.stt.transcribe(file=("s.wav", spoken_wav), model="sonic-3.5")
    with pytest.raises(PermissionDeniedError, match="ink-9 or model does not exist"):
        await stt.stt.transcribe(file=("s.wav", spoken_wav), model="ink-9")


# --- streaming STT ---


@pytest.fixture
async def short_wav(tts: AsyncCartesia) -> bytes:
    return await speak(
        tts, SHORT, {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}
    )


def chunks(samples: np.ndarray, rate: int, seconds: float = 0.25) -> list[bytes]:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    step = int(rate * seconds) * 2
    return [pcm[i : i + step] for i in range(0, len(pcm), step)]


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_manual_finalize_streams_partials_that_grow_then_the_final(
    stt: AsyncCartesia, short_wav: bytes, word_error_rate
) -> None:
    samples, rate = soundfile.read(io.BytesIO(short_wav), dtype="float32")
    manager = stt.stt.manual_finalize.websocket(
        encoding="pcm_s16le", model="ink-whisper", sample_rate=rate
    )
    async with manager as connection:
        for chunk in chunks(samples, rate):
            await connection.send_raw(chunk)
        await connection.send("finalize")
        events = []
        async for event in connection:
            events.append(event)
            if event.type == "flush_done":
                break
        await connection.send("close")
        closing = [event async for event in connection]
    finals = [e for e in events if e.type == "transcript" and e.is_final]
    partials = [e for e in events if e.type == "transcript" and not e.is_final]
    assert len(finals) == 1 and word_error_rate([SHORT], [finals[0].text]) <= 0.15
    assert finals[0].words[0].words == finals[0].text.split()
    assert len(partials) >= 2 and len(partials[0].text) < len(partials[-1].text)
    assert closing[-1].type == "done" and closing[-1].request_id == events[0].request_id


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_finals_are_deltas_that_concatenate_to_the_whole_transcript(
    stt: AsyncCartesia, short_wav: bytes, word_error_rate
) -> None:
    samples, rate = soundfile.read(io.BytesIO(short_wav), dtype="float32")
    manager = stt.stt.manual_finalize.websocket(
        encoding="pcm_s16le", model="ink-2", sample_rate=rate
    )
    finals = []
    async with manager as connection:
        for _ in range(2):
            for chunk in chunks(samples, rate, seconds=1.0):
                await connection.send_raw(chunk)
            await connection.send("finalize")
            async for event in connection:
                if event.type == "transcript" and event.is_final:
                    finals.append(event)
                if event.type == "flush_done":
                    break
    whole = "".join(f.text for f in finals)
    assert finals[1].text.startswith(" ") and word_error_rate([f"{SHORT} {SHORT}"], [whole]) <= 0.15
    offset = len(samples) / rate
    assert finals[1].words[0].start[0] == pytest.approx(
        finals[0].words[0].start[0] + offset, abs=0.2
    )


async def test_manual_finalize_handshake_checks_key_and_model(gateway) -> None:
    from support import sdk_client
    from websockets.exceptions import InvalidStatus

    async with sdk_client(gateway.url, "stt", key="tfy-mock-outsider-key") as client:
        manager = client.stt.manual_finalize.websocket(
            encoding="pcm_s16le", model="ink-2", sample_rate=16000
        )
        with pytest.raises(InvalidStatus) as caught:
            await manager.enter()
    assert caught.value.response.status_code == 403
    assert b"virtualaccount:outsider is not authorized" in caught.value.response.body


async def test_manual_finalize_bad_parameters_and_frames_get_stt_errors(stt: AsyncCartesia) -> None:
    manager = stt.stt.manual_finalize.websocket(encoding="pcm_s16le", model="ink-2", sample_rate=0)
    async with manager as connection:
        events = [event async for event in _until_closed(connection)]
    assert events[0].type == "error" and "sample_rate" in events[0].message
    manager = stt.stt.manual_finalize.websocket(
        encoding="pcm_s16le", model="ink-2", sample_rate=16000
    )
    async with manager as connection:
        await connection.send_raw(b"\x01\x02\x03")  # half a sample
        error = await connection.recv()
        await connection.send_raw("hello?")
        unknown = await connection.recv()
        await connection.send("close")
        rest = [event async for event in connection]
    assert error.type == "error" and "whole samples" in error.message
    assert unknown.type == "error" and "finalize" in unknown.message
    assert rest[-1].type == "done"


async def _until_closed(connection):
    from websockets.exceptions import ConnectionClosed

    try:
        while True:
            yield await connection.recv()
    except ConnectionClosed:
        return


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_turns_websocket_starts_updates_and_ends_a_turn(
    stt: AsyncCartesia, short_wav: bytes, word_error_rate
) -> None:
    samples, rate = soundfile.read(io.BytesIO(short_wav), dtype="float32")
    padded = np.concatenate([samples, np.zeros(rate, np.float32)])  # a second of silence
    manager = stt.stt.auto_finalize.websocket(encoding="pcm_s16le", model="ink-2", sample_rate=rate)
    async with manager as connection:
        for chunk in chunks(padded, rate):
            await connection.send_raw(chunk)
        events = []
        async for event in connection:
            events.append(event)
            if event.type == "turn.end":
                break
        await connection.send({"type": "close"})
    kinds = [e.type for e in events]
    assert kinds[0] == "connected" and kinds[1] == "turn.start" and kinds[-1] == "turn.end"
    assert "turn.update" in kinds
    assert word_error_rate([SHORT], [events[-1].transcript]) <= 0.15, events[-1].transcript


def _trimmed(wav: bytes) -> tuple[np.ndarray, int]:
    """The samples of a WAV without its leading and trailing silence."""
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    loud = np.flatnonzero(np.abs(samples) > 0.02)
    return samples[loud[0] : loud[-1] + 1], rate


@pytest.mark.slow  # seconds of real speech work: not in test-fast
async def test_a_pause_inside_a_turn_is_eager_end_then_resume(
    stt: AsyncCartesia, tts: AsyncCartesia
) -> None:
    """Silero hears the pause: turn.eager_end after 0.4 s, turn.resume when speech comes back."""
    fmt = {"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000}
    first, rate = _trimmed(await speak(tts, "Let me think.", fmt))
    second, _ = _trimmed(await speak(tts, "Yes, that works.", fmt))
    pause = np.zeros(int(0.6 * rate), np.float32)  # > eager end (0.4 s), < end (0.8 s)
    audio = np.concatenate([first, pause, second, np.zeros(rate, np.float32)])
    manager = stt.stt.auto_finalize.websocket(encoding="pcm_s16le", model="ink-2", sample_rate=rate)
    async with manager as connection:
        for chunk in chunks(audio, rate, seconds=0.1):
            await connection.send_raw(chunk)
        events = []
        async for event in connection:
            events.append(event)
            if event.type == "turn.end":
                break
        await connection.send({"type": "close"})
    kinds = [e.type for e in events]
    assert kinds.count("turn.start") == 1 and kinds.count("turn.end") == 1
    assert kinds.index("turn.eager_end") < kinds.index("turn.resume") < kinds.index("turn.end")
    eager = events[kinds.index("turn.eager_end")]
    assert "think" in eager.transcript.lower()
    assert "works" in events[-1].transcript.lower()


async def test_turns_websocket_takes_only_ink_2(stt: AsyncCartesia) -> None:
    manager = stt.stt.auto_finalize.websocket(
        encoding="pcm_s16le", model="ink-whisper", sample_rate=16000
    )
    async with manager as connection:
        error = await connection.recv()
    assert error.type == "error" and error.status_code == 400, error
    assert "ink-2" in error.message and "STT_STREAMING_MODEL" in error.message
