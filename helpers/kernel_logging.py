"""Imported by this venv's IPython kernel config: hide ipykernel's "TCP without encryption" line.

Kernels here listen on loopback only, so the warning says nothing useful, yet it was printed
for every kernel into test, docs and `make lab` output. Every other kernel message still shows.
"""

from __future__ import annotations

import logging

UNENCRYPTED_TCP_WARNING = "Kernel is running over TCP without encryption"


class HideUnencryptedTcpWarning(logging.Filter):
    """Drop that one warning; keep every other record."""

    def filter(self, record: logging.LogRecord) -> bool:
        return UNENCRYPTED_TCP_WARNING not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(HideUnencryptedTcpWarning())
