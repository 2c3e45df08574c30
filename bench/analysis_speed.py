"""Analysis speed: the staggered difference-in-differences with its clustered bootstrap.

Times `impact.analysis.impact_estimate` (the function the Cohorts page and `python -m impact
estimate` call) on the national-scale store for its 60-school staggered cohort, against a
chosen pool of 2,000 comparison schools and against every not-yet-joined school in England.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from impact.analysis import impact_estimate
from impact.store import Store

COHORT = "Large Trust / Large cohort"


def run(db: Path, runs: int = 3) -> list[dict[str, object]]:
    store = Store(db, read_only=True)
    try:
        pool = store.query(
            "SELECT urn FROM schools WHERE phase = 'Primary' "
            "AND urn NOT IN (SELECT urn FROM memberships) ORDER BY urn LIMIT 2000")["urn"]
        cases = [("60-school cohort, chosen pool of 2,000 schools", "chosen", list(pool)),
                 ("60-school cohort, every not-yet-joined school", "not_yet_joined", None)]
        results = []
        for label, comparison, urns in cases:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                estimate = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp",
                                           comparison=comparison, urns=urns)
                times.append(time.perf_counter() - started)
            results.append({"case": label, "seconds": statistics.median(times),
                            "draws": estimate.draws,
                            "schools": len(estimate.joining_schools)
                            + len(estimate.comparison_schools),
                            "status": estimate.status})
        return results
    finally:
        store.close()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    for row in run(Path(args.db)):
        print(row)
