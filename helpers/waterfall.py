"""A latency waterfall of one voice-agent turn: each stage as a bar, from the end of speech."""

from __future__ import annotations

from collections.abc import Mapping

# The milestones of a turn, as notebook 08 and examples/voice_agent.py stamp them.
SPEECH_END = "speech end"
FINAL_TRANSCRIPT = "final transcript"
FIRST_TOKEN = "first token"
LAST_TOKEN = "last token"
FIRST_AUDIO = "first audio"
LAST_AUDIO = "last audio"
Stamps = Mapping[str, float]  # milestone -> time.perf_counter()

# (label, from milestone, to milestone, colour): one bar each, top to bottom.
STAGES = (
    ("Ink: final transcript", SPEECH_END, FINAL_TRANSCRIPT, "#59a14f"),
    ("LLM: first token", FINAL_TRANSCRIPT, FIRST_TOKEN, "#4e79a7"),
    ("LLM: tokens streaming", FIRST_TOKEN, LAST_TOKEN, "#a0cbe8"),
    ("Sonic: first audio", FIRST_TOKEN, FIRST_AUDIO, "#f28e2b"),
    ("Sonic: audio arriving", FIRST_AUDIO, LAST_AUDIO, "#ffbe7d"),
)


def after_speech_end(stamps: Stamps) -> dict[str, float]:
    """Seconds from the end of the user's speech to each milestone, in the order they happened."""
    origin = stamps[SPEECH_END]
    return {m: t - origin for m, t in sorted(stamps.items(), key=lambda item: item[1])}


def stage_seconds(stamps: Stamps) -> list[tuple[str, float, float]]:
    """(label, start, duration) of each stage the stamps have both ends of, in seconds."""
    times = after_speech_end(stamps)
    return [
        (label, times[start], times[end] - times[start])
        for label, start, end, _ in STAGES
        if start in times and end in times
    ]


def plot_waterfall(stamps: Stamps, title: str = "One turn, from the end of speech"):
    """Horizontal bars per stage, and a line where the user starts hearing the answer."""
    import matplotlib.pyplot as plt

    colours = {label: colour for label, _, _, colour in STAGES}
    bars = stage_seconds(stamps)
    figure, axes = plt.subplots(figsize=(10, 0.5 * len(bars) + 1.4))
    for row, (label, start, duration) in enumerate(bars):
        axes.barh(row, duration * 1000, left=start * 1000, color=colours[label])
        axes.text((start + duration) * 1000, row, f" {duration * 1000:.0f} ms", va="center")
    heard = after_speech_end(stamps).get(FIRST_AUDIO)
    if heard is not None:
        label = f"the user hears the answer start: {heard * 1000:.0f} ms"
        axes.axvline(heard * 1000, color="#e15759", linestyle="--", linewidth=1, label=label)
        axes.legend(loc="upper right")
    axes.set_yticks(range(len(bars)), [label for label, _, _ in bars])
    axes.invert_yaxis()
    end = max((start + duration for _, start, duration in bars), default=0.0)
    axes.set_xlim(0, end * 1000 * 1.15 or 1)  # room for the last bar's label
    axes.set(xlabel="milliseconds after the user stopped speaking", title=title)
    figure.tight_layout()
    plt.close(figure)
    return figure
