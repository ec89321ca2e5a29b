"""python -m helpers.mock_gateway --host 127.0.0.1 --port 8790 [--registry FILE] ..."""

from __future__ import annotations

import argparse
import sys

import yaml

from .gateway.manifests import ManifestError
from .server import serve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.mock_gateway",
        description="Mock TrueFoundry AI Gateway for Cartesia (TTS and STT), for local use.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback only)")
    parser.add_argument("--port", type=int, default=8790, help="port (0 picks a free one)")
    parser.add_argument("--registry", help="YAML file of manifests and keys (default: built in)")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="fraction of calls answered 503/429"
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="delay added to every call")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault injection")
    parser.add_argument(
        "--chat-token-ms",
        type=float,
        help="pause before each streamed chat token (default: $MOCK_CHAT_TOKEN_MS, else 20)",
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback address"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        serve(
            args.host,
            args.port,
            registry_file=args.registry,
            allow_remote=args.allow_remote,
            fault_rate=args.fault_rate,
            latency_ms=args.latency_ms,
            seed=args.seed,
            chat_token_ms=args.chat_token_ms,
        )
    except (ValueError, OSError, yaml.YAMLError) as exc:
        kind = "registry" if isinstance(exc, (ManifestError, yaml.YAMLError)) else "error"
        print(f"mock gateway {kind}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
