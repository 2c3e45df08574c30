"""BENCHMARKS.md, written from the results files so published figures are never retyped.

`python -m bench.report` rewrites it from bench/results/{speed,reliability,did_simulation}.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
OUT = ROOT / "BENCHMARKS.md"
TRUST_RATIO = 3.0
NATIONAL_SECONDS = 0.5
IMPORT_RATIO = 3.0


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def speed_section(speed: dict[str, Any]) -> str:
    lines = ["## Speed and memory (`make bench`)", "",
             f"Machine: {speed['machine']}. Medians of {speed['runs']} runs; the floor is "
             "measured in the same run. Whole run: "
             f"{speed['seconds'] / 60:.0f} min.", ""]
    rows = speed["national_rows"]
    lines += ["National-scale store (`python -m bench.national`): "
              + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in rows.items())
              + f"; built in {speed['national_build_s']:.0f} s.", ""]
    bare = speed["bare_script"]
    lines += ["### Pages", "",
              "Full script run of each page under AppTest. *Cold*: the app's caches (query "
              "results, analyses, built charts) emptied first, as after an upload (the store "
              "stays open, as in a running server); *warm*: the rerun straight after, as when "
              "the next person opens the same view. The floor is an empty page of the app (`bench/empty_page.py`: "
              "navigation, sidebar and store, nothing drawn). A bare empty Streamlit script "
              f"takes {_ms(bare['cold_s'])} cold and {_ms(bare['warm_s'])} warm.", "",
              f"Targets: within {TRUST_RATIO:g}x the empty page at trust scale; under "
              f"{NATIONAL_SECONDS} s at national scale.", ""]
    trust, nation = speed["pages_trust"], speed["pages_national"]
    t_floor = trust[0]
    lines += ["| page | trust cold | cold / empty | trust warm | warm / empty | national cold "
              "| national warm | trust target (cold, warm) | national target (cold, warm) |",
              "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for t, n in zip(trust, nation, strict=True):
        cold = t["cold_s"] / t_floor["cold_s"]
        warm = t["warm_s"] / t_floor["warm_s"]
        lines.append(
            f"| {Path(t['page']).stem} | {_ms(t['cold_s'])} | {cold:.1f}x | {_ms(t['warm_s'])} "
            f"| {warm:.1f}x | {_ms(n['cold_s'])} | {_ms(n['warm_s'])} | "
            f"{_mark(cold <= TRUST_RATIO)}, {_mark(warm <= TRUST_RATIO)} | "
            f"{_mark(n['cold_s'] < NATIONAL_SECONDS)}, {_mark(n['warm_s'] < NATIONAL_SECONDS)} |")
    lines += ["", "What a cold run spends its time on: Overview and Cohorts run the "
              "difference-in-differences with its 999-draw bootstrap for each cohort (about 1 s "
              "against a national comparison pool of 20,000 schools, below); Schools works out "
              "the line of every measure for the school and its partnership; CPD and Ofsted "
              "compare with every school in England. Every page then builds Plotly figures, "
              "which costs tens of milliseconds each, so no page that draws a chart is within 3x "
              "of a page that draws nothing. Warm runs reuse the built charts (`made_once`)."]
    lines += ["", "### Imports", "",
              f"End to end (read, validate, compare with the store, write in one transaction), "
              f"against the bare parse as the floor. Target: within {IMPORT_RATIO:g}x.", "",
              "| file | floor | floor time | common alternative | ours | ours / floor | target |",
              "|---|---|---:|---:|---:|---:|---|"]
    for row in speed["imports"]:
        lines.append(f"| {row['benchmark']} | {row['floor']} | {row['floor_s']:.2f} s | "
                     f"{row['alternative']}: {row['alternative_s']:.2f} s | "
                     f"{row['ours_s']:.2f} s | {row['ratio']:.1f}x | "
                     f"{_mark(row['ratio'] <= IMPORT_RATIO)} |")
    lines += ["", "### Analysis", "",
              "`impact_estimate` (what the Cohorts page and `python -m impact estimate` run): "
              "staggered difference-in-differences with a school-clustered bootstrap.", "",
              "| case | draws | seconds |", "|---|---:|---:|"]
    for row in speed["analysis"]:
        lines.append(f"| {row['case']} | {row['draws']} | {row['seconds']:.2f} |")
    mem = speed["memory"]
    lines += ["", "### Memory", "",
              f"`streamlit run app.py` on the national-scale store, every page opened twice in "
              f"headless Chromium: {mem['idle_mb']:.0f} MB resident when started, "
              f"**{mem['peak_mb']:.0f} MB peak** (VmHWM).", "",
              "Seconds from loading the page's address (a full reload of the app in the "
              "browser) to the script finishing, first visit: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in mem["browser_seconds"].items()) + "."]
    if mem.get("browser_seconds_again"):
        lines += ["", "Visited again: " + ", ".join(
            f"{k} {v:.1f} s" for k, v in mem["browser_seconds_again"].items())
            + ". The Data page, which draws no chart, is the floor of a full reload."]
    lines.append("")
    return "\n".join(lines)


def reliability_section(rel: dict[str, Any]) -> str:
    counts = rel.get("counts", rel)
    text = (RESULTS / "reliability.md").read_text(encoding="utf-8") \
        if (RESULTS / "reliability.md").exists() else ""
    lines = ["## Reliability (`make bench-reliability`)", ""]
    if text:
        body = text.split("\n", 1)[1] if text.startswith("#") else text
        lines.append(body.replace("\n## ", "\n### ").strip())
    else:
        lines.append(json.dumps(counts, indent=2))
    lines.append("")
    return "\n".join(lines)


def simulation_section(sim: dict[str, Any]) -> str:
    head = sim["headline"]
    lines = ["## Is the estimate right? (`make bench-simulation`)", "",
             f"{sim['panels']} simulated panels per scenario, {sim['draws']} bootstrap draws, "
             f"seed {sim['seed']}; {sim['seconds'] / 60:.0f} min on {sim['machine']}. "
             "Full tables: [bench/results/did_simulation.md](bench/results/did_simulation.md).",
             "", f"Default base: `{head['default_base']}`.", "",
             "| figure | " + " | ".join(head["bases"]) + " |",
             "|---|" + "---:|" * len(head["bases"])]
    names = {
        "bias_effect_5": "bias, planted +5 points",
        "rmse_effect_5": "RMSE, planted +5 points",
        "coverage_effect_5": "95% interval coverage, +5 points",
        "coverage_8_schools": "coverage, 8 schools",
        "coverage_4_schools": "coverage, 4 schools",
        "false_positive_no_effect": "no effect, interval excludes 0",
        "pre_trend_size": "pre-trend check, false alarms",
        "pre_trend_power_1_5_per_year": "pre-trend check flags a 1.5 point/year drift",
        "pre_trend_power_0_75_per_year": "pre-trend check flags a 0.75 point/year drift",
        "ms_per_estimate": "ms per estimate",
    }
    for key, label in names.items():
        cells = []
        for base in head["bases"].values():
            value = base.get(key)
            if value is None:
                cells.append("")
            elif key.startswith(("coverage", "false", "pre_trend")):
                cells.append(f"{value:.1%}")
            else:
                cells.append(f"{value:.2f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


def undo_section(undo: dict[str, Any]) -> str:
    """Undo at national scale: what logging every sent row costs (`python -m bench.undo`)."""
    return "\n".join([
        "## Undo at national scale (`python -m bench.undo`)", "",
        f"{undo['rows']:,} attainment rows written through the pipeline's write step, then "
        f"sent again unchanged; medians of {undo['runs']} runs on {undo['machine']}. Every "
        "upload logs each key it sent, unchanged ones too, so that undoing an earlier upload "
        "sees a later one that re-sent the same rows.", "",
        "| step | seconds |", "|---|---:|",
        f"| first upload | {undo['first_upload_s']:.2f} |",
        f"| the same rows again, unchanged rows logged | {undo['resend_logged_s']:.2f} |",
        f"| the same rows again, unchanged rows not logged (before) | "
        f"{undo['resend_not_logged_s']:.2f} |",
        f"| undo of the first, refused naming the re-send | {undo['refused_undo_s']:.2f} |",
        f"| undo of the re-send | {undo['undo_resend_s']:.2f} |",
        f"| then undo of the first ({undo['rows']:,} rows removed) | "
        f"{undo['undo_first_s']:.2f} |", "",
        f"Logging the unchanged rows costs {undo['resend_cost_ratio']:.2f}× the re-send "
        f"without it; the change log holds {undo['log_rows']:,} rows (keys only for the "
        "re-send).", ""])


def write() -> str:
    speed = _load("speed.json")
    rel = _load("reliability.json")
    sim = _load("did_simulation.json")
    undo = _load("undo.json")
    parts = ["# Benchmarks", "",
             "Speed, memory and reliability targets live here, never in timed unit tests. "
             "Every figure below is written by the benchmark scripts from "
             "`bench/results/*.json`; regenerate this file with `python -m bench.report`.", "",
             "| reproduce | what | time |", "|---|---|---|",
             "| `make bench` | pages, imports, analysis, memory at trust and national scale "
             "| about 5 min |",
             "| `make bench-reliability` | fuzzing, concurrent uploads, SIGKILL crashes "
             "| about 15 min |",
             "| `make bench-simulation` | bias and coverage of the impact estimate "
             "| about 15 min |",
             "| `python -m bench.undo` | undo's change log at national scale | about 1 min |",
             ""]
    if speed:
        parts.append(speed_section(speed))
    if rel:
        parts.append(reliability_section(rel))
    if sim:
        parts.append(simulation_section(sim))
    if undo:
        parts.append(undo_section(undo))
    text = "\n".join(parts)
    OUT.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    write()
    print(f"wrote {OUT}")
