"""Cartesia's side: request validation, voice lookup, stream messages and Cartesia's errors."""
