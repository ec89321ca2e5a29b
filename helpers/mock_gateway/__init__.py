"""A local mock of the TrueFoundry AI Gateway's Cartesia routes (TTS, STT) and control plane."""

from .app import create_app
from .server import RunningGateway, start_in_thread

__all__ = ["RunningGateway", "create_app", "start_in_thread"]
