"""The mock's speech engines: neural text to speech, speech recognition and voice activity."""
