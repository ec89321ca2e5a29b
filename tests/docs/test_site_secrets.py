"""No page of the site shows a key: only the mock's documented ones, never yours from `.env`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parents[2]
MOCK_KEYS = {"tfy-mock-learner-key", "tfy-mock-outsider-key", "tfy-mock-admin-key"}
TFY_TOKEN = re.compile(r"(?<![\w-])tfy-[A-Za-z0-9_-]+(?![\w-]|://)")  # not tfy-secret:// refs
SECRET_SHAPES = (
    re.compile(r"\bsk[-_][A-Za-z0-9_-]{16,}"),  # Cartesia keys (sk_car_...) and other sk- keys
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWTs, as TrueFoundry tokens are
    # Any other long token mixing upper case, lower case and digits.
    re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[A-Za-z0-9_-]{32,}(?![\w-])"),
)
DATA_URL = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def find_secrets(text: str) -> list[str]:
    """Keys other than the documented mock ones, and anything shaped like a real secret."""
    text = DATA_URL.sub("data:", text)
    found = [token for token in TFY_TOKEN.findall(text) if token not in MOCK_KEYS]
    for shape in SECRET_SHAPES:
        found += shape.findall(text)
    return found


def test_the_secret_scan_catches_real_looking_keys():
    planted = (
        "key tfy-mock-learner-key ok, x-tfy-api-key header ok, voice "
        "a0e99841-438c-4a64-b679-ae501e7d6091 ok, masked tfy-…(20 chars) ok, "
        "reference tfy-secret://tenant:group:key ok; "
        "leaks: tfy-prod-3f9a2b sk_car_AbCdEf0123456789xyz eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0 "
        "Zx9QmT4rLp2VwKs8NbYc7HdFgJ3eUa6Rq"
    )
    assert find_secrets(planted) == [
        "tfy-prod-3f9a2b",
        "sk_car_AbCdEf0123456789xyz",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
        "Zx9QmT4rLp2VwKs8NbYc7HdFgJ3eUa6Rq",
    ]


@pytest.mark.slow
def test_no_page_or_search_entry_shows_a_key_other_than_the_mock_ones(site: Path):
    local_env = dotenv_values(ROOT / ".env") if (ROOT / ".env").exists() else {}
    own_keys = {
        name: value
        for name, value in local_env.items()
        if value and len(value) >= 8 and re.search(r"KEY|TOKEN|SECRET", name)
    }
    pages = [*site.rglob("*.html"), site / "search" / "search_index.json"]
    for page in sorted(pages):
        text = page.read_text(encoding="utf-8")
        assert find_secrets(text) == [], page.relative_to(site)
        for name, value in own_keys.items():
            assert value not in text, f"{page.relative_to(site)} shows {name} from your .env"
