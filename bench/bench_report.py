"""The bench's goal checks, its markdown page and its JSON record (tables: `bench.bench_tables`)."""

from __future__ import annotations

from typing import Any

from bench import bench_stats as stats
from bench.bench_tables import Report
from bench.bench_workers import COLD_GOAL_CASE, FAST_LINES, OURS, PEER

pct = stats.pct

Goal = tuple[str, str, str, bool]
"""What is measured, the figure, the target, and whether it is met."""


def goals(report: Report) -> list[Goal]:
    """The issue's targets against this run's figures."""
    pages, lines = report.groups["page"], report.groups["line"]
    page_speedup = report.page_sum(PEER) / report.page_sum(OURS)
    worst = min(report.runs.p50(PEER, c) / report.runs.p50(OURS, c) for c in pages)
    ours_acc, peer_acc = report.runs.score(OURS, pages).accuracy, report.runs.score(PEER, pages).accuracy
    doc = next(c for c in pages if c.name == "page_document_1080p")
    doc_ms = report.runs.p50(OURS, doc)
    line_speedup = report.line_sum(PEER) / report.line_sum(OURS)
    worst_line = min(report.runs.p50(PEER, c) / report.runs.p50(OURS, c) for c in lines)
    ours_line_acc, peer_line_acc = (
        report.runs.score(OURS, lines).accuracy,
        report.runs.score(PEER, lines).accuracy,
    )
    mem = report.memory["after_main"]
    mem_ratio = mem[OURS]["vmhwm_kb"] / mem[PEER]["vmhwm_kb"]
    checks = [
        (
            "full page >= 3x faster than peer (sum of 4 page medians)",
            f"{page_speedup:.2f}x (worst page {worst:.2f}x)",
            ">= 3x",
            page_speedup >= 3,
        ),
        (
            "... at equal or better page line accuracy",
            f"{pct(ours_acc)} vs {pct(peer_acc)}",
            ">= peer",
            ours_acc >= peer_acc,
        ),
        ("1080p document page, warm median", f"{doc_ms:.0f} ms", "< 300 ms", doc_ms < 300),
        (
            f"single line >= 2x faster than peer's recognizer (sum of {len(lines)} crop medians)",
            f"{line_speedup:.2f}x (worst crop {worst_line:.2f}x; acc {pct(ours_line_acc)} vs "
            f"{pct(peer_line_acc)}){fast_lines_note(report)}",
            ">= 2x",
            line_speedup >= 2,
        ),
        *[cold_goal(report, case) for case in report.cold if case == COLD_GOAL_CASE],
        (
            "peak RSS (VmHWM) of the worker after all main cases",
            f"{stats.mb(mem[OURS]['vmhwm_kb'])} vs "
            f"{stats.mb(mem[PEER]['vmhwm_kb'])} ({mem_ratio:.2f} of peer)",
            "<= 0.5 of peer",
            mem_ratio <= 0.5,
        ),
    ]
    return [*checks, package_goal(report)]


def package_goal(report: Report) -> Goal:
    if report.package["status"] != "built":
        return ("package (sam build output, unzipped)", "not built (run `sam build`)", "< 150 MB", False)
    size = report.package["api_bytes"]
    name = report.package["api_function"]
    return (f"package ({name}, unzipped)", f"{size / 1e6:.0f} MB", "< 150 MB", size < 150e6)


def fast_lines_note(report: Report) -> str:
    """The `fast` preset's line ratio: no second reading of the lines the tiny model doubts."""
    if not report.runs.ms.get(FAST_LINES):
        return ""
    return f"; preset fast: {report.line_sum(PEER) / report.line_sum(FAST_LINES):.2f}x"


def cold_goal(report: Report, case: str) -> Goal:
    side = "ours (handler)" if "ours (handler)" in report.cold[case] else "ours (engine)"
    ours, peer = report.cold_ms(case, side), report.cold_ms(case, PEER)
    return (
        f"cold start to first answer ({case}), {side} vs peer",
        f"{ours:.0f} ms vs {peer:.0f} ms ({peer / ours:.2f}x)",
        ">= 2x and < 600 ms",
        peer / ours >= 2 and ours < 600,
    )


def markdown(report: Report) -> str:
    m = report.meta
    goal_table = stats.table(
        ["goal", "measured", "target", "met"],
        [[g, v, t, "yes" if ok else "**no**"] for g, v, t, ok in goals(report)],
    )
    return "\n\n".join(
        [
            "# Benchmark: ours vs RapidOCR",
            f"{m['date']} - {m['machine']} - {m['threads']} intra-op threads both sides - "
            f"our default preset `{m['our_default_preset']}` - peer: {m['peer']} - "
            f"rounds: {m['repeats']} - load average at end "
            f"{', '.join(f'{x:.1f}' for x in m['load_average_at_end'])} - {m['bench_seconds']:.0f} s.",
            "Timings are in-process wall time from image bytes to line texts (decode included), "
            'medians of interleaved runs after one warm-up. "lines exact": ground-truth lines '
            "reproduced exactly under the evaluation's rule (`bench/scoring.py`: full-width forms as "
            "ASCII, a space next to Chinese not counted, spaces between Latin words counted); CER on "
            "the concatenated text without spaces. Peer single "
            "lines: recognizer only (use_det=False, use_cls=False); ours: mode=line without the "
            "orientation classifier, i.e. the recognizer(s) alone (the preset rows below run the "
            "default line path, classifier included). Pages: peer "
            "default pipeline; ours: mode=page.",
            "## Goals",
            goal_table,
            "## Speed and accuracy",
            report.speed_table(),
            "## Cold start",
            "Fresh process (interpreter start, imports, model loading) until its first answer; "
            f'ours via {m["cold_start_ours_via"]}; "ours (engine)" imports ocr_core only. '
            "Pages: ours mode=auto, peer default pipeline; line: ours mode=line, peer recognizer only.",
            report.cold_table(),
            "## Memory",
            report.memory_table(),
            "## Package",
            report.package_line(),
            "## Presets (ours, separate worker)",
            report.variant_table(),
            "## Where the time goes (median per stage, pages)",
            report.stage_table(),
            "## Scaling",
            "![time vs megapixels and lines](scaling.png)",
            report.scaling_table(),
        ]
    )


def as_json(report: Report) -> dict[str, Any]:
    cases = [c for group in report.groups.values() for c in group]
    engines: dict[str, Any] = {}
    for label in report.runs.texts:
        engines[label] = {}
        for c in cases:
            if c.name not in report.runs.texts[label]:
                continue
            s = report.runs.score(label, [c])
            engines[label][c.name] = {
                "p50_ms": report.runs.p50(label, c),
                "p90_ms": report.runs.p90(label, c),
                "runs_ms": report.runs.ms[label][c.name],
                "lines_exact": s.exact,
                "lines": s.lines,
                "cer": s.cer,
                "texts": report.runs.texts[label][c.name],
                "stages_p50_ms": {
                    k: stats.p50([st.get(k, 0.0) for st in report.runs.stages[label][c.name]])
                    for k in {k for st in report.runs.stages[label][c.name] for k in st}
                },
            }
    return {
        "meta": report.meta,
        "goals": [{"goal": g, "measured": v, "target": t, "met": ok} for g, v, t, ok in goals(report)],
        "cases": [
            {
                "name": c.name,
                "group": c.group,
                "file": c.file,
                "size": [c.width, c.height],
                "x": c.x,
                "lines": list(c.lines),
            }
            for c in cases
        ],
        "engines": engines,
        "cold_start": report.cold,
        "memory": report.memory,
        "package": report.package,
    }
