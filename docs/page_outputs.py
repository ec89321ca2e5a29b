"""nbconvert preprocessors that keep rendered pages light and static."""

from __future__ import annotations

import base64
import binascii
import io
import re

import soundfile as sf
import soxr
from nbconvert.preprocessors import Preprocessor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = (
    '<p class="guide-widget-note">A live widget (ipywidgets) is shown here when you run this '
    "notebook in JupyterLab (<code>make lab</code>); a static page cannot show it.</p>"
)
# An embedded WAV as IPython.display.Audio writes it: <source src="data:audio/wav;base64,..." ...>
WAV_SOURCE = re.compile(
    r'src="data:audio/(?:x-)?wav;base64,(?P<data>[A-Za-z0-9+/=\s]+)"'
    r'(?P<type>\s+type="audio/(?:x-)?wav")?'
)


# Opus takes these sample rates; others (22050, 44100) are resampled to 48 kHz first.
OPUS_RATES = (8000, 12000, 16000, 24000, 48000)
# libsndfile's 0..1 scale; 0.95 gives about 23 kbit/s: clear speech, ~30x smaller than 16-bit WAV.
OPUS_COMPRESSION = 0.95


def wav_to_opus(wav: bytes) -> bytes:
    """Re-encode WAV (or any audio soundfile reads) as OGG/Opus, which browsers play."""
    samples, rate = sf.read(io.BytesIO(wav), dtype="float32")
    if rate not in OPUS_RATES:
        samples, rate = soxr.resample(samples, rate, 48000), 48000
    opus = io.BytesIO()
    sf.write(opus, samples, rate, format="OGG", subtype="OPUS", compression_level=OPUS_COMPRESSION)
    return opus.getvalue()


class CompressAudio(Preprocessor):
    """Swap every WAV data URL in HTML outputs for an OGG/Opus one."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html and "data:audio/" in html:
                output["data"]["text/html"] = WAV_SOURCE.sub(_opus_source, html)
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


def _opus_source(match: re.Match[str]) -> str:
    try:
        opus = wav_to_opus(base64.b64decode(match.group("data")))
    except (binascii.Error, sf.LibsndfileError, RuntimeError):
        return match.group(0)  # not a WAV soundfile can read: keep it as it is
    encoded = base64.b64encode(opus).decode("ascii")
    return f'src="data:audio/ogg;base64,{encoded}" type="audio/ogg; codecs=opus"'
