"""Analysis speed: the staggered difference-in-differences with its clustered bootstrap.

Times `impact.analysis.impact_estimate` (the function the Cohorts page and `python -m impact
estimate` call) on the national-scale store for its 60-school staggered cohort, against a
chosen pool of 2,000 comparison schools and against every not-yet-joined school in England,
with the multiplier bootstrap (the default) and with the school resampling it replaced
(`bootstrap="resample"`), in the same run. Wall time and the process's CPU time are both
kept: on a shared machine the wall time carries the other users' load.

    python -m bench.analysis_speed --db /tmp/national.duckdb [--write] [--bootstrap multiplier]

`--write` saves bench/results/analysis.json and regenerates BENCHMARKS.md. `--bootstrap`
times only that bootstrap (a quick look; `--write` needs both).

Where the time went before issue 12 brought the national case from about 0.9 s to under
0.2 s: sorting and converting every column of the figures (now only the four used, put in
order in numpy), pandas grouping to build the school × year matrix (numpy), a multi-threaded
BLAS waiting on a busy two-core machine (one thread), long differences worked out school by
school for 20,000 comparison schools (once per pair of years), and 17,000 frozen dataclasses
for the comparison schools' names.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from impact.analysis import impact_estimate
from impact.analysis.did import MULTIPLIER, RESAMPLE
from impact.store import Store

COHORT = "Large Trust / Large cohort"
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_SECONDS = 0.2


def run(db: Path, runs: int = 3,
        bootstraps: tuple[str, ...] = (MULTIPLIER, RESAMPLE)) -> list[dict[str, object]]:
    store = Store(db, read_only=True)
    try:
        pool = store.query(
            "SELECT urn FROM schools WHERE phase = 'Primary' "
            "AND urn NOT IN (SELECT urn FROM memberships) ORDER BY urn LIMIT 2000")["urn"]
        cases = [("60-school cohort, chosen pool of 2,000 schools", "chosen", list(pool)),
                 ("60-school cohort, every not-yet-joined school", "not_yet_joined", None)]
        results = []
        for label, comparison, urns in cases:
            for bootstrap in bootstraps:
                times, cpu = [], []
                for _ in range(runs):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    estimate = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp",
                                               comparison=comparison, urns=urns,
                                               bootstrap=bootstrap)
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                results.append({"case": label, "bootstrap": bootstrap,
                                "seconds": statistics.median(times),
                                "cpu_seconds": statistics.median(cpu),
                                "draws": estimate.draws,
                                "schools": len(estimate.joining_schools)
                                + len(estimate.comparison_schools),
                                "effect": estimate.effect, "low": estimate.low,
                                "high": estimate.high, "status": estimate.status})
        return results
    finally:
        store.close()


if __name__ == "__main__":
    import argparse

    from bench import machine, report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bootstrap", choices=(MULTIPLIER, RESAMPLE), default=None,
                        help="time only this bootstrap")
    parser.add_argument("--write", action="store_true",
                        help="save bench/results/analysis.json and rewrite BENCHMARKS.md")
    args = parser.parse_args()
    if args.write and args.bootstrap:
        parser.error("--write records both bootstraps: leave out --bootstrap")
    rows = run(Path(args.db), runs=args.runs,
               bootstraps=(args.bootstrap,) if args.bootstrap else (MULTIPLIER, RESAMPLE))
    for row in rows:
        print(row)
    if args.write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "analysis.json").write_text(json.dumps(
            {"machine": machine.describe(), "runs": args.runs, "rows": rows,
             "target_seconds": TARGET_SECONDS}, indent=2, default=str), encoding="utf-8")
        report.write()
