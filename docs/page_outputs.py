"""nbconvert preprocessors that keep rendered pages light and static."""

from __future__ import annotations

import base64
import binascii
import io
import re

import soundfile as sf
from nbconvert.preprocessors import Preprocessor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="guide-widget-note">A live widget (ipywidgets) is shown here when you run this '
    "notebook in JupyterLab (<code>make lab</code>); a static page cannot show it.</p>"
)
# An embedded WAV as IPython.display.Audio writes it: <source src="data:audio/wav;base64,..." ...>
WAV_SOURCE = re.compile(
    r'src="data:audio/(?:x-)?wav;base64,(?P<data>[A-Za-z0-9+/=\s]+)"'
    r'(?:\s+type="audio/(?:x-)?wav")?'
)
# libsndfile's 0..1 scale for LAME's variable bit rate: about 37 kbit/s for speech, clear enough
# to follow and ~20x smaller than 16-bit PCM. MP3 plays in every browser; Opus would be half the
# size but libsndfile encodes it 5-10x slower, and Safari plays neither Ogg codec everywhere.
MP3_COMPRESSION = 0.9


def wav_to_mp3(wav: bytes) -> bytes:
    """Re-encode WAV (or any audio soundfile reads) as a variable bit rate MP3."""
    samples, rate = sf.read(io.BytesIO(wav), dtype="float32")
    mp3 = io.BytesIO()
    sf.write(
        mp3,
        samples,
        rate,
        format="MP3",
        subtype="MPEG_LAYER_III",
        bitrate_mode="VARIABLE",
        compression_level=MP3_COMPRESSION,
    )
    return mp3.getvalue()


class CompressAudio(Preprocessor):
    """Swap every WAV data URL in HTML outputs for an MP3 one."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html and "data:audio/" in html:
                output["data"]["text/html"] = WAV_SOURCE.sub(_mp3_source, html)
        return cell, resources


class StaticWidgets(Preprocessor):
    """Replace live widget views (and the saved widget state) by a short note."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                output["data"] = {"text/html": WIDGET_NOTE}
        return cell, resources


def _mp3_source(match: re.Match[str]) -> str:
    try:
        mp3 = wav_to_mp3(base64.b64decode(match.group("data")))
    except (binascii.Error, sf.LibsndfileError, RuntimeError):
        return match.group(0)  # not a WAV soundfile can read: keep it as it is
    encoded = base64.b64encode(mp3).decode("ascii")
    return f'src="data:audio/mpeg;base64,{encoded}" type="audio/mpeg"'
