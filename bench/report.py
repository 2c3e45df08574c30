"""BENCHMARKS.md, written from the results files so published figures are never retyped.

`python -m bench.report` rewrites it from bench/results/{speed,hostile,reliability,
did_simulation,undo,analysis}.json; `speed_before_issue12.json` is the `make bench` run before
issue 12 (fast from the first visit), kept so its figures stand beside today's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
OUT = ROOT / "BENCHMARKS.md"
TRUST_RATIO = 3.0  # a page's cold script run, against the empty page, at trust scale
WARM_RATIO = 2.0  # a page's warm script run, against the empty page
NATIONAL_SECONDS = 0.5
IMPORT_RATIO = 3.0
FIRST_VISIT_RATIO = 1.5  # a page's first visit in the browser, against a page that draws nothing
MEMORY_MB = 500


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _before_pages(before: dict[str, Any] | None, scale: str) -> dict[str, float]:
    if not before:
        return {}
    return {Path(row["page"]).stem: row["cold_s"] for row in before[scale]}


def _cpu(row: dict[str, Any], key: str) -> str:
    return f" ({_ms(row[key])} CPU)" if key in row else ""


def speed_section(speed: dict[str, Any], before: dict[str, Any] | None = None) -> str:
    lines = ["## Speed and memory (`make bench`)", "",
             f"Machine: {speed['machine']}. Medians of {speed['runs']} runs; the floor is "
             "measured in the same run. Whole run: "
             f"{speed['seconds'] / 60:.0f} min."
             + (" *Before*: the `make bench` run before issue 12 (fast from the first visit), "
                f"on {before['machine']} (bench/results/speed_before_issue12.json)."
                if before else ""), ""]
    rows = speed["national_rows"]
    lines += ["National-scale store (`python -m bench.national`): "
              + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in rows.items())
              + f"; built in {speed['national_build_s']:.0f} s.", ""]
    bare = speed["bare_script"]
    lines += ["### Pages", "",
              "Full script run of each page under AppTest. *Cold*: the app's caches (query "
              "results, analyses, built charts) emptied first, as after an upload (the store "
              "stays open, as in a running server; the impact estimates, trends and pairings "
              "the server makes in the background once per store revision are derived data "
              "and are kept, as a visitor a little after an upload finds them made); *warm*: "
              "the rerun straight after, as when the next person opens the same view. The "
              "floor is an empty page of the app (`bench/empty_page.py`: navigation, sidebar "
              "and store, nothing drawn). A bare empty Streamlit script takes "
              f"{_ms(bare['cold_s'])} cold and {_ms(bare['warm_s'])} warm. CPU time (this "
              "process's) is given beside the wall time where it was measured.", "",
              f"Targets: cold within {TRUST_RATIO:g}x and warm within {WARM_RATIO:g}x the empty "
              f"page at trust scale; under {NATIONAL_SECONDS} s at national scale.", ""]
    trust, nation = speed["pages_trust"], speed["pages_national"]
    t_floor = trust[0]
    t_before, n_before = _before_pages(before, "pages_trust"), _before_pages(before, "pages_national")
    lines += ["| page | trust cold before | trust cold | cold / empty | trust warm | warm / empty "
              "| national cold before | national cold | national warm "
              "| trust target (cold, warm) | national target (cold, warm) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for t, n in zip(trust, nation, strict=True):
        page = Path(t["page"]).stem
        cold = t["cold_s"] / t_floor["cold_s"]
        warm = t["warm_s"] / t_floor["warm_s"]
        was_t = _ms(t_before[page]) if page in t_before else "—"
        was_n = _ms(n_before[page]) if page in n_before else "—"
        lines.append(
            f"| {page} | {was_t} | {_ms(t['cold_s'])}{_cpu(t, 'cold_cpu_s')} | {cold:.1f}x "
            f"| {_ms(t['warm_s'])} | {warm:.1f}x | {was_n} "
            f"| {_ms(n['cold_s'])}{_cpu(n, 'cold_cpu_s')} | {_ms(n['warm_s'])} | "
            f"{_mark(cold <= TRUST_RATIO)}, {_mark(warm <= WARM_RATIO)} | "
            f"{_mark(n['cold_s'] < NATIONAL_SECONDS)}, {_mark(n['warm_s'] < NATIONAL_SECONDS)} |")
    lines += ["", "What made the difference (issue 12): the impact estimates, the trends and "
              "the pairings the pages open on are made once per store revision by the server's "
              "background thread and kept with the revision (a page whose result is still "
              "being made says so and fills in); every chart is built in one step from plain "
              "traces and layout (Plotly checks each property every time a figure is changed, "
              "which was most of a page's time); queries read only the rows and columns a page "
              "needs; the Set up page's school list no longer rebuilt the cohort members once "
              "per school (4.6 s at national scale); the bootstrap runs on one BLAS thread, "
              "with the comparison schools' part worked out once per pair of years. What is "
              "left at trust scale is mostly the 15 to 25 queries a cold run makes again and "
              "the tables' downloads."]
    lines += ["", "### Imports", "",
              f"End to end (read, validate, compare with the store, write in one transaction), "
              f"against the bare parse as the floor. Target: within {IMPORT_RATIO:g}x.", "",
              "| file | floor | floor time | common alternative | ours | ours / floor "
              "| before / floor | target |",
              "|---|---|---:|---:|---:|---:|---:|---|"]
    was = {row["benchmark"]: row["ratio"] for row in (before or {}).get("imports", [])}
    for row in speed["imports"]:
        cpu = (f" ({row['ours_cpu_s']:.2f} s CPU, {row['cpu_ratio']:.1f}x)"
               if "ours_cpu_s" in row else "")
        then = f"{was[row['benchmark']]:.1f}x" if row["benchmark"] in was else "—"
        lines.append(f"| {row['benchmark']} | {row['floor']} | {row['floor_s']:.2f} s | "
                     f"{row['alternative']}: {row['alternative_s']:.2f} s | "
                     f"{row['ours_s']:.2f} s{cpu} | {row['ratio']:.1f}x | {then} | "
                     f"{_mark(row['ratio'] <= IMPORT_RATIO)} |")
    lines += ["", "### Analysis", "",
              "`impact_estimate` (what the Cohorts page and `python -m impact estimate` run): "
              "staggered difference-in-differences with a school-clustered bootstrap.", "",
              "| case | bootstrap | draws | seconds | before |", "|---|---|---:|---:|---:|"]
    was = {row["case"]: row["seconds"] for row in (before or {}).get("analysis", [])
           if row.get("bootstrap", "resample") == "resample"}
    for row in speed["analysis"]:
        cpu = f" ({row['cpu_seconds']:.2f} CPU)" if "cpu_seconds" in row else ""
        old = was.get(row["case"]) if row.get("bootstrap") == "multiplier" else None
        lines.append(f"| {row['case']} | {row.get('bootstrap', 'resample')} | {row['draws']} "
                     f"| {row['seconds']:.2f}{cpu} | "
                     f"{'—' if old is None else f'{old:.2f}'} |")
    lines += ["", "*Before*: the school resampling, the default then, in the run before issue 12."]
    mem = speed["memory"]
    old_mem = (before or {}).get("memory", {})
    lines += ["", "### Memory and the first visit", "",
              "`streamlit run app.py` on the national-scale store, signed in, every page "
              "opened twice in headless Chromium through the menu: "
              f"{mem['idle_mb']:.0f} MB resident when started, **{mem['peak_mb']:.0f} MB peak** "
              f"(VmHWM; target under {MEMORY_MB} MB: {_mark(mem['peak_mb'] < MEMORY_MB)})"
              + (f"; before: {old_mem['peak_mb']:.0f} MB, measured without the pages the menu "
                 "folds under \"View more\"" if old_mem else "") + "."]
    if mem.get("resident_mb_after"):
        lines += ["", "Resident after each page, the first time round: " + ", ".join(
            f"{k} {v:,} MB" for k, v in mem["resident_mb_after"].items()) + "."]
    first = mem["browser_seconds"]
    floor = first.get("data")
    lines += ["", "Seconds from clicking a page in the menu to its script finishing in the "
              "browser, first visit (the server works out what the page needs): "
              + ", ".join(f"{k} {v:.1f} s" + (f" ({v / floor:.1f}x)" if floor else "")
                          for k, v in first.items())
              + (". The floor is the Data page, which draws no chart; target within "
                 f"{FIRST_VISIT_RATIO:g}x: " + _mark(all(v / floor <= FIRST_VISIT_RATIO
                                                      for v in first.values()))
                 if floor else "") + "."]
    if old_mem.get("browser_seconds"):
        lines += ["", "Before (a full reload of the page's address, before sign-in existed): "
                  + ", ".join(f"{k} {v:.1f} s" for k, v in old_mem["browser_seconds"].items())
                  + "."]
    if mem.get("browser_seconds_again"):
        lines += ["", "Visited again: " + ", ".join(
            f"{k} {v:.1f} s" for k, v in mem["browser_seconds_again"].items()) + "."]
    lines += ["", "Impact estimates made by the server's background thread are also written to "
              "the store with the revision they came from (migration 006, `derived_estimates`: "
              "JSON of the typed `Estimate`, restored as the dataclass on read), so a server "
              "that restarts reads them rather than making them again "
              "(tests/analysis/test_derived_estimates.py)."]
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
    sizes = head.get("sizes", [3, 7, 20])
    lines = ["## Is the estimate right? (`make bench-simulation`)", "",
             f"{sim['panels']} simulated panels per scenario, {sim['draws']} bootstrap draws, "
             f"seed {sim['seed']}; {sim['seconds'] / 60:.0f} min on {sim['machine']}. "
             "Full tables: [bench/results/did_simulation.md](bench/results/did_simulation.md).",
             "", f"Default base: `{head['default_base']}`. By the number of joining schools "
             "(coverage and width of the 95% interval with a planted +5 points; the check of "
             "the years before joining: false alarms with no drift, how often it flags a drift "
             "of 0.75 or 1.5 points a year, the power the page states for 0.75, and how often "
             "the page would call the comparison fair with that drift there):", ""]
    names = [("coverage", "95% interval coverage, +5 points"), ("width", "mean interval width"),
             ("false_positive", "no effect: interval excludes 0"),
             ("pre_trend_size", "pre-trend check, false alarms"),
             ("pre_trend_power_1_5", "flags a 1.5 point/year drift"),
             ("pre_trend_power_0_75", "flags a 0.75 point/year drift"),
             ("stated_power_0_75", "power the page states, 0.75/year"),
             ("says_fair_0_75", "says \"looks fair\" with a 0.75/year drift")]
    columns = [(base, n) for base in head["bases"] for n in sizes]
    lines += ["| figure | " + " | ".join(f"{n} schools ({base})" for base, n in columns) + " |",
              "|---|" + "---:|" * len(columns)]
    for key, label in names:
        cells = []
        for base, n in columns:
            value = head["bases"][base].get(f"{key}_{n}")
            if value is None:
                cells.append("")
            elif key == "width":
                cells.append(f"{value:.1f}")
            else:
                cells.append(f"{value:.1%}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


def hostile_section(hostile: dict[str, Any]) -> str:
    limits = hostile["limits"]
    lines = ["## Hostile files (`make bench`, or `python -m bench.hostile`)", "",
             f"Machine: {hostile['machine']}. Each file of `tests/importing/hostile_files.py` "
             "(made in code) goes through `plan_import`, the path of the Upload page and of "
             "`python -m impact import`, against a store with data in it. The store is "
             + ("**unchanged** afterwards (every table compared, and its revision)."
                if hostile["store_intact"] else "**CHANGED** afterwards: a defect.") + " "
             f"Limits in force: uploads up to {limits['upload_mb']} MB; the worker process "
             f"{limits['read_memory_mb']:,} MB and {limits['read_seconds']} s; "
             f"{limits['max_columns']:,} columns, {limits['max_rows']:,} rows, "
             f"{limits['max_cells']:,} cells; CSV lines of {limits['max_line_chars']:,} "
             f"characters; zip parts {limits['zip_member_mb']:,} MB each, "
             f"{limits['zip_total_mb']:,} MB in all, {limits['zip_ratio']}x unpacked over "
             "packed (see the README's table of `IMPACT_LIMIT_*` settings).", "",
             "*Time*: from bytes to the refusal or the checked plan. *Importer peak*: the peak "
             "resident memory of the importing process (the server's part) while the file was "
             f"checked; with pandas and the store loaded it is {hostile['baseline_mb']:.0f} MB "
             "before any file. *Worker peak*: what the worker process that read the file "
             "reported (\u2014 when none was needed, or it was stopped).", "",
             "| file | what | size | result | time | importer peak | worker peak |",
             "|---|---|---:|---|---:|---:|---:|"]
    groups = {"corpus": "Hostile files, default limits",
              "accepted": "Accepted (odd but legitimate), default limits",
              "worker": "Past the screening (its limits relaxed): the worker's own limits"}
    for group, title in groups.items():
        lines.append(f"| **{title}** | | | | | | |")
        for row in (r for r in hostile["rows"] if r["group"] == group):
            size = (f"{row['bytes'] / 1e6:,.1f} MB" if row["bytes"] >= 100_000
                    else f"{row['bytes'] / 1e3:,.1f} KB")
            worker = (f"{row['worker_peak_mb']:.0f} MB" if row["worker_peak_mb"]
                      else "\u2014")
            lines.append(f"| `{row['code']}` | {row['what']} | {size} | {row['result']} | "
                         f"{_ms(row['seconds'])} | {row['importer_peak_mb']:.0f} MB | "
                         f"{worker} |")
    lines += ["", "The sentence each refusal gives (first words):", ""]
    for row in hostile["rows"]:
        if row["sentence"]:
            lines.append(f"- `{row['code']}`: {row['sentence'][:160].rstrip()}\u2026")
    session = hostile["session"]
    lines += ["", "Before this work (issue 14, measured on the earlier main branch): the 1.6 KB "
              "far-cell workbook aborted the whole server (a 550 GB allocation); the 4.3 MB zip "
              "bomb was read for 90 s at 6.5 GB; the 1 million column CSV took 2\u20133 minutes "
              "and 2.4 GB before its refusal.", "",
              f"The Upload page (AppTest, `bench.hostile`): after a {session['nothing_new_file_mb']:.0f}"
              f" MB file with nothing new (\"{session['nothing_new_said'][0] if session['nothing_new_said'] else ''}\"), "
              f"the session keeps **{session['nothing_new_held_mb']:.2f} MB** (before: the plan "
              "with the file's bytes and rows, and the file in the chooser, for the rest of the "
              "session: 930 MB for a 200 MB file, issue 14). Waiting for \"Confirm and save\" "
              f"with a {session['waiting_file_mb']:.0f} MB file it keeps "
              f"{session['waiting_held_mb']:.1f} MB (the chooser's copy of the file, and the "
              "plan's rows, without a second copy of the bytes); once saved, "
              f"**{session['saved_held_mb']:.2f} MB**.", ""]
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


def analysis_section(analysis: dict[str, Any]) -> str:
    """bench/results/analysis.json: the bootstrap's speed, multiplier against resampling."""
    target = analysis.get("target_seconds", 0.2)
    lines = ["## The impact estimate's bootstrap (`python -m bench.analysis_speed`)", "",
             f"Reproduce: `python -m bench.national --out /tmp/national.duckdb`, then "
             f"`python -m bench.analysis_speed --db /tmp/national.duckdb --write`. Machine: "
             f"{analysis['machine']}. Medians of {analysis['runs']} runs of `impact_estimate` "
             "(queries, difference-in-differences, bootstrap, regression-to-the-mean check), "
             "both bootstraps in the same run. The machine is shared with other engineers' "
             "tests: wall time carries their load, CPU time (this process's) much less.", "",
             f"Target: under {target:g} s with 999 draws against every not-yet-joined school.",
             "", "| case | bootstrap | draws | wall seconds | CPU seconds | effect [interval] |",
             "|---|---|---:|---:|---:|---|"]
    for row in analysis["rows"]:
        interval = (f"{row['effect']:+.2f} [{row['low']:+.2f}, {row['high']:+.2f}]"
                    if row.get("effect") is not None and row.get("low") is not None else "—")
        lines.append(f"| {row['case']} | {row['bootstrap']} | {row['draws']} | "
                     f"{row['seconds']:.2f} | {row['cpu_seconds']:.2f} | {interval} |")
    national = [row for row in analysis["rows"] if row["bootstrap"] == "multiplier"
                and "not-yet-joined" in row["case"]]
    if national:
        met = national[0]["seconds"] < target
        lines += ["", f"Against every not-yet-joined school with the multiplier bootstrap: "
                  f"{national[0]['seconds']:.2f} s wall, {national[0]['cpu_seconds']:.2f} s "
                  f"CPU: target {_mark(met)}."]
    sim = _load("did_simulation.json")
    if sim:
        pm = sim["headline"]["bases"]["pre_mean"]
        lines += ["", "The simulation below (`make bench-simulation`) runs the multiplier "
                  "bootstrap: 95% interval coverage with a planted +5 points "
                  + ", ".join(f"{pm[f'coverage_{n}']:.1%} with {n} schools" for n in (3, 7, 20))
                  + f" (`pre_mean`), in {sim['seconds'] / 60:.0f} min of wall time."]
    lines += ["", "`resample` is the school resampling used before (kept as the reference the "
              "multiplier bootstrap is tested against, tests/analysis/test_bootstrap.py); "
              "`multiplier` is the default.", ""]
    return "\n".join(lines)


def write() -> str:
    speed = _load("speed.json")
    hostile = _load("hostile.json")
    rel = _load("reliability.json")
    sim = _load("did_simulation.json")
    undo = _load("undo.json")
    analysis = _load("analysis.json")
    before = _load("speed_before_issue12.json")
    parts = ["# Benchmarks", "",
             "Speed, memory and reliability targets live here, never in timed unit tests. "
             "Every figure below is written by the benchmark scripts from "
             "`bench/results/*.json`; regenerate this file with `python -m bench.report`.", "",
             "| reproduce | what | time |", "|---|---|---|",
             "| `make bench` | pages, imports, analysis, memory at trust and national scale; "
             "hostile files (`python -m bench.hostile` alone) | about 7 min |",
             "| `make bench-reliability` | fuzzing, concurrent uploads, SIGKILL crashes "
             "| about 15 min |",
             "| `make bench-simulation` | coverage, width, pre-trend size and power of the "
             "impact estimate at 3, 7 and 20 schools | about 40 min |",
             "| `python -m bench.undo` | undo's change log at national scale | about 1 min |",
             ""]
    if speed:
        parts.append(speed_section(speed, before))
    if analysis:
        parts.append(analysis_section(analysis))
    if hostile:
        parts.append(hostile_section(hostile))
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
