"""Bad input to a recipe: one line on stderr naming the fix, a non-zero exit, no traceback."""

from __future__ import annotations

import wave

import pytest

pytestmark = pytest.mark.slow

# Each script with arguments that make it call the gateway (the audio is made by a fixture).
CALLS = {
    "tts.py": [],
    "tts_sync.py": [],
    "tts_stream.py": [],
    "tts_websocket.py": [],
    "stt.py": ["speech.wav"],
    "stt_stream.py": ["speech.wav", "--pace", "8"],
    "batch.py": ["lines.txt"],
    "voice_agent.py": ["--pace", "8"],
}
AUDIO_INPUTS = ["stt.py", "stt_stream.py", "batch.py"]


@pytest.fixture
def inputs(tmp_path):
    """speech.wav (half a second of silence: the gateway refuses before it listens) and
    lines.txt, in the folder the scripts run in."""
    with wave.open(str(tmp_path / "speech.wav"), "wb") as wav:
        wav.setparams((1, 2, 16000, 0, "NONE", "not compressed"))
        wav.writeframes(bytes(16000))
    (tmp_path / "lines.txt").write_text("One line.\nAnother line.\n")


def one_line(result, status: int) -> str:
    """The single stderr line of a run that exited with `status`."""
    assert result.returncode == status, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("script", "missing"),
    [(script, "GATEWAY_BASE_URL") for script in CALLS] + [("tts.py", "TFY_API_KEY")],
)
def test_missing_setting_says_make_mock(run_example, inputs, script, missing):
    line = one_line(run_example(script, *CALLS[script], **{missing: None}), 2)
    assert "GATEWAY_BASE_URL and TFY_API_KEY" in line and "`make mock`" in line


@pytest.mark.parametrize("script", CALLS)
def test_trailing_slash(run_example, inputs, mock_url, script):
    result = run_example(script, *CALLS[script], GATEWAY_BASE_URL=mock_url + "/")
    assert f"remove the trailing slash ({mock_url})" in one_line(result, 2)


@pytest.mark.parametrize("script", CALLS)
def test_wrong_key_is_a_401_line(run_example, inputs, script):
    line = one_line(run_example(script, *CALLS[script], TFY_API_KEY="tfy-not-a-key"), 1)
    assert "401" in line and "check TFY_API_KEY" in line


@pytest.mark.parametrize("script", CALLS)
def test_outsider_key_is_a_403_line(run_example, inputs, script):
    line = one_line(run_example(script, *CALLS[script], TFY_API_KEY="tfy-mock-outsider-key"), 1)
    assert "403" in line and "register the model" in line and "share the account" in line


@pytest.mark.parametrize("script", AUDIO_INPUTS)
def test_missing_input_file(run_example, script):
    line = one_line(run_example(script, "no-such-file.wav"), 2)
    assert "no-such-file.wav: no such file" in line


def test_stt_of_a_file_that_is_not_audio(run_example, tmp_path):
    (tmp_path / "notes.wav").write_text("these are words, not sound\n")
    line = one_line(run_example("stt.py", "notes.wav"), 1)
    assert "notes.wav" in line and "400" in line and "pass a recording" in line


def test_stt_stream_of_a_file_that_is_not_a_wav(run_example, tmp_path):
    (tmp_path / "notes.wav").write_text("these are words, not sound\n")
    line = one_line(run_example("stt_stream.py", "notes.wav"), 2)
    assert "notes.wav: not a 16-bit mono WAV" in line and "ffmpeg" in line


def test_stt_stream_of_a_stereo_wav(run_example, tmp_path):
    with wave.open(str(tmp_path / "stereo.wav"), "wb") as wav:
        wav.setparams((2, 2, 16000, 0, "NONE", "not compressed"))
        wav.writeframes(bytes(16000 * 4))
    line = one_line(run_example("stt_stream.py", "stereo.wav"), 2)
    assert "stereo.wav: not a 16-bit mono WAV" in line and "-ac 1" in line


def test_batch_of_a_file_that_is_not_text(run_example, tmp_path):
    (tmp_path / "lines.txt").write_bytes(bytes(range(128, 256)))
    assert "lines.txt: not a text file" in one_line(run_example("batch.py", "lines.txt"), 2)


def test_unreachable_gateway(run_example):
    line = one_line(run_example("tts_websocket.py", GATEWAY_BASE_URL="http://127.0.0.1:9"), 1)
    assert "cannot reach http://127.0.0.1:9" in line and "`make mock`" in line


def test_voice_agent_with_a_chat_model_the_key_may_not_use(run_example):
    line = one_line(run_example("voice_agent.py", "--pace", "8", LLM_MODEL="openai-main/nope"), 1)
    assert "403" in line and "openai-main/nope" in line and "set LLM_MODEL" in line
