"""Each recipe run as a user runs it, against the mock gateway, and what it produced checked."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow


def wav_seconds(path: Path, rate: int) -> float:
    """Seconds of 16-bit mono audio really present in a WAV file at `rate`."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, rate)
        frames = wav.readframes(wav.getnframes())  # reads what is there, whatever the header says
    return len(frames) / 2 / rate


def succeeded(result) -> str:
    """The stdout of a run that exited 0 with nothing on stderr."""
    assert (result.returncode, result.stderr) == (0, ""), result
    return result.stdout


@pytest.mark.parametrize("script", ["tts.py", "tts_sync.py"])
def test_tts_writes_a_wav_of_the_sentence(run_example, tmp_path, script):
    out = succeeded(run_example(script, "The quick brown fox jumps over the lazy dog.", "fox.wav"))
    assert "fox.wav" in out
    assert 1.5 < wav_seconds(tmp_path / "fox.wav", 44100) < 6.0


def test_tts_runs_with_no_argument(run_example, tmp_path):
    succeeded(run_example("tts.py"))
    assert 0.8 < wav_seconds(tmp_path / "tts.wav", 44100) < 5.0


def test_tts_stream_reports_first_audio_and_writes_it_all(run_example, tmp_path):
    out = succeeded(run_example("tts_stream.py", "Streaming sends audio as soon as it exists."))
    first_audio = int(re.search(r"first audio after (\d+) ms", out).group(1))
    assert first_audio > 0
    assert 1.0 < wav_seconds(tmp_path / "tts_stream.wav", 24000) < 6.0


def test_tts_websocket_pieces_become_one_utterance(run_example, tmp_path, word_error_rate):
    out = succeeded(run_example("tts_websocket.py", "answer.wav"))
    assert "first audio after" in out
    assert 3.0 < wav_seconds(tmp_path / "answer.wav", 24000) < 15.0
    heard = succeeded(run_example("stt.py", "answer.wav"))
    said = "Sure! The gateway checks your key, then passes your words to Cartesia, piece by piece."
    assert word_error_rate([said], [heard]) <= 0.25, heard


@pytest.fixture
def speech(run_example, tmp_path) -> Path:
    """A sentence spoken by tts.py, as the audio to transcribe."""
    succeeded(run_example("tts.py", "Please call me back tomorrow morning.", "speech.wav"))
    return tmp_path / "speech.wav"


def test_stt_prints_the_spoken_words(run_example, speech, word_error_rate):
    out = succeeded(run_example("stt.py", speech.name))
    assert word_error_rate(["Please call me back tomorrow morning."], [out]) <= 0.2, out


def test_stt_words_prints_ordered_word_times(run_example, speech):
    lines = succeeded(run_example("stt.py", speech.name, "--words")).splitlines()
    timed = [re.match(r"\s*([\d.]+) - \s*([\d.]+) s  (\S+)$", line) for line in lines[1:]]
    assert all(timed) and [m.group(3) for m in timed] == lines[0].split()
    starts = [float(m.group(1)) for m in timed]
    assert starts == sorted(starts) and all(float(m.group(2)) > float(m.group(1)) for m in timed)


def test_stt_stream_prints_partials_then_the_final_transcript(run_example, speech, word_error_rate):
    lines = succeeded(run_example("stt_stream.py", speech.name, "--pace", "8")).splitlines()
    partials = [line for line in lines if line.startswith("partial")]
    assert partials, lines
    assert lines.index(partials[0]) < lines.index(next(x for x in lines if x.startswith("final")))
    assert lines[-1].startswith("transcript: ")
    heard = lines[-1].removeprefix("transcript: ")
    assert word_error_rate(["Please call me back tomorrow morning."], [heard]) <= 0.2, heard


def test_voice_agent_hears_answers_and_times_each_stage(run_example, tmp_path, word_error_rate):
    question = "What is the capital of France?"
    lines = succeeded(run_example("voice_agent.py", question, "--pace", "8")).splitlines()
    heard = lines[0].removeprefix("heard:  ")
    assert word_error_rate([question], [heard]) <= 0.2, lines
    assert lines[1].startswith("answer: ") and heard in lines[1]  # the mock quotes the question
    stages = [re.match(r"\s*([a-z ]+): +(\d+) ms after speech end$", line) for line in lines[2:-1]]
    assert all(stages), lines
    order = [m.group(1) for m in stages]
    assert order[:3] == ["speech end", "final transcript", "first token"], order
    assert order.index("first token") < order.index("first audio") < order.index("last audio")
    assert sorted(order) == sorted(["speech end", "final transcript", "first token",
                                    "first audio", "last token", "last audio"])  # fmt: skip
    assert [int(m.group(2)) for m in stages] == sorted(int(m.group(2)) for m in stages)
    assert 1.0 < wav_seconds(tmp_path / "answer.wav", 24000) < 15.0
    spoken = succeeded(run_example("stt.py", "answer.wav"))
    answer = lines[1].removeprefix("answer: ")
    assert word_error_rate([answer], [spoken]) <= 0.25, (answer, spoken)


BATCH = ["Welcome to the demo line.", "For opening hours, press one.", "Goodbye!"] * 2


def answers_of(url: str, calls: int) -> set[int]:
    """Status codes of empty TTS requests (a 400 unless a fault comes first)."""
    headers = {"x-tfy-api-key": "tfy-mock-learner-key"}
    route = f"{url}/tts/cartesia-main/tts/bytes"
    return {httpx.post(route, json={}, headers=headers).status_code for _ in range(calls)}


def test_batch_writes_one_wav_per_line_through_faults(run_example, faulty_mock_url, tmp_path):
    assert {429, 503} & answers_of(faulty_mock_url, 20), "the faulty mock did not fail"
    (tmp_path / "lines.txt").write_text("\n".join(BATCH[:3]) + "\n\n" + "\n".join(BATCH[3:]))
    result = run_example("batch.py", "lines.txt", "out", GATEWAY_BASE_URL=faulty_mock_url)
    assert result.returncode == 0, result
    assert f"{len(BATCH)}/{len(BATCH)} lines" in result.stderr  # the progress bar's last state
    assert f"wrote {len(BATCH)} of {len(BATCH)} files" in result.stdout
    files = sorted((tmp_path / "out").iterdir())
    assert [f.name for f in files] == [f"{n:03}.wav" for n in range(1, len(BATCH) + 1)]
    assert all(0.3 < wav_seconds(f, 24000) < 4.0 for f in files)


def test_dotenv_found_from_a_subfolder_and_exports_win(run_example, tmp_path, mock_url):
    (tmp_path / ".env").write_text(
        f"GATEWAY_BASE_URL={mock_url}\nTFY_API_KEY=tfy-mock-learner-key\n"
    )
    nested = tmp_path / "app" / "src"
    nested.mkdir(parents=True)
    succeeded(
        run_example("tts.py", "hi", "hi.wav", cwd=nested, GATEWAY_BASE_URL=None, TFY_API_KEY=None)
    )
    assert (nested / "hi.wav").stat().st_size > 1000
    (tmp_path / ".env").write_text(f"GATEWAY_BASE_URL={mock_url}\nTFY_API_KEY=wrong-key\n")
    succeeded(run_example("tts.py", "hi", "hi.wav", cwd=nested))  # the exported key wins
