"""A canary key registered in the mock as the learner: the secrets tests hunt for it everywhere.

python tests/notebooks/canary.py FOLDER  writes FOLDER/canary-registry.yaml (the built-in
registry plus a fresh canary key) and prints the key; `make test` runs the notebooks with it.
"""

from __future__ import annotations

import sys
import uuid
from importlib import resources
from pathlib import Path

import yaml

PREFIX = "tfy-canary-"
REGISTRY_NAME = "canary-registry.yaml"


def new_canary() -> str:
    return f"{PREFIX}{uuid.uuid4().hex}"


def write_registry(folder: Path, canary: str) -> Path:
    """The built-in registry plus `canary`, for the learner's subject and team."""
    built_in = resources.files("helpers.mock_gateway.gateway").joinpath("default_registry.yaml")
    registry = yaml.safe_load(built_in.read_text())
    registry["keys"].append(
        {"key": canary, "subject": "user:learner@example.com", "teams": ["everyone"]}
    )
    path = folder / REGISTRY_NAME
    path.write_text(yaml.safe_dump(registry))
    return path


def read_canary(folder: Path) -> str:
    """The canary key registered in folder's canary registry."""
    registry = yaml.safe_load((folder / REGISTRY_NAME).read_text())
    return next(k["key"] for k in registry["keys"] if k["key"].startswith(PREFIX))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/notebooks/canary.py FOLDER")
    key = new_canary()
    write_registry(Path(sys.argv[1]), key)
    print(key)
