"""The mock's shape: four layers that import only downwards, each module named in the README."""

from __future__ import annotations

import ast
import re

import pytest
from support import ROOT

PACKAGE = ROOT / "helpers" / "mock_gateway"
# What each layer may import from the others (routes may use all of them).
MAY_IMPORT = {"gateway": {"speech"}, "cartesia": {"speech"}, "chat": set(), "speech": set()}
LAYERS = ("routes", "gateway", "cartesia", "chat", "speech")


def _layer_imports(path) -> set[str]:
    """The sibling layers a module imports (`from ..speech.x import y`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_layers_import_only_the_layers_below(layer: str) -> None:
    for path in sorted((PACKAGE / layer).glob("*.py")):
        wrong = _layer_imports(path) - MAY_IMPORT[layer]
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_readme_map_names_every_module_of_every_layer() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(\w+)", section))
    for layer in LAYERS:
        assert f"`{layer}/`" in section, layer
        modules = {p.stem for p in (PACKAGE / layer).glob("*.py")} - {"__init__"}
        assert modules <= named, f"{layer}/: {sorted(modules - named)} missing from the README"
