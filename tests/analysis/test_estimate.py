"""`impact_estimate` and `python -m impact estimate` on a small store with a planted effect."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from impact.analysis import COMPARISON_KINDS, UnknownName, impact_estimate
from impact.cli import main
from impact.store import Store
from tests.analysis.conftest import FIRST_TREATED, NORTH, PLANTED, build_store

COHORT = "North Trust / Cohort A"


def test_the_planted_effect_is_found(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=299)
    assert e.status == "ok"
    assert e.effect == pytest.approx(PLANTED, abs=1.5)
    assert e.low < PLANTED < e.high
    assert e.low > 0
    assert re.match(r"Reading, writing and maths rose about (8|9) points more than in schools "
                    r"that had not joined \(likely between \d+ and \d+\)\.$", e.sentence)
    assert e.base == "pre_mean"
    assert any("average over its years before joining" in n for n in e.notes)
    assert e.caveat.endswith("it is not a randomised trial.")
    assert not e.pre_trend.flagged and e.pre_trend.testable
    assert "in step" in e.pre_trend_verdict


def test_schools_and_years_used(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=99)
    joining = {s.urn: s for s in e.joining_schools}
    assert set(joining) == set(NORTH)
    for urn, school in joining.items():
        assert school.first_treated_year == f"{FIRST_TREATED[urn]}/{(FIRST_TREATED[urn] + 1) % 100:02d}"
    # joined 20 September 2016, after the census: first treated 2017/18, 4 years before
    assert joining[100004].first_treated_year == "2017/18"
    assert joining[100004].years_before == 4
    comparison = {s.urn for s in e.comparison_schools}
    assert comparison >= set(range(100012, 100020))       # never joined
    assert {100010, 100011} <= comparison                  # South Cluster, before it joined
    assert "2019/20" not in e.years and "2020/21" not in e.years
    assert e.years[0] == "2013/14" and e.years[-1] == "2024/25"
    # from each school's mean over its years before joining (the default) ...
    assert [c.base_year for c in e.cohorts] == [
        "2013/14 to 2015/16", "2013/14 to 2016/17", "2013/14 to 2018/19"]
    assert [c.base_years for c in e.cohorts] == [3, 4, 6]
    # ... or from the last year before joining
    last = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=0,
                           base="last")
    assert [c.base_year for c in last.cohorts] == ["2015/16", "2016/17", "2018/19"]
    assert [c.base_from for c in last.cohorts] == ["2015/16", "2016/17", "2018/19"]
    assert any("not directly comparable" in n for n in e.notes)
    assert any("weighted by their pupils" in n for n in e.notes)


@pytest.mark.parametrize("base", ["pre_mean", "last"])
def test_event_study(panel_store, base):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=199,
                        base=base)
    points = {p.event_time: p for p in e.event_study}
    assert sorted(points) == [-3, -2, -1, 0, 1, 2, 3]
    for t in (0, 1, 2):
        assert points[t].estimate == pytest.approx(PLANTED, abs=2.5)
    if base == "last":
        # the last year before joining is the base: 0 by construction, nothing estimated
        assert points[-1].reference and points[-1].estimate == 0.0
        assert abs(points[-2].estimate) < 2.5
        assert e.pre_trend.kind == "placebo" and e.pre_trend.slope is None
    else:
        # each year before joining against the others' mean: a placebo, estimated
        assert not any(p.reference for p in points.values())
        for t in (-3, -2, -1):
            assert abs(points[t].estimate) < 2.5
            assert points[t].low < 0 < points[t].high or abs(points[t].estimate) < 1.5
        assert e.pre_trend.kind == "slope" and abs(e.pre_trend.slope) < 1.0
        assert e.pre_trend.slope_low < e.pre_trend.slope < e.pre_trend.slope_high
    assert e.as_dict()["base"] == base


def test_effect_size(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=199)
    assert e.effect_size.kind == "cohens_h"
    # h for +8 points ending near 60%: about 0.16; 2 months on the EEF table
    assert 0.10 < e.effect_size.value < 0.22
    assert e.effect_size.months in (2, 3)
    assert e.effect_size.low < e.effect_size.value < e.effect_size.high


def test_the_badge(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=99)
    # 9 schools (fewer than 10): one off the non-randomised maximum of 3
    assert e.evidence.padlocks == 2
    assert "9 schools" in e.evidence.explanation


@pytest.mark.parametrize("base", ["pre_mean", "last"])
@pytest.mark.parametrize("comparison", [c for c in COMPARISON_KINDS if c != "chosen"])
def test_every_comparison_finds_the_effect(panel_store, comparison, base):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp",
                        comparison=comparison, draws=199, base=base)
    assert e.base == base
    assert e.low < PLANTED < e.high, comparison
    assert e.low > 0
    if comparison in ("national", "local_authority"):
        assert e.comparison_schools == []
        assert any("interval reflects only" in n for n in e.notes)
        assert e.evidence.padlocks <= 2
        assert "as a whole" in e.sentence


def test_a_chosen_comparison_uses_only_those_schools(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp",
                        comparison="chosen", urns=[100012, 100013, 100014], draws=99)
    others = {s.urn for s in e.comparison_schools} - set(NORTH)
    assert others == {100012, 100013, 100014}


def test_similar_schools_are_a_subset_of_the_non_joiners(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp",
                        comparison="similar", neighbours=2, draws=99)
    others = {s.urn for s in e.comparison_schools} - set(NORTH)
    assert others and others <= set(range(100010, 100020))
    assert len(others) < 10


def test_same_arguments_same_numbers(panel_store):
    one = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=99)
    two = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", draws=99)
    assert one.as_dict() == two.as_dict()


def test_cohort_names(panel_store):
    by_label = impact_estimate(panel_store, cohort="north trust / cohort a",
                               measure="RWM expected %", draws=0)
    assert (by_label.partnership, by_label.cohort) == ("North Trust", "Cohort A")
    with pytest.raises(UnknownName, match="More than one partnership"):
        impact_estimate(panel_store, cohort="Cohort A", measure="ks2_rwm_exp", draws=0)
    with pytest.raises(UnknownName) as error:
        impact_estimate(panel_store, cohort="Cohort Z", measure="ks2_rwm_exp", draws=0)
    assert "North Trust / Cohort A; South Cluster / Cohort A" in str(error.value)
    unique = impact_estimate(panel_store, cohort="Cohort A", partnership="South Cluster",
                             measure="ks2_rwm_exp", draws=0)
    assert unique.partnership == "South Cluster"


def test_unknown_measure_group_and_comparison(panel_store):
    with pytest.raises(UnknownName, match="ks2_rwm_exp"):
        impact_estimate(panel_store, cohort=COHORT, measure="happiness", draws=0)
    with pytest.raises(UnknownName, match="disadvantaged"):
        impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", group="tall",
                        draws=0)
    with pytest.raises(UnknownName, match="not_yet_joined"):
        impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp",
                        comparison="random", draws=0)
    with pytest.raises(UnknownName, match="pre_mean, last"):
        impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp", base="first",
                        draws=0)


def test_no_data_is_an_answer_not_an_error(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="phonics_y1", draws=0)
    assert e.status == "not_enough_data"
    assert e.effect is None and e.evidence.padlocks == 0
    assert "not enough data" in e.sentence
    assert len(e.excluded) == 9


def test_a_pupil_group_with_no_figures(panel_store):
    e = impact_estimate(panel_store, cohort=COHORT, measure="ks2_rwm_exp",
                        group="Disadvantaged", draws=0)
    assert e.status == "not_enough_data"
    assert e.group == "disadvantaged"
    assert not e.governor_view_allowed


def test_no_effect_planted_no_effect_found(tmp_path: Path):
    path = build_store(tmp_path / "flat.duckdb", effect=0.0)
    with Store(path, read_only=True) as store:
        e = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp", draws=299)
    assert e.low < 0 < e.high
    assert e.sentence.startswith("Reading, writing and maths: no clear difference")


# --- the command line ----------------------------------------------------------------------

def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_estimate_json_matches_the_library(panel_store_path: Path, capsys):
    code, out, err = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                              "--measure", "ks2_rwm_exp", "--draws", "199", "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    with Store(panel_store_path, read_only=True) as store:
        same = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp", draws=199)
    assert payload["effect"] == pytest.approx(same.effect)
    assert (payload["low"], payload["high"]) == pytest.approx((same.low, same.high))
    assert payload["effect"] == pytest.approx(PLANTED, abs=1.5)
    assert payload["low"] > 0
    assert payload["months"] == same.effect_size.months
    assert payload["evidence"]["padlocks"] == 2
    assert payload["pre_trend"]["flagged"] is False
    assert 0.05 <= payload["pre_trend"]["p_value"] <= 1
    assert payload["pre_trend"]["verdict"].startswith("Before joining")
    assert {s["urn"] for s in payload["joining_schools"]} == set(NORTH)
    assert payload["years"][0] == "2013/14"
    assert [p["event_time"] for p in payload["event_study"]] == [-3, -2, -1, 0, 1, 2, 3]
    assert payload["draws"] == 199 and payload["comparison"] == "not_yet_joined"
    assert not math.isnan(payload["se"])


def test_cli_estimate_from_the_last_year_before_joining(panel_store_path: Path, capsys):
    code, out, err = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                              "--measure", "ks2_rwm_exp", "--draws", "99", "--base", "last",
                              "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    with Store(panel_store_path, read_only=True) as store:
        same = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp", draws=99,
                               base="last")
        default = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp", draws=99)
    assert payload["base"] == "last" and default.base == "pre_mean"
    assert payload["base_label"] == "each school's last year before joining"
    assert payload["effect"] == pytest.approx(same.effect)
    assert payload["effect"] != pytest.approx(default.effect)
    assert [c["base_year"] for c in payload["cohorts"]] == ["2015/16", "2016/17", "2018/19"]
    assert payload["pre_trend"]["kind"] == "placebo"
    code, out, _ = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                            "--measure", "ks2_rwm_exp", "--draws", "49"], capsys)
    assert code == 0
    assert "Measured from: each school's average over its years before joining" in out
    code, out, err = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                              "--measure", "ks2_rwm_exp", "--base", "first"], capsys)
    assert code == 2 and out == ""
    assert "invalid choice: 'first'" in err


def test_cli_estimate_in_words(panel_store_path: Path, capsys):
    code, out, _ = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                            "--measure", "RWM expected %", "--comparison", "national",
                            "--draws", "99"], capsys)
    assert code == 0
    assert "Reading, writing and maths rose about" in out
    assert "England as a whole" in out
    assert "padlocks" in out and "Years since joining" in out


def test_cli_unknown_cohort_lists_the_cohorts(panel_store_path: Path, capsys):
    code, out, err = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", "Nope",
                              "--measure", "ks2_rwm_exp", "--json"], capsys)
    assert code == 2
    assert out == ""
    assert "There is no cohort called 'Nope'" in err
    assert "North Trust / Cohort A" in err


def test_cli_chosen_needs_urns(panel_store_path: Path, capsys):
    code, _, err = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                            "--measure", "ks2_rwm_exp", "--comparison", "chosen"], capsys)
    assert code == 2 and "URNs" in err
    code, out, _ = run_cli(["--db", str(panel_store_path), "estimate", "--cohort", COHORT,
                            "--measure", "ks2_rwm_exp", "--comparison", "chosen",
                            "--urns", "100012,100013", "--draws", "49", "--json"], capsys)
    assert code == 0 and json.loads(out)["comparison"] == "chosen"
