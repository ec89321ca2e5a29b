"""The one table of audio formats and OutputFormat: exactly the SDK's types, free of the mock."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args, get_type_hints

import pytest
from cartesia.types import (
    MP3OutputFormatParam,
    RawEncoding,
    RawOutputFormatParam,
    STTEncoding,
    WAVOutputFormatParam,
)
from support import ROOT

from helpers.audio_formats import (
    CONTAINERS,
    ENCODINGS,
    MP3_BIT_RATES,
    SAMPLE_RATES,
    UPLOAD_ENCODINGS,
    OutputFormat,
    parse_output_format,
)


def literal_values(typed_dict, key: str) -> set:
    return set(get_args(get_type_hints(typed_dict)[key]))  # Required[...] is stripped


def test_formats_are_exactly_the_sdk_types():
    formats = (RawOutputFormatParam, WAVOutputFormatParam, MP3OutputFormatParam)
    assert set(CONTAINERS) == {literal_values(f, "container").pop() for f in formats}
    assert set(ENCODINGS) == set(get_args(RawEncoding))
    assert set(UPLOAD_ENCODINGS) == set(get_args(STTEncoding))
    for output_format in formats:
        assert literal_values(output_format, "sample_rate") == set(SAMPLE_RATES)
    for output_format in formats[:2]:
        assert literal_values(output_format, "encoding") == set(ENCODINGS)
    assert literal_values(MP3OutputFormatParam, "bit_rate") == set(MP3_BIT_RATES)


@pytest.mark.parametrize(
    ("output_format", "message"),
    [
        ({"container": "ogg", "encoding": "pcm_s16le", "sample_rate": 8000}, "raw, wav, mp3"),
        (
            {"container": "wav", "encoding": "pcm_s24le", "sample_rate": 8000},
            "pcm_f32le, pcm_s16le",
        ),
        ({"container": "raw", "encoding": "pcm_s16le", "sample_rate": 11025}, "8000, 16000, 22050"),
        ({"container": "raw", "encoding": "pcm_s16le", "sample_rate": "16000"}, "8000, 16000"),
        ({"container": "raw", "encoding": "pcm_s16le", "sample_rate": True}, "8000, 16000"),
        ({"container": "raw", "encoding": "pcm_s16le"}, "sample_rate must be one of"),
        ({"container": "wav", "sample_rate": 8000}, "encoding must be one of"),
        ({"container": "mp3", "sample_rate": 44100, "bit_rate": 100000}, "32000, 64000, 96000"),
        ({"container": "mp3", "sample_rate": 44100}, "bit_rate must be one of"),
        ({}, "container must be one of"),
        ("wav", "output_format must be an object"),
    ],
)
def test_invalid_output_formats_name_the_allowed_values(output_format, message):
    with pytest.raises(ValueError, match=message):
        parse_output_format(output_format)


def test_a_parsed_format_knows_its_sample_width_and_its_streamed_form():
    wav = parse_output_format({"container": "wav", "encoding": "pcm_f32le", "sample_rate": 8000.0})
    assert wav == OutputFormat("wav", 8000, encoding="pcm_f32le")
    assert wav.sample_width == 4
    assert wav.as_raw() == OutputFormat("raw", 8000, encoding="pcm_f32le")
    mp3 = parse_output_format({"container": "mp3", "sample_rate": 44100, "bit_rate": 128000})
    with pytest.raises(ValueError, match="container 'raw'"):
        mp3.as_raw()


def test_client_helpers_import_neither_the_mock_nor_starlette():
    code = (
        "import sys, helpers.audio, helpers.audio_formats; "
        "print([m for m in sys.modules if m.startswith(('starlette', 'helpers.mock_gateway'))])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
