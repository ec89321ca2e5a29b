"""`make lab`: start the mock gateway when `.env` names no gateway, then JupyterLab."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.config import ConfigError, load_settings
from helpers.gateway import SHARED_MOCK_VARIABLE, ensure_gateway

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    if settings.uses_mock:
        settings = ensure_gateway(settings)
        print(f"Mock TrueFoundry AI Gateway listening on {settings.gateway_base_url}")
        # Kernels inherit these, so all notebooks share this one mock (and what you register).
        env.update(
            GATEWAY_BASE_URL=settings.gateway_base_url,
            TFY_HOST=settings.tfy_host,
            TFY_API_KEY=settings.tfy_api_key,
            **{SHARED_MOCK_VARIABLE: settings.gateway_base_url},
        )
    else:
        print(
            f"Using the gateway from .env: {settings.gateway_base_url} (key {settings.masked_key})"
        )
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--ip=127.0.0.1",
        "--no-browser",
        f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        *sys.argv[1:],
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
