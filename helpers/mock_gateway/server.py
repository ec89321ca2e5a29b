"""Run the mock gateway with uvicorn: in a daemon thread (tests, notebooks) or in the foreground."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from .app import create_app
from .gateway.registry import Registry
from .gateway.state import GatewayState
from .speech import engines

LOOPBACK_NAMES = ("localhost",)
BANNER = "Mock TrueFoundry AI Gateway listening on http://{host}:{port}{base_path}"


class _QuietUvicornFilter(logging.Filter):
    """Drop two uvicorn log lines that are noise for this gateway.

    - "ASGI callable returned without completing handshake.": uvicorn's websockets-sansio
      protocol logs it even when the app answered the handshake with `send_denial_response`,
      which is how this gateway refuses a WebSocket (401/403 with TrueFoundry's body).
    - "Invalid HTTP request received.": a client speaking TLS to this plain-http server (the
      SDK's wss:// default); the client gets its own clear SSL error.
    """

    NOISE = frozenset(
        {"ASGI callable returned without completing handshake.", "Invalid HTTP request received."}
    )

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.NOISE


_quiet_filter = _QuietUvicornFilter()


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_host(host: str, allow_remote: bool) -> None:
    if not allow_remote and not is_loopback(host):
        raise ValueError(
            f"refusing to bind {host!r}: the mock has no real security; use 127.0.0.1, "
            "or pass --allow-remote if you really mean to expose it"
        )


def _app(registry_file: str | Path | None, options: dict[str, Any]) -> Starlette:
    registry = Registry.from_file(registry_file) if registry_file else None
    return create_app(registry, **options)


def _bound_port(server: uvicorn.Server) -> int:
    return server.servers[0].sockets[0].getsockname()[1]


def _config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    logging.getLogger("uvicorn.error").addFilter(_quiet_filter)  # idempotent
    return config


@dataclass
class RunningGateway:
    """A mock gateway serving in a daemon thread."""

    app: Starlette
    host: str
    port: int
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The URL with the base path: what GATEWAY_BASE_URL holds (routes also answer at url)."""
        return f"{self.url}{self.app.state.base_path}"

    @property
    def state(self) -> GatewayState:
        """Registry, recognizer, limiter, faults and the requests_seen counter."""
        return self.app.state.gateway

    def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> RunningGateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    registry_file: str | Path | None = None,
    allow_remote: bool = False,
    wait_for_engines: bool = False,
    startup_timeout: float = 15.0,
    **options: Any,
) -> RunningGateway:
    """Start the gateway in a daemon thread; returns once it accepts connections.

    The speech engines load in the background meanwhile (a few seconds, once per process);
    wait_for_engines returns only once they are loaded. options: fault_rate, latency_ms, seed,
    base_path (see create_app).
    """
    _check_host(host, allow_remote)
    app = _app(registry_file, options)
    if wait_for_engines:
        engines.wait_until_loaded()
    server = uvicorn.Server(_config(app, host, port))
    thread = threading.Thread(target=server.run, name="mock-gateway", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"mock gateway failed to start on {host}:{port}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"mock gateway did not start within {startup_timeout} s")
        time.sleep(0.01)
    return RunningGateway(app, host, _bound_port(server), server, thread)


class _AnnouncingServer(uvicorn.Server):
    """uvicorn.Server that prints the banner once it accepts connections, and exits with status 0
    after a SIGINT/SIGTERM shutdown (uvicorn re-raises the signal, which kills the process)."""

    base_path = ""  # printed after host:port in the banner

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.started:
            where = {"host": self.config.host, "port": _bound_port(self)}
            print(BANNER.format(**where, base_path=self.base_path), flush=True)


def serve(
    host: str = "127.0.0.1",
    port: int = 8790,
    *,
    registry_file: str | Path | None = None,
    allow_remote: bool = False,
    **options: Any,
) -> None:
    """Serve in the foreground until SIGINT/SIGTERM (uvicorn handles both cleanly)."""
    _check_host(host, allow_remote)
    app = _app(registry_file, options)
    engines.wait_until_loaded()  # ready to speak and listen when the banner says so
    server = _AnnouncingServer(_config(app, host, port))
    server.base_path = app.state.base_path
    server.run()
