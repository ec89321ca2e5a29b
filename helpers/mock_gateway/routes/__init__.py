"""Every HTTP and WebSocket endpoint of the mock: TTS, STT, /models and the control plane."""
