"""How often an improvement project's line says "more than its usual ups and downs" when the
project did nothing: `python -m bench.project_calibration [--projects 120] [--seed 2]`.

On a freshly built demo store (no effect was planted for any project), made-up projects are
recorded one at a time (a partnership school outside the improving cohort, a start date from
2018 to 2023, a teacher-assessment measure) and `impact.analysis.projects.project_line` is
asked each time. A 95% interval should call about 5% of them "clear". The figures, with how
they were made, go to bench/results/project_calibration.md.

Why it matters: an earlier version that treated a year's three terms as three independent
pieces of evidence called many such projects "clear" (two of the demo's three); the line now
works on whole academic years.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def run(projects: int = 120, seed: int = 2) -> dict:
    from impact import demo
    from impact.analysis.projects import project_line
    from impact.auth import DEMO_ADMIN
    from impact.store import Store

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        demo.build(path, force=True, directory=Path(folder) / "files")
        store = Store(path)
        rng = random.Random(seed)
        hosts = [s.urn for s in demo.SCHOOLS if s.group != "comparison"
                 and s.urn not in demo.PLANTED["improving"]["urns"]]
        judged = clear = 0
        for _ in range(projects):
            host = rng.choice(hosts)
            start = dt.date(rng.randint(2018, 2023), rng.choice([1, 4, 9, 10]), 5)
            measure = rng.choice(["ta_reading", "ta_writing", "ta_maths"])
            with store.writing(DEMO_ADMIN) as tx:
                tx.execute("DELETE FROM improvement_projects")
                tx.execute("INSERT INTO improvement_projects (urn, project, start_date, "
                           "measure) VALUES (?, 'made up', ?, ?)", [host, start, measure])
            line = project_line(store, host, "made up")
            if line.status == "ok" and line.low is not None:
                judged += 1
                clear += line.clear
        store.close()
    return {"projects": projects, "seed": seed, "judged": judged, "called_clear": clear,
            "share": clear / judged if judged else None,
            "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.project_calibration",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args(argv)
    result = run(args.projects, args.seed)
    text = (
        "# Improvement projects with no effect: how often the line says \"clear\"\n\n"
        f"`python -m bench.project_calibration --projects {result['projects']} --seed "
        f"{result['seed']}` on a fresh demo store (no project effect planted): "
        f"{result['judged']} made-up projects could be judged, {result['called_clear']} "
        f"were called more than the usual ups and downs ({result['share']:.1%}; a 95% "
        "interval should give about 5%, and the partners' own cohort effects add a little). "
        f"Took {result['seconds']:.0f} s.\n")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "project_calibration.md").write_text(text, encoding="utf-8")
    print(text)
    return result


if __name__ == "__main__":
    main()
