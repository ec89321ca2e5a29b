"""The offline speech engines: Piper and eSpeak NG speak, Whisper listens, Silero finds turns."""

import os

# Whisper's threads (ctranslate2's OpenMP) sleep when they wait instead of spinning: measured with
# two notebooks on one mock, spinning threads made two-core decodes contend with every other
# process, and notebooks 05 and 08 took 30 s and 49 s instead of 14 s and 30 s. Set before any
# engine is imported; an OMP_WAIT_POLICY of your own wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
