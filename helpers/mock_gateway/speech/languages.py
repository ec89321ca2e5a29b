"""Cartesia's language and locale codes, normalised in one place, and eSpeak NG's voice for each."""

from __future__ import annotations

# Cartesia language codes (cartesia.types.SupportedLanguage) -> eSpeak NG voice names.
# Tagalog ("tl") has no eSpeak NG voice, so the mock cannot speak it.
_SAME_NAME = (
    "en fr de es pt ja hi it ko nl pl ru sv tr bg ro ar cs el fi hr ms sk da ta uk hu vi bn th he "
    "ka id te gu kn ml mr pa or ur"
)
ESPEAK_LANGUAGES = {
    **{code: code for code in _SAME_NAME.split()},  # noqa: SIM905
    "zh": "cmn",
    "no": "nb",
    # Locales eSpeak NG has its own voice for; any other locale uses its language.
    "en-us": "en-us",
    "en-gb": "en",
    "pt-br": "pt-br",
    "es-419": "es-419",
    "es-mx": "es-419",
    "fr-be": "fr-be",
    "fr-ch": "fr-ch",
}
SUPPORTED_LANGUAGES = frozenset(code for code in ESPEAK_LANGUAGES if "-" not in code)


def normalize_language(tag: str) -> str:
    """A language or locale tag in one spelling: `" en_GB "` -> `"en-gb"`."""
    return tag.strip().lower().replace("_", "-")


def base_language(tag: str) -> str:
    """The language of a tag, without its region: `"en-GB"` -> `"en"`."""
    return normalize_language(tag).split("-")[0]
