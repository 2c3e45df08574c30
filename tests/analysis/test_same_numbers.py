"""The estimates do not move when the code that computes them is made faster.

`golden/estimates.json` holds what `impact_estimate` (and `staggered_did` on simulated panels)
gave on generated data *before* issue 12 restructured the analysis for speed (narrower queries,
numpy instead of per-group pandas, one BLAS thread): every number of `Estimate.as_dict()`
(effects, intervals, event study, pre-trend check, sentences, schools used) for every
comparison, both bases and both bootstraps, on a small national-shaped store with missing and
suppressed results, unknown cohort sizes and schools that left. Each must still come out the
same, to 1e-12 relative (a different order of summing moves the last bits, never more).

The file was written by the code before that change run with one BLAS thread
(OPENBLAS_NUM_THREADS=1), which is how `staggered_did` now always runs: the bootstrap's
covariance is close to singular, so its square root carries the last bits of the products
before it, and those depended on how many threads the BLAS split them over (the old code gave
single draws 1e-10 apart, estimates 1e-13 apart, on one thread and on two). The code after the
change gives this file again to the last bit.

The store is `bench.national` at 1,200 schools, changed here so every path is exercised. If a
change is *meant* to move the numbers, write the file again with

    python -m tests.analysis.test_same_numbers

and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.national import BENCH_ACTOR, build
from bench.simulate_did import Scenario, simulate_panel
from impact.analysis import impact_estimate
from impact.analysis.did import BASES, MULTIPLIER, RESAMPLE, staggered_did
from impact.store import Store

GOLDEN = Path(__file__).resolve().parent / "golden" / "estimates.json"
COHORT = "Large Trust / Large cohort"
TOLERANCE = 1e-12

# (label, keyword arguments of impact_estimate)
CASES: list[tuple[str, dict]] = [
    *[(f"{comparison} {base} {bootstrap}",
       {"comparison": comparison, "base": base, "bootstrap": bootstrap})
      for comparison in ("not_yet_joined", "never_joined") for base in BASES
      for bootstrap in (MULTIPLIER, RESAMPLE)],
    *[(f"{comparison} {base}", {"comparison": comparison, "base": base})
      for comparison in ("national", "local_authority") for base in BASES],
    ("chosen pre_mean", {"comparison": "chosen", "urns": list(range(100000, 101200, 3))}),
    ("disadvantaged pre_mean", {"group": "disadvantaged"}),
    ("draws 199 seed 7", {"draws": 199, "seed": 7}),
    ("a cohort with nothing to estimate", {"cohort": "Trust 3 / Cohort 1"}),
    ("a smaller cohort last", {"cohort": "Trust 8 / Cohort 1", "base": "last"}),
]
# Long lists without a number in them are kept as their length and a digest.
DIGESTED = ("comparison_schools", "controls")
SIMULATED = [Scenario("20 schools, 5% missing", 5.0, treated=20, comparison=400, missing=0.05),
             Scenario("7 schools, drift", 0.0, pre_trend=1.0, treated=7, comparison=60)]

# Changes to the generated store so that missing years, suppressed figures, unknown cohort
# sizes and leavers (one leaving before its first year in, which leaves it out) all occur.
CHANGES = [
    "DELETE FROM attainment WHERE measure = 'ks2_rwm_exp' "
    "AND hash(urn, academic_year, 'gone') % 13 = 0",
    "UPDATE attainment SET value = NULL WHERE measure = 'ks2_rwm_exp' "
    "AND hash(urn, academic_year, 'hidden') % 17 = 0",
    "UPDATE attainment SET cohort_size = NULL WHERE measure = 'ks2_rwm_exp' "
    "AND hash(urn, academic_year, 'size') % 19 = 0",
    "UPDATE memberships SET left_date = DATE '2023-07-31' WHERE partnership = 'Large Trust' "
    "AND urn IN (SELECT urn FROM memberships WHERE partnership = 'Large Trust' "
    "AND joined_date < DATE '2020-01-01' ORDER BY urn LIMIT 4)",
    "UPDATE memberships SET left_date = joined_date + 10 WHERE partnership = 'Large Trust' "
    "AND urn IN (SELECT urn FROM memberships WHERE partnership = 'Large Trust' "
    "ORDER BY urn DESC LIMIT 1)",
]


def make_store(path: Path) -> Path:
    build(path, schools=1200)
    store = Store(path)
    try:
        with store.writing(BENCH_ACTOR) as tx:
            for sql in CHANGES:
                tx.execute(sql)
    finally:
        store.close()
    return path


def _simulated(scenario: Scenario, bootstrap: str) -> dict:
    outcomes, timing, _ = simulate_panel(np.random.default_rng(11), scenario)
    fit = staggered_did(outcomes, timing, draws=499, seed=3, base=scenario.base,
                        bootstrap=bootstrap)
    boot = fit.raw["boot"]
    return {"overall": fit.overall, "low": fit.low, "high": fit.high, "se": fit.se,
            "point": fit.raw["point"].tolist(), "boot_first": boot[:3].tolist(),
            "boot_mean": np.nanmean(boot, axis=0).tolist(),
            "pre_trend": fit.pre_trend.as_dict(),
            "cells": fit.cells.astype({"bridged": str}).to_dict(orient="list"),
            "treated": fit.treated.to_dict(orient="list"),
            "controls": fit.controls.to_dict(orient="list"),
            "excluded": fit.excluded.to_dict(orient="list")}


def compute(path: Path) -> dict:
    """Every number the golden file keeps, from the store at `path` and simulated panels."""
    out: dict[str, object] = {}
    store = Store(path, read_only=True)
    try:
        for label, kwargs in CASES:
            args = {"cohort": COHORT, "measure": "ks2_rwm_exp", **kwargs}
            out[label] = _digested(impact_estimate(store, **args).as_dict())
    finally:
        store.close()
    for scenario in SIMULATED:
        for bootstrap in (MULTIPLIER, RESAMPLE):
            out[f"simulated {scenario.name} {bootstrap}"] = _digested(
                _simulated(scenario, bootstrap))
    return json.loads(json.dumps(out, default=_plain))


def _digested(numbers: dict) -> dict:
    out = dict(numbers)
    for key in DIGESTED:
        if key in out:
            text = json.dumps(out[key], default=_plain, sort_keys=True)
            out[key] = {"count": len(out[key]["unit"] if isinstance(out[key], dict)
                                     else out[key]),
                        "sha256": hashlib.sha256(text.encode()).hexdigest()}
    return out


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value))


def _differences(got: object, want: object, where: str) -> list[str]:
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return [f"{where}: keys {sorted(got) if isinstance(got, dict) else got!r} "
                    f"!= {sorted(want)}"]
        return [d for k in want for d in _differences(got[k], want[k], f"{where}.{k}")]
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{where}: {got!r} != {want!r}"]
        return [d for i, (g, w) in enumerate(zip(got, want, strict=True))
                for d in _differences(g, w, f"{where}[{i}]")]
    if isinstance(want, float) and isinstance(got, (float, int)) \
            and not isinstance(got, bool):
        if math.isnan(want) and math.isnan(got):
            return []
        if abs(got - want) <= TOLERANCE * max(1.0, abs(want)):
            return []
        return [f"{where}: {got!r} != {want!r}"]
    return [] if got == want else [f"{where}: {got!r} != {want!r}"]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return compute(make_store(tmp_path_factory.mktemp("same") / "national.duckdb"))


@pytest.mark.parametrize("label", [label for label, _ in CASES]
                         + [f"simulated {s.name} {b}" for s in SIMULATED
                            for b in (MULTIPLIER, RESAMPLE)])
def test_the_same_numbers_as_before(computed: dict, label: str):
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))[label]
    differences = _differences(computed[label], want, label)
    assert not differences, "\n".join(differences[:20])


def test_the_comparison_catches_a_changed_number():
    """The check itself can fail: a number moved by more than rounding is reported."""
    want = {"effect": 1.25, "event_study": [{"low": -0.5}], "sentence": "Rose."}
    assert not _differences({"effect": 1.25 + 1e-14, "event_study": [{"low": -0.5}],
                             "sentence": "Rose."}, want, "x")
    assert _differences({"effect": 1.2500001, "event_study": [{"low": -0.5}],
                         "sentence": "Rose."}, want, "x")
    assert _differences({"effect": 1.25, "event_study": [{"low": -0.5}],
                         "sentence": "Fell."}, want, "x")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        numbers = compute(make_store(Path(folder) / "national.duckdb"))
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(numbers, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(numbers)} cases)")


def test_the_numpy_panel_and_the_pandas_one_agree():
    """Whole-number URNs, one result a school a year: the school × year matrix is built with
    numpy; text URNs, or a school with two results in a year, go through pandas as before.
    The same panel each way gives the same numbers to the last bit (here the two results in
    a year are equal, so their mean is the result)."""
    outcomes, timing, _ = simulate_panel(np.random.default_rng(5),
                                         Scenario("x", 5.0, treated=12, comparison=80,
                                                  missing=0.05))
    fits = [staggered_did(outcomes, timing, draws=199, seed=2)]
    as_text = outcomes.assign(unit=outcomes["unit"].astype(str))
    fits.append(staggered_did(as_text, timing.assign(unit=timing["unit"].astype(str)),
                              draws=199, seed=2))
    doubled = pd.concat([outcomes, outcomes.iloc[:7]], ignore_index=True)
    fits.append(staggered_did(doubled, timing, draws=199, seed=2))
    first = fits[0]
    assert first.overall is not None
    for other in fits[1:]:
        assert other.overall == first.overall and other.se == first.se
        assert np.array_equal(other.raw["boot"], first.raw["boot"], equal_nan=True)
        assert [p.as_dict() for p in other.event_study] == \
            [p.as_dict() for p in first.event_study]
        assert other.controls["cells"].tolist() == first.controls["cells"].tolist()


def test_estimates_side_by_side_give_the_numbers_of_one_alone():
    """Estimates made in other threads (the dashboard's, the precomputing one), one at a
    time or side by side, run on one BLAS thread as one made in the main thread does, so
    they give the same numbers to the last bit (the draws' last bits depend on the BLAS's
    threads, and OpenBLAS ignores other threads' changes once the main thread made one)."""
    from concurrent.futures import ThreadPoolExecutor

    outcomes, timing, _ = simulate_panel(np.random.default_rng(11), SIMULATED[0])

    def fit(seed: int) -> np.ndarray:
        return staggered_did(outcomes, timing, draws=299, seed=seed).raw["boot"]

    alone = [fit(seed) for seed in range(6)]
    with ThreadPoolExecutor(1) as pool:
        one_by_one = list(pool.map(fit, range(6)))
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(fit, range(6)))
    for one, other, another in zip(alone, one_by_one, together, strict=True):
        assert np.array_equal(one, other, equal_nan=True)
        assert np.array_equal(one, another, equal_nan=True)
