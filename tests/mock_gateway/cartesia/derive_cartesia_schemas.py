"""Derive cartesia_schemas.json, the response and message schemas the tests validate against.

python tests/mock_gateway/cartesia/derive_cartesia_schemas.py PATH/TO/cartesia-openapi.yaml

Reads Cartesia's OpenAPI document and keeps, for the schemas below and every schema they refer
to, the facts only: property names, types, formats, enums, required fields and references
(OpenAPI's `nullable` written as JSON Schema). Descriptions, titles and examples are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

OUTPUT = Path(__file__).with_name("cartesia_schemas.json")
ROOTS = (
    "ErrorMessage",
    "TTSSSEEvent",
    "TTSWebSocketResponse",
    "TranscriptionResponse",
    "STTManualFinalizeWebSocketResponse",
    "STTAutoFinalizeWebSocketResponse",
)
FACTS = frozenset({"type", "format", "enum", "required", "items", "oneOf", "anyOf", "allOf"})


def _facts(node: Any) -> Any:
    """A schema node reduced to its facts, in JSON Schema (2020-12) form."""
    if isinstance(node, list):
        return [_facts(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        kept: dict[str, Any] = {"$ref": "#/$defs/" + node["$ref"].rsplit("/", 1)[-1]}
    else:
        kept = {key: _facts(value) for key, value in node.items() if key in FACTS}
    if "properties" in node:
        kept["properties"] = {name: _facts(value) for name, value in node["properties"].items()}
    if node.get("nullable"):
        return {"anyOf": [kept, {"type": "null"}]}
    return kept


def _referenced(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_referenced(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
    return found.union(*(_referenced(value) for value in node.values()))


def derive(document: dict[str, Any]) -> dict[str, Any]:
    """The $defs of ROOTS and of everything they refer to, facts only, sorted by name."""
    schemas = document["components"]["schemas"]
    names, pending = set(), list(ROOTS)
    while pending:
        name = pending.pop()
        if name not in names:
            names.add(name)
            pending.extend(_referenced(schemas[name]))
    return {"$defs": {name: _facts(schemas[name]) for name in sorted(names)}}


def load_document(path: Path) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
    return yaml.load(path.read_text(), Loader=loader)


def render(derived: dict[str, Any]) -> str:
    return json.dumps(derived, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    OUTPUT.write_text(render(derive(load_document(Path(sys.argv[1])))))
    print(f"wrote {OUTPUT.name}")
