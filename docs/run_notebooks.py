"""Execute notebooks top to bottom, each in a fresh kernel, against the embedded mock gateway."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
from dotenv import dotenv_values
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ENV_EXAMPLE = Path(__file__).resolve().parent.parent / ".env.example"
# Set-but-empty variables win over `.env` (helpers.config loads it without overriding).
ALWAYS_EMPTIED = ("GATEWAY_BASE_URL", "TFY_API_KEY", "TFY_HOST")


class NotebookFailed(RuntimeError):
    """A notebook raised or hung while executing; the docs are not built from a broken run."""


def mock_environment() -> dict[str, str]:
    """This process's environment with every setting `.env.example` documents emptied, so the
    notebooks run on the embedded mock with the defaults and none of your `.env` (no real key)."""
    names = set(ALWAYS_EMPTIED) | set(dotenv_values(ENV_EXAMPLE) if ENV_EXAMPLE.exists() else {})
    return {**os.environ, **dict.fromkeys(names, "")}


async def execute(path: Path, *, cell_timeout: int) -> nbformat.NotebookNode:
    """Run `path` with cwd = its folder in a new `python3` kernel and return the executed copy."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=cell_timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        await client.async_execute(env=mock_environment())
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        raise NotebookFailed(
            f"{path.name} failed (reproduce with: .venv/bin/python -m pytest --nbmake {path})\n"
            f"{error}"
        ) from error
    return notebook


def execute_all(
    paths: list[Path],
    *,
    cell_timeout: int,
    jobs: int,
    on_executed: Callable[[Path, nbformat.NotebookNode], None],
) -> None:
    """Execute `paths`, `jobs` kernels at a time, handing each executed copy to `on_executed`
    as soon as it is ready; the first failure stops the build."""

    async def run_all() -> None:
        gate = asyncio.Semaphore(jobs)

        async def run_one(path: Path) -> None:
            async with gate:
                started = time.perf_counter()
                notebook = await execute(path, cell_timeout=cell_timeout)
                print(f"executed {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
                on_executed(path, notebook)

        await asyncio.gather(*(run_one(path) for path in paths))

    asyncio.run(run_all())
