"""The neural engines themselves: how long each model takes to load, and the round-trip WER.

The round trip speaks each of ROUND_TRIP sentences with the mock's TTS (every English voice in
turn), sends the audio to the mock's STT and scores the transcript with jiwer. The sentences
are used nowhere else in the project, so nothing could have been tuned to them.
"""

from __future__ import annotations

import time

import jiwer
from cartesia import AsyncCartesia

from helpers.mock_gateway.speech import piper_tts, whisper_stt
from helpers.mock_gateway.speech.model_files import whisper_base_dir

ROUND_TRIP = [
    "A flock of geese flew south over the frozen pond.",
    "The carpenter measured the board twice before cutting it.",
    "Fresh bread was cooling on the kitchen windowsill.",
    "Our guide pointed out the ruins of an old castle.",
    "The violinist bowed after the final note faded away.",
    "Heavy snow closed the mountain pass for three days.",
    "She painted the front door a bright shade of yellow.",
    "The farmer sold apples and honey at the weekend market.",
    "A lost kitten was hiding under the porch steps.",
    "The students built a small robot for the science fair.",
    "Thunder rumbled in the distance as the clouds grew dark.",
    "He wrapped the present in silver paper and a red ribbon.",
    "The ferry crossed the harbor in less than an hour.",
    "Wild strawberries grew along the edge of the forest path.",
    "The museum guard asked visitors not to touch the statues.",
    "My uncle keeps bees in a wooden box behind his barn.",
    "The river flooded the meadow after a week of rain.",
    "A tall lighthouse warned the ships away from the rocks.",
    "The chef sprinkled herbs over the roasted vegetables.",
    "Two owls called to each other across the quiet valley.",
    "The mechanic replaced the worn tires on the old truck.",
    "Sunlight poured through the stained glass windows.",
    "The children collected shells along the sandy shore.",
    "A narrow staircase led up to the attic bedroom.",
]
ENGLISH_VOICES = list(piper_tts.VOICE_CHARACTERS)
_NORMALIZE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def _timed(load) -> float:
    started = time.perf_counter()
    load()
    return round(time.perf_counter() - started, 2)


def measure_loads() -> dict[str, float]:
    """Seconds to load each model in this process (files checked by SHA-256 included)."""
    return {
        "piper_voice": _timed(piper_tts.PiperEngine.load),
        "whisper_tiny_en_and_start_of_base": _timed(whisper_stt.WhisperEngine.load),
        "whisper_base": _timed(lambda: whisper_stt._open(whisper_base_dir())),
    }


async def measure_round_trip(tts: AsyncCartesia, stt: AsyncCartesia) -> dict[str, object]:
    """WER of mock TTS → mock STT over ROUND_TRIP, each sentence in the next English voice."""
    heard = []
    for index, sentence in enumerate(ROUND_TRIP):
        response = await tts.tts.generate(
            model_id="sonic-3.5",
            transcript=sentence,
            voice={"mode": "id", "id": ENGLISH_VOICES[index % len(ENGLISH_VOICES)]},
            output_format={"container": "wav", "encoding": "pcm_s16le", "sample_rate": 16000},
        )
        wav = await response.read()
        result = await stt.stt.transcribe(file=("speech.wav", wav), model="ink-whisper")
        heard.append(result.text)
    wer = jiwer.wer(
        ROUND_TRIP, heard, reference_transform=_NORMALIZE, hypothesis_transform=_NORMALIZE
    )
    wrong = [h for r, h in zip(ROUND_TRIP, heard, strict=True) if _NORMALIZE(r) != _NORMALIZE(h)]
    return {"sentences": len(ROUND_TRIP), "wer": round(wer, 4), "misheard": wrong}
