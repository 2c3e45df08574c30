"""The demo store: built through the real import path, labelled as demo data, reproducible,
shaped like the brief's world, and carrying the effects `impact.demo.PLANTED` says it does.

The demo is built once per module into a temporary folder (a few seconds: it writes and
imports every spreadsheet), never into data/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from impact import demo
from impact.domain import measures as m
from impact.domain import ofsted
from impact.store import Store, StoreUnavailable
from tests.factories import attainment_frame, load, schools_frame, xlsx_bytes

STATUTORY = tuple(x.code for x in m.MEASURES if x.statutory)
COMPARED = ("schools", "partnerships", "cohorts", "memberships", "attainment", "benchmarks",
            "ofsted_inspections", "cpd_activities", "improvement_projects", "settings")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.duckdb"
    summary = demo.build(path, directory=folder / "files")
    assert summary is not None
    return path, summary


@pytest.fixture(scope="module")
def store(built: tuple[Path, str]) -> Store:
    s = Store(built[0], read_only=True)
    yield s
    s.close()


def _table(store: Store, name: str) -> pd.DataFrame:
    frame = store.query(f"SELECT * FROM {name}")  # names from COMPARED, not input
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _start(academic_year: str) -> int:
    return int(academic_year[:4])


# --- the world --------------------------------------------------------------------------------

def test_schools_partnerships_and_cohorts(built, store):
    counts = store.query(
        "SELECT (SELECT count(*) FROM schools) AS schools, "
        "(SELECT count(*) FROM partnerships) AS partnerships, "
        "(SELECT count(*) FROM cohorts) AS cohorts, "
        "(SELECT count(*) FROM memberships) AS memberships, "
        "(SELECT count(*) FROM schools WHERE urn NOT IN (SELECT urn FROM memberships)) "
        "AS comparison").iloc[0].to_dict()
    assert counts == {"schools": 49, "partnerships": 3, "cohorts": 7, "memberships": 30,
                      "comparison": 20}
    sizes = store.query("SELECT partnership, cohort, count(*) AS n FROM memberships "
                        "GROUP BY ALL")
    sizes = {(r.partnership, r.cohort): r.n for r in sizes.itertuples()}
    assert sizes[(demo.TRUST, demo.WHOLE)] == 7
    assert sizes[(demo.CLUSTER, demo.WHOLE)] == 3
    programme = {c: n for (p, c), n in sizes.items() if p == demo.PROGRAMME}
    assert sorted(programme) == [f"Cohort {i}" for i in range(1, 6)]
    assert all(3 <= n <= 6 for n in programme.values())  # as in the seed case studies
    assert programme["Cohort 2"] == len(demo.PLANTED["improving"]["urns"]) == 6
    starts = store.query("SELECT start_date FROM cohorts WHERE partnership = ?",
                         [demo.PROGRAMME])["start_date"]
    assert starts.nunique() == 5  # staggered: each cohort joined in a different year
    assert store.scalar("SELECT min(urn) FROM schools") >= 990001
    summary = built[1]
    for words in ("49 schools", "3 partnerships", "7 cohorts", "uploads", "rows", " s."):
        assert words in summary


def test_labelled_as_demo(store):
    assert store.run("setting", key="demo")["value"].tolist() == ["true"]


def test_every_file_went_in_through_the_import_path(built, store):
    uploads = store.run("uploads")
    files = sorted(p.name for p in (built[0].parent / "files").glob("*.xlsx"))
    assert sorted(uploads["file_name"]) == files
    assert set(uploads["status"]) == {"accepted"}
    assert set(uploads["kind"]) == {"schools", "benchmarks", "attainment", "ofsted", "cpd",
                                    "projects"}
    attainment_files = [f for f in files if "attainment" in f]
    # one per academic year, as heads return, to the demo's last term (see demo.last_term)
    assert len(attainment_files) == demo.last_term()[0] - demo.FIRST_YEAR + 1


# --- attainment ------------------------------------------------------------------------------

def test_years_and_series_breaks(store):
    rows = store.query("SELECT academic_year, measure, count(*) AS n FROM attainment "
                       "GROUP BY ALL")
    statutory = rows[rows["measure"].isin(STATUTORY)]
    years_with_results = sorted(statutory["academic_year"].unique())
    assert len(years_with_results) >= 8
    assert "2019/20" not in years_with_results and "2020/21" not in years_with_results
    # every statutory figure is for a year the DfE published that measure
    for row in statutory.itertuples():
        assert m.missing_reason(row.measure, row.academic_year) is None, row
    progress = statutory[statutory["measure"].str.endswith("_progress")]
    assert not {"2023/24", "2024/25"} & set(progress["academic_year"])
    assert set(progress["academic_year"]) >= {"2018/19", "2021/22"}
    ks1 = statutory[statutory["measure"] == "ks1_rwm_exp"]
    assert max(ks1["academic_year"]) == "2022/23"
    # teacher assessment carries on through the years without statutory results
    ta = rows[rows["measure"].str.startswith("ta_")]
    assert {"2019/20", "2020/21"} <= set(ta["academic_year"])
    assert len(set(rows["academic_year"])) >= 10


def test_statutory_results_are_summer_and_teacher_assessment_termly(store):
    terms = store.query("SELECT measure, term FROM attainment GROUP BY ALL")
    assert set(terms[terms["measure"].isin(STATUTORY)]["term"]) == {"Summer"}
    assert set(terms[terms["measure"].str.startswith("ta_")]["term"]) == {
        "Autumn", "Spring", "Summer"}
    assert set(terms[terms["measure"].str.startswith("ta_")]["measure"]) == {
        "ta_reading", "ta_writing", "ta_maths"}


def test_suppressed_values_are_null_with_c_never_zero(store):
    rows = store.query("SELECT cohort_size, value, value_note FROM attainment")
    hidden = rows[rows["value_note"] == "c"]
    assert len(hidden) > 100
    assert hidden["value"].isna().all()
    assert (hidden["cohort_size"] <= 5).all()
    assert rows[rows["cohort_size"] <= 5]["value"].isna().all()
    assert set(rows["value_note"].dropna()) == {"c"}
    # small but shown: 6 to 10 pupils, for the low-reliability marking
    assert ((rows["cohort_size"] >= 6) & (rows["cohort_size"] <= 10)
            & rows["value"].notna()).sum() > 100


def test_percentages_are_whole_pupils_and_groups_add_up(store):
    rows = store.query(
        "SELECT a.urn, a.academic_year, a.term, a.measure, a.pupil_group, a.cohort_size, "
        "a.value FROM attainment a WHERE a.measure IN ('ks2_rwm_exp', 'phonics_y1', "
        "'eyfs_gld', 'ta_reading') AND a.value IS NOT NULL AND a.cohort_size <= 100")
    pupils = (rows["value"] * rows["cohort_size"] / 100).round()
    assert ((100 * pupils / rows["cohort_size"] - rows["value"]).abs() <= 0.5).all()
    rows["pupils"] = pupils
    wide = rows.pivot_table(index=["urn", "academic_year", "term", "measure"],
                            columns="pupil_group", values=["pupils", "cohort_size"])
    for one, other in (("disadvantaged", "not_disadvantaged"), ("boys", "girls")):
        shown = wide[[(part, group) for part in ("pupils", "cohort_size")
                      for group in ("all", one, other)]].dropna()
        assert len(shown) > 500
        for part in ("pupils", "cohort_size"):
            assert (shown[(part, "all")] == shown[(part, one)] + shown[(part, other)]).all()


def test_first_schools_have_no_ks2(store):
    first = [s.urn for s in demo.SCHOOLS if s.first]
    measures = store.query(
        "SELECT DISTINCT measure FROM attainment WHERE urn IN (SELECT unnest(?))",
        [first])["measure"]
    assert not any(code.startswith("ks2_") for code in measures)
    assert {"eyfs_gld", "phonics_y1", "ks1_rwm_exp"} <= set(measures)


def test_comparison_lines_for_every_statutory_measure_and_year(store):
    have = store.query("SELECT DISTINCT academic_year, measure FROM attainment "
                       "WHERE measure IN (SELECT unnest(?))", [list(STATUTORY)])
    lines = store.query("SELECT area_type, area_code, academic_year, measure FROM benchmarks "
                        "WHERE pupil_group = 'all'")
    for area_type, code in (("national", "E92000001"), ("local_authority", demo.LA_CODE)):
        area = lines[(lines["area_type"] == area_type) & (lines["area_code"] == code)]
        assert set(map(tuple, have.to_numpy())) == set(
            map(tuple, area[["academic_year", "measure"]].to_numpy()))
    national = store.query("SELECT value FROM benchmarks WHERE area_type = 'national' AND "
                           "measure = 'ks2_rwm_exp' AND pupil_group = 'all' AND "
                           "academic_year = '2018/19'")["value"]
    assert national.tolist() == [demo.NATIONAL["ks2_rwm_exp"][2018]]


# --- Ofsted and CPD ---------------------------------------------------------------------------

def test_ofsted_under_all_three_frameworks(store):
    rows = store.query("SELECT * FROM ofsted_inspections")
    assert set(rows["framework"]) == {"graded", "key_judgements", "report_card"}
    assert (rows.groupby("framework").size() >= 3).all()
    assert rows["inspection_date"].max().date() <= dt.date(2026, 10, 31)
    for row in rows.itertuples():
        framework = ofsted.FRAMEWORKS[row.framework]
        assert framework.covers(row.inspection_date.date())
        for area, scale in framework.scales.items():
            grade = getattr(row, area)
            assert grade is None or pd.isna(grade) or grade in scale
    graded = rows[rows["framework"] == "graded"]
    assert graded["overall_effectiveness"].notna().all()
    assert rows[rows["framework"] != "graded"]["overall_effectiveness"].isna().all()
    cards = rows[rows["framework"] == "report_card"]
    assert set(cards["safeguarding"]) <= {"Met", "Not met"}
    assert cards["achievement"].notna().all()


def test_cpd_for_partnership_schools_since_joining(store):
    rows = store.query(
        "SELECT c.*, min(m.joined_date) AS joined FROM cpd_activities c "
        "JOIN memberships m USING (urn) GROUP BY ALL")
    assert len(rows) == store.scalar("SELECT count(*) FROM cpd_activities") > 500
    first_day = rows["academic_year"].map(lambda y: dt.date(_start(y), 9, 1))
    assert (rows["joined"].dt.date < first_day.map(lambda d: d.replace(year=d.year + 1))).all()
    left = [mem for mem in demo.MEMBERSHIPS if mem.left is not None]
    assert left
    for mem in left:
        after = rows[(rows["urn"] == mem.urn)
                     & (first_day > mem.left)]
        assert after.empty
    assert {"Review day", "Peer review", "Joint moderation", "Learning walk", "INSET",
            "Coaching", "Twilight session", "Governor training"} <= set(rows["activity"])
    assert {"Teachers", "Teaching assistants", "Leaders", "Governors"} <= set(rows["staff_role"])
    review_days = store.query(
        "SELECT DISTINCT urn FROM cpd_activities WHERE activity = 'Review day'")["urn"]
    assert set(review_days) == {mem.urn for mem in demo.MEMBERSHIPS
                                if mem.partnership == demo.TRUST}
    rated = rows.dropna(subset=["self_assessment_before", "self_assessment_after"])
    assert len(rated) > 100
    assert rated["self_assessment_before"].between(1, 5).all()
    assert rated["self_assessment_after"].between(1, 5).all()
    assert rows["lessons_good_or_better"].dropna().between(0, 100).all()
    assert rows["staff_confidence"].notna().any()


# --- what was planted ------------------------------------------------------------------------

def _did(frame: pd.DataFrame, urns: list[int], joined_year: int, comparison: list[int],
         first_event: int = 1) -> float:
    """(After minus before joining) for the cohort minus the same for comparison schools over
    the same years, each a pupil-weighted mean of the schools' all-pupil percentages."""
    def mean(rows: pd.DataFrame) -> float:
        return float((rows["value"] * rows["cohort_size"]).sum() / rows["cohort_size"].sum())

    year = frame["academic_year"].map(_start)
    before, after = year < joined_year, year >= joined_year + first_event
    cohort, others = frame["urn"].isin(urns), frame["urn"].isin(comparison)
    return ((mean(frame[cohort & after]) - mean(frame[cohort & before]))
            - (mean(frame[others & after]) - mean(frame[others & before])))


def test_planted_effect_is_found_by_a_simple_difference_in_differences(store):
    """A realised estimate, so it carries sampling noise: across seeds it varies by about
    3 points (one standard deviation); for seed 2024 it lands within 2 of the truth."""
    rows = store.query("SELECT urn, academic_year, cohort_size, value FROM attainment "
                       "WHERE measure = 'ks2_rwm_exp' AND pupil_group = 'all' "
                       "AND value IS NOT NULL")
    comparison = demo.PLANTED["comparison"]["urns"]
    assert set(comparison) == set(store.query(
        "SELECT urn FROM schools WHERE urn NOT IN (SELECT urn FROM memberships)")["urn"])
    improving, none = demo.PLANTED["improving"], demo.PLANTED["no_effect"]
    assert improving["measure"] == none["measure"] == "ks2_rwm_exp"
    assert improving["cohort"] != none["cohort"]
    found = _did(rows, improving["urns"], _start(improving["first_summer"]), comparison)
    assert abs(found - improving["effect_points"]) <= 2.0, found
    null = _did(rows, none["urns"], _start(none["first_summer"]), comparison)
    assert none["effect_points"] == 0.0
    assert abs(null) <= 2.0, null


def _cohort_means(frame: pd.DataFrame, urns: list[int], measure: str) -> pd.Series:
    rows = frame[frame["urn"].isin(urns) & (frame["measure"] == m.measure(measure).label)
                 & (frame["pupil_group"] == "All pupils") & (frame["value"] != "c")]
    rows = rows.assign(value=rows["value"].astype(float),
                       weighted=rows["value"].astype(float) * rows["cohort_size"])
    grouped = rows.groupby(["academic_year", "term"])
    return grouped["weighted"].sum() / grouped["cohort_size"].sum()


def test_planting_changes_exactly_what_planted_says():
    """Seed-proof: the same world simulated with and without the planted effects (same pupils,
    same draws) differs only in the improving cohort's schools from the year they joined,
    and there by about the planted size."""
    with_effects, without = demo.simulate(), demo.simulate(effects=False)
    assert list(with_effects) == list(without)
    plan = demo.PLANTED["improving"]
    joined = _start(plan["first_summer"])
    labels = {m.measure(code).label for code in (plan["measure"], *plan["related"])}
    for name, (kind, frame) in with_effects.items():
        other = without[name][1]
        if kind != "attainment":
            if kind != "ofsted":  # grades may rise a little in the improving cohort
                pd.testing.assert_frame_equal(frame, other)
            else:
                changed = (frame.fillna("") != other.fillna("")).any(axis=1)
                assert set(frame.loc[changed, "urn"]) <= set(plan["urns"])
            continue
        changed = (frame["value"].astype(str) != other["value"].astype(str))
        touched = frame[changed]
        assert set(touched["urn"]) <= set(plan["urns"]), name
        assert set(touched["measure"]) <= labels, name
        assert (touched["academic_year"].map(_start) >= joined).all(), name
    attainment = pd.concat(f for k, f in with_effects.values() if k == "attainment")
    baseline = pd.concat(f for k, f in without.values() if k == "attainment")
    for measure, size in ((plan["measure"], plan["effect_points"]),
                          ("ta_reading", plan["related"]["ta_reading"])):
        gain = (_cohort_means(attainment, plan["urns"], measure)
                - _cohort_means(baseline, plan["urns"], measure))
        years = gain.index.get_level_values("academic_year").map(_start)
        assert (gain[years < joined] == 0).all()
        assert abs(gain[years >= joined + 1].mean() - size) <= 1.5, (measure, gain)
        first = gain[years == joined].mean()
        assert 0 <= first <= size, (measure, gain)
        if measure.startswith("ta_"):  # enough pupils to see the phase-in itself
            assert abs(first - size * plan["phase_in"][0]) <= 1.0, gain
    for code in plan["unaffected"]:
        label = m.measure(code).label
        assert (attainment[attainment["measure"] == label]["value"].astype(str).tolist()
                == baseline[baseline["measure"] == label]["value"].astype(str).tolist())


def test_the_schools_added_later_changed_no_other_schools_figures(monkeypatch):
    """Cohort 2's two added schools draw from streams of their own: without them, every
    other school's rows in every spreadsheet are exactly the same."""
    added = {s.urn for s in demo.SCHOOLS if s.added}
    assert added and added <= set(demo.PLANTED["improving"]["urns"])
    full = demo.simulate()
    original = tuple(s for s in demo.SCHOOLS if not s.added)
    monkeypatch.setattr(demo, "SCHOOLS", original)
    monkeypatch.setattr(demo, "MEMBERSHIPS", demo._memberships())
    without = demo.simulate()
    assert list(full) == list(without)
    for name, (_, frame) in full.items():
        kept = frame[~frame["urn"].isin(added)] if "urn" in frame else frame
        pd.testing.assert_frame_equal(kept.reset_index(drop=True),
                                      without[name][1].reset_index(drop=True),
                                      check_dtype=False)
        if "urn" in frame and name.startswith("03_attainment"):
            assert added <= set(frame["urn"]), name


def test_regression_to_the_mean_cohort_dipped_before_joining():
    plan = demo.PLANTED["regression_to_mean"]
    assert plan["effect_points"] == 0.0 and plan["dip_points"] < 0
    frames = demo.simulate(effects=False)
    rows = pd.concat(f for k, f in frames.values() if k == "attainment")
    means = _cohort_means(rows, plan["urns"], plan["measure"]).droplevel("term")
    others = _cohort_means(rows, demo.PLANTED["comparison"]["urns"],
                           plan["measure"]).droplevel("term")
    gap = means - others
    dip = gap[plan["dip_year"]]
    usual = gap[[y for y in gap.index if _start(y) < _start(plan["dip_year"])]].mean()
    assert dip < usual - 5, gap


# --- building -----------------------------------------------------------------------------

def test_same_seed_same_store(built, store, tmp_path):
    again = tmp_path / "again.duckdb"
    assert demo.build(again, directory=tmp_path / "files") is not None
    with Store(again, read_only=True) as second:
        for name in COMPARED:
            pd.testing.assert_frame_equal(_table(store, name), _table(second, name),
                                          check_dtype=False)
        assert (store.run("uploads")["sha256"].tolist()
                == second.run("uploads")["sha256"].tolist())


def test_existing_store_is_left_alone_without_force(built):
    path = built[0]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert demo.build(path, directory=path.parent / "unused") is None
    assert not (path.parent / "unused").exists()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_rejected_file_builds_nothing_and_keeps_the_old_store(tmp_path):
    path = tmp_path / "impact.duckdb"
    with Store(path) as old:
        load(old, "schools", schools_frame(2))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    bad = tmp_path / "03_attainment_2015-16.xlsx"
    bad.write_bytes(xlsx_bytes("attainment", attainment_frame([123456], range(2015, 2016))))
    with pytest.raises(demo.DemoBuildError, match=r"03_attainment_2015-16\.xlsx.*123456"):
        demo.load_files(path, [bad])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "03_attainment_2015-16.xlsx", "impact.duckdb"]


def test_a_store_held_open_by_another_program_is_not_replaced(tmp_path):
    path = tmp_path / "held.duckdb"
    with Store(path):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(60)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnavailable, match="open in another program"):
            demo.load_files(path, [])
    finally:
        holder.kill()
        holder.wait()
    assert not path.with_suffix(".building.duckdb").exists()


# --- the data manager's world: the calendar, contacts, projects ------------------------------

def test_the_calendar_moves_with_the_date_it_is_built_on():
    assert demo.last_term(dt.date(2026, 12, 5)) == (2025, "Summer")
    assert demo.last_term(dt.date(2024, 3, 1)) == (2025, "Summer"), "never before 2025/26"
    assert demo.last_term(dt.date(2027, 2, 1)) == (2026, "Autumn")
    now = demo.simulate(today=dt.date(2026, 12, 5))
    later = demo.simulate(today=dt.date(2027, 5, 3))
    assert "03_attainment_2026-27.xlsx" not in now
    extra = later["03_attainment_2026-27.xlsx"][1]
    assert set(extra["term"]) == {"Autumn", "Spring"}
    assert set(extra["measure"]) == {m.measure(c).label for c in ("ta_reading", "ta_writing",
                                                                  "ta_maths")}
    assert "05_cpd_2026-27.xlsx" in later
    # what was there already stays exactly as it was (the late schools' last term aside)
    for name, (_, frame) in now.items():
        if name in ("03_attainment_2025-26.xlsx", "05_cpd_2025-26.xlsx"):
            continue
        pd.testing.assert_frame_equal(frame, later[name][1])


def test_two_schools_are_late_with_the_last_terms_return(store):
    year, term = demo.last_term()
    label = f"{year}/{(year + 1) % 100:02d}"
    sent = set(store.query(
        "SELECT urn FROM attainment WHERE academic_year = ? AND term = ? UNION "
        "SELECT urn FROM cpd_activities WHERE academic_year = ? AND term = ?",
        [label, term, label, term])["urn"])
    members = set(store.query("SELECT urn FROM memberships WHERE left_date IS NULL")["urn"])
    assert members - sent == set(demo.LATE_RETURNS)


def test_partnership_schools_have_a_contact_at_a_reserved_domain(store):
    contacts = store.query("SELECT s.urn, s.contact_name, s.contact_email, "
                           "EXISTS (SELECT 1 FROM memberships m WHERE m.urn = s.urn) AS member "
                           "FROM schools s")
    members = contacts[contacts["member"]]
    assert members["contact_email"].str.endswith(".example").all()
    assert members["contact_name"].notna().all()
    assert contacts.loc[~contacts["member"], "contact_email"].isna().all()


def test_improvement_projects_are_recorded(store):
    projects = store.query("SELECT * FROM improvement_projects ORDER BY start_date")
    assert len(projects) == len(demo.PROJECTS) == 3
    assert (projects["urn"] != projects["lead_urn"]).all()
    assert set(projects["measure"]) <= {"ta_reading", "ta_writing"}
