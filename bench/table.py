"""Render bench results as a Markdown table (pasteable into the README)."""

from __future__ import annotations

from typing import Any


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    rows = [("Measure", "Figure", "Aim")]
    rows += _notebook_rows(results.get("notebook_suite", {}))
    gateway = results.get("gateway", {})
    if "error" in gateway:
        rows.append(("Mock gateway figures", f"failed: {gateway['error']}", ""))
    sections = (
        ("tts", _tts_rows),
        ("stt", _stt_rows),
        ("round_trip", _round_trip_rows),
        ("concurrency", _load_rows),
        ("voice_agent", _agent_rows),
    )
    for name, rows_of in sections:
        figures = gateway.get(name, {})
        if "error" in figures:
            rows.append((f"Mock {name}", _error(figures), ""))
        else:
            rows += rows_of(figures)
    rows += _model_load_rows(results.get("model_load", {}))
    lab = results.get("cold_start", {})
    lab_figure = _error(lab) or (
        f"{lab['seconds']} s (mock ready after {lab.get('mock_ready_seconds')} s)"
        if lab.get("seconds")
        else "no answer"
    )
    rows.append(("Cold start: `make lab` command → `/api/status` answers", lab_figure, ""))
    header = (
        f"Measured {results['timestamp']} on {m['cpu_count']} CPU(s) ({m['cpu']}), "
        f"Python {m['python']}, {m['platform']}; bench took {results.get('bench_seconds')} s."
    )
    return header + "\n\n" + _markdown(rows)


def _error(section: dict[str, Any]) -> str | None:
    return f"failed: {section['error']}" if "error" in section else None


def _notebook_rows(suite: dict[str, Any]) -> list[tuple[str, str, str]]:
    if not suite:
        return []
    label = f"Notebook suite ({suite.get('notebooks', '?')} notebooks, one shared mock)"
    figure = _error(suite) or (
        f"{suite['suite_seconds']} s vs floor {suite['floor_seconds']} s "
        f"(empty notebooks) = {suite['ratio']}×"
    )
    rows = [(label, figure, "≤ 1.5× floor")]
    if suite.get("failed"):
        rows.append(("Notebooks that failed (not timed)", ", ".join(suite["failed"]), "none"))
    return rows


def _tts_rows(tts: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for transport, figures in tts.items():
        short, long = figures["1 sentence"], figures["10 sentences"]
        rows.append(
            (
                f"TTS {transport}: first audio, 1 / 10 sentences",
                f"{short['first_audio_ms']} / {long['first_audio_ms']} ms "
                f"(ratio {figures['first_audio_ratio_10_to_1']})",
                "< 150 ms; ratio ≤ 1.2",
            )
        )
        rows.append(
            (
                f"TTS {transport}: real-time factor, 1 / 10 sentences",
                f"{short['rtf']} / {long['rtf']} "
                f"({short['audio_seconds']} s / {long['audio_seconds']} s of audio)",
                "< 1",
            )
        )
    return rows


def _stt_rows(stt: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (
            f"STT batch: real-time factor, {label} of audio",
            f"{f['rtf']} ({f['wall_seconds']} s for {f['audio_seconds']} s; {f['audio']})",
            "≤ 0.2",
        )
        for label, f in stt.items()
    ]


def _round_trip_rows(trip: dict[str, Any]) -> list[tuple[str, str, str]]:
    if not trip:
        return []
    label = f"Round trip mock TTS → mock STT, WER over {trip['sentences']} unseen sentences"
    return [(label, f"{trip['wer'] * 100:.1f}% ({len(trip['misheard'])} misheard)", "≤ 5%")]


def _model_load_rows(loads: dict[str, Any]) -> list[tuple[str, str, str]]:
    if "error" in loads:
        return [("Model load time", _error(loads) or "", "")]
    figure = ", ".join(f"{name} {seconds} s" for name, seconds in loads.items())
    return [("Model load time (files checked by SHA-256)", figure, "")] if loads else []


def _load_rows(load: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for key, label in (("tts_100", "100 simultaneous TTS"), ("stt_50", "50 simultaneous STT")):
        if key in load:
            f = load[key]
            rows.append(
                (
                    label,
                    f"{f['completed']}/{f['requests']} completed, {f['errors']} errors, "
                    f"p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, "
                    f"server peak RSS {f['peak_rss_mb']} MB",
                    "0 errors",
                )
            )
    if load:
        rows.append(("Mock server RSS at rest", f"{load['server_rss_at_rest_mb']} MB", ""))
    return rows


def _agent_rows(agent: dict[str, Any]) -> list[tuple[str, str, str]]:
    if not agent:
        return []
    median = agent["median_ms"]
    figure = " / ".join(f"{median[m]:.0f}" for m in median) + " ms"
    label = (
        f"Voice agent turn (speech at {agent['pace']:g}× real time, median of {agent['runs']}): "
        "speech end → final transcript / first token / first audio / last audio"
    )
    return [(label, figure, "first audio < 800 ms")]


def _markdown(rows: list[tuple[str, str, str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
