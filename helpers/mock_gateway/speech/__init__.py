"""The offline speech engines: voices, eSpeak NG synthesis, recognition and audio encoding."""
