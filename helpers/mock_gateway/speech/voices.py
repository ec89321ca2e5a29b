"""The mock's voice catalog: public Cartesia voice ids, each played by its own eSpeak NG voice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    """A Cartesia voice id with the eSpeak NG settings that stand in for it."""

    id: str
    name: str
    language: str
    description: str
    espeak_voice: str  # eSpeak NG language voice, e.g. "en-us", "fr-fr"
    variant: str  # eSpeak NG variant (timbre), e.g. "m3", "f2"
    pitch: int  # eSpeak base pitch 0-100 (50 is the default)
    rate: int  # eSpeak words per minute at speed 1.0 (175 is the default)


# Ids, names, languages and descriptions as Cartesia's public voice library lists them
# (`GET /voices`, 2024 listings republished in public repositories). [guess] which ids the
# mock offers and how each one sounds: any public id would do, these cover a few languages.
CATALOG: tuple[Voice, ...] = (
    Voice(
        id="a0e99841-438c-4a64-b679-ae501e7d6091",
        name="Barbershop Man",
        language="en",
        description="This voice is smooth and relaxing, perfect for a casual conversation",
        espeak_voice="en-us",
        variant="m3",
        pitch=42,
        rate=170,
    ),
    Voice(
        id="6ccbfb76-1fc6-48f7-b71d-91ac6298247b",
        name="Tessa",
        language="en",
        description="Emotive American English voice (the cartesia SDK's fallback voice id)",
        espeak_voice="en-us",
        variant="f2",
        pitch=62,
        rate=175,
    ),
    Voice(
        id="156fb8d2-335b-4950-9cb3-a2d33befec77",
        name="Helpful Woman",
        language="en",
        description="This voice is friendly and conversational, designed for customer support "
        "agents and casual conversations",
        espeak_voice="en-us",
        variant="f3",
        pitch=58,
        rate=180,
    ),
    Voice(
        id="d46abd1d-2d02-43e8-819f-51fb652c1c61",
        name="Newsman",
        language="en",
        description="This voice is neutral and educational, perfect for a news anchor",
        espeak_voice="en-us",
        variant="m1",
        pitch=35,
        rate=185,
    ),
    Voice(
        id="79a125e8-cd45-4c13-8a67-188112f4dd22",
        name="British Lady",
        language="en",
        description="This voice is elegant with a slight British accent, perfect for storytelling "
        "and narrating",
        espeak_voice="en",
        variant="f4",
        pitch=60,
        rate=165,
    ),
    Voice(
        id="a249eaff-1e96-4d2c-b23b-12efa4f66f41",
        name="French Conversational Lady",
        language="fr",
        description="This voice is gentle and smooth, perfect for casual conversations in French",
        espeak_voice="fr",
        variant="f1",
        pitch=58,
        rate=170,
    ),
    Voice(
        id="2deb3edf-b9d8-4d06-8db9-5742fb8a3cb2",
        name="Spanish Narrator Lady",
        language="es",
        description="This voice is calm and reflective, perfect for a Spanish audiobook narrator",
        espeak_voice="es",
        variant="f5",
        pitch=55,
        rate=165,
    ),
    Voice(
        id="fb9fcab6-aba5-49ec-8d7e-3f1100296dde",
        name="Friendly German Man",
        language="de",
        description="This voice is friendly and inviting, perfect for casual conversations in "
        "German",
        espeak_voice="de",
        variant="m2",
        pitch=45,
        rate=170,
    ),
)

_BY_ID = {voice.id: voice for voice in CATALOG}


def find_voice(voice_id: str) -> Voice | None:
    """The catalog voice with this id (case-insensitive), or None."""
    return _BY_ID.get(voice_id.strip().lower())
