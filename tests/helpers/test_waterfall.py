"""helpers.waterfall: a turn's stamps as stages from the end of speech, and their plot."""

from __future__ import annotations

import pytest

from helpers.waterfall import after_speech_end, plot_waterfall, stage_seconds

# perf_counter() stamps of one turn, in seconds (an arbitrary origin, as perf_counter has).
STAMPS = {
    "speech end": 100.0,
    "final transcript": 100.2,
    "first token": 100.5,
    "first audio": 100.9,
    "last token": 101.5,
    "last audio": 102.0,
}


def test_times_are_seconds_after_speech_end_in_the_order_they_happened() -> None:
    after = after_speech_end(STAMPS)
    assert list(after) == list(STAMPS)
    assert after["speech end"] == 0 and after["first audio"] == pytest.approx(0.9)


def test_each_stage_starts_and_lasts_as_its_two_milestones_say() -> None:
    stages = {label: (start, length) for label, start, length in stage_seconds(STAMPS)}
    assert stages["Ink: final transcript"] == pytest.approx((0.0, 0.2))
    assert stages["LLM: first token"] == pytest.approx((0.2, 0.3))
    assert stages["Sonic: first audio"] == pytest.approx((0.5, 0.4))
    assert len(stages) == 5


def test_a_stage_without_both_ends_is_left_out() -> None:
    cut = {m: t for m, t in STAMPS.items() if m != "last token"}  # a barge-in closed the LLM
    assert "LLM: tokens streaming" not in [label for label, _, _ in stage_seconds(cut)]


def test_the_plot_has_a_bar_per_stage_and_marks_first_audio() -> None:
    (axes,) = plot_waterfall(STAMPS).axes
    assert len(axes.patches) == 5
    assert "900 ms" in axes.get_legend().get_texts()[0].get_text()
