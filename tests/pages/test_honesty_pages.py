"""What the pages say, on stores built for each way a page could say more than its numbers
(issue 10), and a property test over generated stores.

Each case builds its own store through the templates (tests/worlds.py, tests/factories.py),
works out what the page should say with the analysis library on the same file, closes it, and
then reads the real app under AppTest.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from hypothesis import HealthCheck, given, settings

from impact.analysis import impact_estimate
from impact.domain import verdicts
from impact.domain.academic_years import format_academic_year
from impact.store import Store
from tests import worlds
from tests.analysis.test_honesty import months_claimed, title_claim
from tests.factories import load, ofsted_frame
from tests.pages.helpers import figure, has_chart, open_app, table_with, texts

COHORT_QUERY = {"partnership": worlds.TRUST, "cohort": worlds.COHORT,
                "measure": "ks2_rwm_exp"}


def _strip(value: str, css: str) -> str:
    return html.unescape(value.removeprefix(f"<p class='{css}'>").removesuffix("</p>"))


def headlines(at) -> list[str]:
    return [_strip(m.value, "headline") for m in at.markdown
            if m.value.startswith("<p class='headline'>")]


def notes(at) -> list[str]:
    return [_strip(m.value, "note") for m in at.markdown if m.value.startswith("<p class='note'>")]


def page_text(at) -> str:
    """Every word the page shows a person: titles, sentences, notes, metrics, captions,
    info boxes and table cells."""
    parts = [*texts(at.title), *texts(at.subheader), *texts(at.caption), *texts(at.info),
             *texts(at.warning)]
    shown = (re.sub(r"<style>.*?</style>", "", m.value, flags=re.S) for m in at.markdown)
    parts += [html.unescape(re.sub("<[^>]+>", "", m)) for m in shown]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    for frame in at.dataframe:
        parts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


def statement(at, claim: str) -> tuple[str, str]:
    """(verdict badge, evidence) of one impact-to-date statement on the Overview."""
    for i, m in enumerate(at.main.markdown):
        if m.value == f"#### {claim}":
            rest = list(at.main.markdown)[i + 1:]
            badge = next(x.value for x in rest if x.value.startswith(":"))
            evidence = next(_strip(x.value, "plain") for x in rest
                            if x.value.startswith("<p class='plain'>"))
            return badge, evidence
    raise AssertionError(f"no statement {claim!r}")


def _estimate(path: Path, world: worlds.World, **options):
    with Store(path, read_only=True) as store:
        return impact_estimate(store, cohort=world.cohort_label, measure="ks2_rwm_exp",
                               **options)


@pytest.fixture
def world_store(_isolated_store_path: Path):
    def make(world: worlds.World):
        worlds.build(_isolated_store_path, world)
        return _estimate(_isolated_store_path, world)
    return make


# --- the estimate's words, and nothing else, on Cohorts and the Overview -------------------------

def test_every_title_on_the_cohort_page_agrees_with_its_estimate(world_store):
    e = world_store(worlds.World(joining=8, comparison=10, effect=12.0, noise=2.0, seed=11,
                                 sizes=(40, 90)))
    assert e.verdict == verdicts.ROSE_MORE
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    assert headlines(at)[0] == e.words.headline
    claims = [(t, title_claim(t)) for t in texts(at.subheader)]
    claimed = [(t, c) for t, c in claims if c is not None]
    assert claimed, "the event-study title states the finding"
    for title, (direction, size) in claimed:
        assert direction == 1 and abs(size - abs(e.effect)) <= 0.5, title
    # the raw line under it is titled for what it shows, not as a second answer
    assert "RWM expected each year, beside schools not yet joined" in texts(at.subheader)
    assert any("not the estimate above" in n for n in notes(at))
    assert months_claimed(page_text(at)), "a clear difference may be given in months"


def test_no_months_beside_no_clear_difference(world_store):
    e = world_store(worlds.World(joining=6, comparison=8, effect=0.0, noise=4.0, seed=7,
                                 staggered=False))
    assert e.verdict == verdicts.NO_CLEAR_DIFFERENCE
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    text = page_text(at)
    assert not months_claimed(text)
    size_note = next(n for n in notes(at) if "randomised" in n)
    assert "no clear difference, so no months' progress" in size_note
    assert e.effect_size is not None and e.effect_size.months is None


def test_a_flagged_check_is_never_an_improvement_on_any_page(world_store):
    e = world_store(worlds.World(joining=6, comparison=8, effect=8.0, drift=3.0, noise=1.0,
                                 sizes=(40, 90), staggered=False, seed=5))
    assert e.pre_trend.flagged and e.verdict == verdicts.COMPARISON_IN_DOUBT
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    assert headlines(at)[0] == e.words.headline
    assert "may not be the partnership's doing" in headlines(at)[0]
    assert any(h.startswith("Warning: before joining") for h in headlines(at))
    assert not months_claimed(page_text(at))
    overview = open_app(query=COHORT_QUERY)
    badge, evidence = statement(overview, "Pupil attainment improved")
    assert "Yes" not in badge and verdicts.NOT_CLEAR in badge
    assert evidence.startswith(e.words.headline), "the Cohorts page's own sentence"


def test_a_year_that_stood_out_before_joining_is_never_called_fair(world_store, monkeypatch):
    """Cohort 3's case: a year before joining far below the comparison beside 'looks fair'."""
    world = worlds.World(joining=3, comparison=8, noise=1.0, sizes=(40, 90), staggered=False,
                         seed=4)
    rows = worlds.attainment_rows(world)
    dipped = rows["URN"].isin(world.joining_urns) & (rows["Academic year"] == "2017/18")
    rows.loc[dipped, "Value"] = rows.loc[dipped, "Value"].astype(float) - 18
    path = Path(os.environ["IMPACT_DB"])
    with Store(path) as store:
        load(store, "schools", worlds.schools_rows(world))
        load(store, "attainment", rows)
        load(store, "benchmarks", worlds.england_rows())
    e = _estimate(path, world)
    assert e.check.status in (verdicts.CHECK_POINT_OFF, verdicts.CHECK_FLAGGED), e.check
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    text = page_text(at)
    assert "looks fair" not in text
    assert any(h.startswith("Warning") for h in headlines(at))
    assert e.words.check in headlines(at)


def test_a_check_on_a_few_schools_says_it_can_only_catch_large_differences(world_store):
    e = world_store(worlds.World(joining=4, comparison=8, effect=0.0, noise=4.0, seed=9,
                                 staggered=False))
    assert e.check.status == verdicts.CHECK_WEAK
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    check = next(h for h in headlines(at) if h.startswith("Before joining"))
    assert "looks fair" not in check
    assert "with 4 schools this check can only catch large differences" in check
    assert re.search(r"would be noticed only (about \d+ times? in 10|fewer than 1 time)", check)


def test_an_interval_wider_than_the_scale_is_too_uncertain_to_say(world_store):
    e = world_store(worlds.World(joining=2, comparison=4, effect=0.0, noise=15.0,
                                 sizes=(6, 12), staggered=False, seed=3))
    assert e.too_uncertain and e.unbounded[1] - e.unbounded[0] > 100
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Difference after joining"] == verdicts.TOO_UNCERTAIN
    assert "too uncertain to say" in headlines(at)[0]
    text = page_text(at)
    for end in e.unbounded:
        # Neither end as the page would write it (one decimal, or signed); a year's own
        # figure such as "64%" is not an end of the interval.
        assert f"{abs(end):.1f}" not in text, end
        assert re.search(rf"[+\-−]\s?{abs(end):.0f}(?![\d%])", text) is None, end
    overview = open_app(query=COHORT_QUERY)
    _, evidence = statement(overview, "Pupil attainment improved")
    assert "too uncertain to say" in evidence
    assert not re.search(r"likely between −?\d+ and \d+", evidence)


def test_the_overview_and_the_cohort_page_compare_with_the_same_schools(world_store):
    world = worlds.World(joining=6, comparison=8, effect=12.0, noise=3.0, seed=13)
    world_store(world)
    query = {**COHORT_QUERY, "comparison": "never_joined"}
    cohorts = open_app("app_pages/cohorts.py", query=query)
    overview = open_app(query=query)
    assert overview.query_params["comparison"] == "never_joined"
    _, evidence = statement(overview, "Pupil attainment improved")
    assert evidence.startswith(headlines(cohorts)[0])
    assert "schools that never joined" in headlines(cohorts)[0]


# --- schools that left, and years with nothing to compare with ----------------------------------

def test_a_school_that_left_leaves(world_store):
    world = worlds.World(joining=5, comparison=8, leaver=True, seed=2, staggered=False)
    e = world_store(world)
    gone = next(s for s in e.joining_schools if s.urn == world.joining_urns[0])
    assert gone.last_treated_year == "2021/22" and gone.years_after == 2  # 2018/19, 2021/22
    stayed = next(s for s in e.joining_schools if s.urn == world.joining_urns[1])
    assert stayed.years_after == 5
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    joining = table_with(at, "School", "Left", "Last results in the cohort").set_index("URN")
    assert joining.loc[gone.urn, "Left"] == "31 August 2022"
    assert joining.loc[gone.urn, "Last results in the cohort"] == "2021/22"
    assert joining.loc[stayed.urn, "Left"] == "Still in"
    assert any("count only for their years in the cohort" in p for p in page_text(at).split("\n"))


def test_years_with_no_comparison_schools_are_said_not_dropped(_isolated_store_path):
    """Every other school joins another partnership in 2022: from 2022/23 the cohort has
    nothing to be compared with, and the page says so; the badge counts the years used."""
    world = worlds.World(joining=4, comparison=6, effect=0.0, seed=21, staggered=False)
    schools = worlds.schools_rows(world)
    others = ~schools["URN"].isin(world.joining_urns)
    schools.loc[others, ["Partnership", "Partnership type", "Cohort", "Joined date"]] = [
        "Later Trust", "Multi-academy trust", "All schools", dt.date(2022, 9, 1)]
    with Store(_isolated_store_path) as store:
        load(store, "schools", schools)
        load(store, "attainment", worlds.attainment_rows(world))
        load(store, "benchmarks", worlds.england_rows())
    e = _estimate(_isolated_store_path, world)
    dropped = {x.academic_year for x in e.dropped}
    assert dropped == {"2022/23", "2023/24", "2024/25"}
    assert all(s.years_after == 2 for s in e.joining_schools), "2018/19 and 2021/22 only"
    assert "and 2 after" in e.evidence.explanation
    at = open_app("app_pages/cohorts.py", query=COHORT_QUERY)
    assert any("could not be used because no comparison schools" in m.value
               for m in at.markdown)
    table = table_with(at, "Schools first in from", "Year left out", "Why")
    assert set(table["Year left out"]) == dropped


# --- headlines from whole periods only, and never from a few pupils ------------------------------

def _termly(urns, values, term_years):
    rows = []
    for (year, term), by_school in zip(term_years, values, strict=True):
        for urn, value in zip(urns, by_school, strict=True):
            if value is None:
                continue
            rows.append({"URN": urn, "Academic year": format_academic_year(year),
                         "Term": term, "Measure": "Teacher assessment: % on track in reading",
                         "Pupil group": "All pupils", "Cohort size": 60, "Value": value})
    return pd.DataFrame(rows, dtype=object)


def test_one_schools_partial_return_is_not_the_partnerships_headline(_isolated_store_path):
    world = worlds.World(joining=3, comparison=3, seed=5, staggered=False)
    urns = world.joining_urns
    periods = [(2022, "Autumn"), (2022, "Spring"), (2022, "Summer"), (2023, "Autumn")]
    values = [[70, 72, 74], [73, 75, 77], [76, 78, 80], [40, None, None]]
    with Store(_isolated_store_path) as store:
        load(store, "schools", worlds.schools_rows(world))
        load(store, "attainment", _termly(urns, values, periods))
    at = open_app(query={"partnership": worlds.TRUST, "cohort": "all",
                         "measure": "ta_reading"})
    title = next(t for t in texts(at.subheader) if t.startswith("On track: reading"))
    assert "fell" not in title and "to Summer 2022/23" in title, title
    table = table_with(at, "Term", worlds.TRUST).set_index("Term")
    assert table.loc["Autumn 2023/24", "Schools"] == "1 of 3"
    assert table.loc["Summer 2022/23", "Schools"] == "3 of 3"
    assert "schools so far" in table.loc["Autumn 2023/24", "Notes"]
    tiles = table_with(at, "Measure", "Compared with England", "Schools")
    row = tiles[tiles["Measure"] == "On track: reading %"].iloc[0]
    assert row["Latest"] == "Summer 2022/23" and row["Schools"] == "3 of 3"
    assert row["Not yet used"].startswith("Autumn 2023/24")


def _group_rows(urn, year, groups):
    return [{"URN": urn, "Academic year": format_academic_year(year), "Term": "Summer",
             "Measure": worlds.RWM, "Pupil group": group, "Cohort size": size, "Value": value}
            for group, (size, value) in groups.items()]


def test_a_hidden_group_cannot_be_worked_out_from_all_pupils(_isolated_store_path):
    """All pupils 50% of 30 and Not disadvantaged 55% of 26 would give away the 4
    disadvantaged pupils' c: the Not disadvantaged figure is hidden too."""
    world = worlds.World(joining=3, comparison=3, seed=5, staggered=False)
    urn = world.joining_urns[0]
    rows = pd.DataFrame(_group_rows(urn, 2022, {"All pupils": (30, 50.0),
                                                "Not disadvantaged": (26, 55.0),
                                                "Disadvantaged": (4, "c")})
                        + _group_rows(urn, 2023, {"All pupils": (30, 60.0),
                                                  "Not disadvantaged": (20, 65.0),
                                                  "Disadvantaged": (10, 50.0)}), dtype=object)
    with Store(_isolated_store_path) as store:
        load(store, "schools", worlds.schools_rows(world))
        load(store, "attainment", rows)
    shown = {}
    for group in ("all", "not_disadvantaged", "disadvantaged"):
        at = open_app("app_pages/schools.py", query={"school": str(urn), "group": group,
                                                     "measure": "ks2_rwm_exp"})
        table = table_with(at, "Year", "RWM expected %").set_index("Year")
        shown[group] = table["RWM expected %"].to_dict()
        if has_chart(at, "school"):
            trace = next(t for t in figure(at, "school")["data"] if t["name"] == f"School {urn}")
            if group != "all":
                assert trace["y"][0] is None, f"{group} 2022/23 is not drawn"
    assert shown["all"]["2022/23"] == "50% (30)"
    assert shown["disadvantaged"]["2022/23"] == "c"
    assert shown["not_disadvantaged"]["2022/23"] == "c", "it would give the hidden one away"
    # a year with nothing hidden shows every group, 6-10 pupils marked u
    assert shown["not_disadvantaged"]["2023/24"] == "65% (20)"
    assert shown["disadvantaged"]["2023/24"] == "50% u (10)"


def test_small_groups_are_marked_and_never_a_headline(_isolated_store_path):
    """Tiles, points and tables mark 6 to 10 pupils with u, and no title rests on them; a
    line whose every school's figure is c shows c, never x."""
    world = worlds.World(joining=2, comparison=2, seed=5, staggered=False)
    a, b = world.joining_urns
    rows = []
    for year, sizes in ((2021, (4, 5)), (2022, (6, 3)), (2023, (7, 2))):
        rows += _group_rows(a, year, {"SEND": (sizes[0], 40.0 if sizes[0] > 5 else "c")})
        rows += _group_rows(b, year, {"SEND": (sizes[1], "c")})
    with Store(_isolated_store_path) as store:
        load(store, "schools", worlds.schools_rows(world))
        load(store, "attainment", pd.DataFrame(rows, dtype=object))
        load(store, "benchmarks", worlds.england_rows())
    at = open_app(query={"partnership": worlds.TRUST, "cohort": "all",
                         "measure": "ks2_rwm_exp", "group": "send"})
    table = table_with(at, "Year", worlds.TRUST).set_index("Year")
    assert table.loc["2021/22", worlds.TRUST] == "c", "every school hidden: c, not x"
    assert table.loc["2022/23", worlds.TRUST] == "40% u"
    assert table.loc["2023/24", worlds.TRUST] == "40% u"
    titles = texts(at.subheader)
    assert not any("40" in t for t in titles), titles
    tiles = table_with(at, "Measure", "Compared with England", "Schools")
    # one school's figure stands for the trust (the other's is hidden): drawn, marked, and
    # not judged against England
    assert tiles.iloc[0]["Compared with England"] == verdicts.SOME_SCHOOLS
    assert tiles.iloc[0][worlds.TRUST] == "40% u"
    assert tiles.iloc[0]["Schools"] == "1 of 2"
    assert "Latest results" not in " ".join(titles), "no tile title on a group under 11"
    trace = next(t for t in figure(at, "overview")["data"] if t["name"] == worlds.TRUST)
    assert trace["marker"]["symbol"][-1] == "circle-open", "a low-reliability point is open"
    assert any("u marks a figure about 6 to 10 pupils" in c for c in texts(at.caption))


def test_a_score_with_no_likely_range_is_never_close_to_england(_isolated_store_path):
    world = worlds.World(joining=2, comparison=2, seed=5, staggered=False,
                         measure=worlds.READING)
    with Store(_isolated_store_path) as store:
        load(store, "schools", worlds.schools_rows(world))
        load(store, "attainment", worlds.attainment_rows(world))
        load(store, "attainment", worlds.attainment_rows(worlds.World(
            joining=2, comparison=2, seed=6, staggered=False)))
        load(store, "benchmarks", worlds.england_rows(worlds.READING))
        load(store, "benchmarks", worlds.england_rows())
    at = open_app("app_pages/schools.py", query={"school": str(world.joining_urns[0])})
    at.toggle(key="school_grid_shown").set_value(True).run()  # the small charts, when asked
    grid = table_with(at, "Measure", "Compared with England").set_index("Measure")
    assert grid.loc["Reading score", "Compared with England"] == verdicts.NO_RANGE
    assert grid.loc["RWM expected %", "Compared with England"] in verdicts.AGAINST_ENGLAND


def test_ofsted_changes_name_the_grades_they_compare(_isolated_store_path):
    world = worlds.World(joining=2, comparison=1, seed=5, staggered=False)
    schools = worlds.schools_rows(world)
    schools.loc[schools["URN"].isin(world.joining_urns), "Joined date"] = dt.date(2020, 9, 1)
    inspections = ofsted_frame(world.joining_urns)
    with Store(_isolated_store_path) as store:
        load(store, "schools", schools)
        load(store, "ofsted", inspections)
    at = open_app("app_pages/ofsted.py", query={"partnership": worlds.TRUST})
    table = table_with(at, "School", "Now", "Overall grades compared", "Change")
    assert set(table["Change"]) == {verdicts.NOT_COMPARABLE}
    assert all(now.startswith("Report card") for now in table["Now"])
    assert not (table["Change"] == verdicts.WORSE).any()


# --- a property over generated stores: what the pages say ----------------------------------------

@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(worlds.worlds(max_joining=6))
def test_the_pages_never_say_more_than_the_estimate(world):
    previous = os.environ.get("IMPACT_DB")
    with tempfile.TemporaryDirectory() as folder:
        path = worlds.build(Path(folder) / "world.duckdb", world)
        measure = "ks2_rwm_exp" if world.measure == worlds.RWM else "ks2_read_score"
        with Store(path, read_only=True) as store:
            e = impact_estimate(store, cohort=world.cohort_label, measure=measure)
        os.environ["IMPACT_DB"] = str(path)
        try:
            st.cache_data.clear()
            st.cache_resource.clear()
            query = {**COHORT_QUERY, "measure": measure}
            at = open_app("app_pages/cohorts.py", query=query)
            assert headlines(at)[0] == e.words.headline
            text = page_text(at)
            if not e.clear:
                assert not months_claimed(text), e.words.headline
            if "looks fair" in text:
                assert e.check.status == verdicts.CHECK_PASSED
            for title in texts(at.subheader):
                claim = title_claim(title)
                if claim is not None:
                    direction, size = claim
                    assert (e.effect > 0) == (direction > 0), title
                    assert abs(size - abs(e.effect)) <= 0.5, (title, e.effect)
            overview = open_app(query=query)
            badge, evidence = statement(overview, "Pupil attainment improved")
            assert evidence.startswith(e.words.headline)
            if not e.clear:
                assert "Yes" not in badge
                assert not months_claimed(page_text(overview))
            st.cache_data.clear()
            st.cache_resource.clear()
        finally:
            if previous is None:
                os.environ.pop("IMPACT_DB", None)
            else:
                os.environ["IMPACT_DB"] = previous
