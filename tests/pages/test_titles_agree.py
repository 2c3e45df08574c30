"""Every chart title on the CPD, Ofsted, Schools and Overview pages agrees with the numbers
drawn under it (issue 10: "every title on a page agrees in sign and size"; "no title built on
a group under 11"; "a chart title about a different period or comparison says which").

Each test builds a store in code (tests/worlds.py, tests/factories.py) through the templates,
opens the real page under AppTest, and reads each chart's title together with the table the
page shows beneath it. The expected sign is worked out here from that table's numbers, not
from the words module, so a title chosen any other way than from those numbers fails.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit as stl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.analysis.intervals import percent_interval
from impact.domain import measures as m
from impact.domain.academic_years import format_academic_year
from impact.domain.small_numbers import HEADLINE_MIN, LOW_MARK
from impact.store import Store
from tests import worlds
from tests.factories import load
from tests.pages.helpers import open_app

# Words that state a finding (a direction, or a side of a comparison).
FINDING = re.compile(r"\b(rose|fell|above|below|higher|lower|better|worse|improved|behind|"
                     r"strength|needed|more than|less than|tended)\b", re.IGNORECASE)


@dataclass
class Shown:
    """One chart as a person sees it: its title, the figure's key and the table beneath."""

    key: str
    title: str
    table: pd.DataFrame


def shown_charts(at: Any) -> dict[str, Shown]:
    """Every chart on the page (`common.show_chart`: a subheader, the chart, its table), in
    order, by the key the page gave it."""
    out: dict[str, Shown] = {}
    title = key = None
    for node in at.main:
        kind = getattr(node, "type", None)
        if kind == "subheader":
            title, key = node.value, None
        elif kind == "plotly_chart" and title is not None and key is None:
            key = re.sub(r"(_\d+)?_chart$", "", node.proto.id.rsplit("-", 1)[-1])
        elif kind == "dataframe" and title is not None and key is not None:
            out[key] = Shown(key, title, node.value)
            title = key = None
    return out


def number(text: Any) -> float | None:
    """'62%', '−1.5', '1,234', '+0.25', '40% u' -> float; '', 'c', 'x' -> None."""
    found = re.search(r"[−+-]?\d[\d,]*(?:\.\d+)?", str(text))
    if not found:
        return None
    return float(found.group().replace("−", "-").replace(",", ""))


def claims_finding(title: str) -> bool:
    return bool(FINDING.search(title))


# --- CPD -------------------------------------------------------------------------------------

CPD_TRUST = "CPD Trust"
CPD_URNS = list(range(400001, 400007))


def _cpd_store(path, *, sizes: int, hours: dict[int, float], ratings: bool = True) -> None:
    """Six schools that joined on 1 September 2019; RWM 50% before, 50 + 3i% after (so
    school i's change is 3i points), CPD hours per school per year from `hours`; two whole
    years (2021/22: fewer hours, 2022/23: more) and a year under way (2023/24, Autumn, a few
    hours) that must not be read as a fall."""
    schools = pd.DataFrame([{"URN": u, "School name": f"School {u}", "Phase": "Primary",
                             "Local authority": "Testshire", "Partnership": CPD_TRUST,
                             "Partnership type": "Multi-academy trust", "Cohort": "Cohort A",
                             "Joined date": dt.date(2019, 9, 1)} for u in CPD_URNS],
                           dtype=object)
    results = []
    for i, urn in enumerate(CPD_URNS, start=1):
        for year in (2016, 2017, 2018, 2021, 2022, 2023):
            results.append({"URN": urn, "Academic year": format_academic_year(year),
                            "Term": "Summer", "Measure": worlds.RWM,
                            "Pupil group": "All pupils", "Cohort size": sizes,
                            "Value": 50.0 + (3 * i if year >= 2021 else 0)})
    records = []
    for urn in CPD_URNS:
        for year, terms, scale in ((2021, ("Autumn", "Spring", "Summer"), 1.0),
                                   (2022, ("Autumn", "Spring", "Summer"), 2.0),
                                   (2023, ("Autumn",), 0.1)):
            for term in terms:
                records.append({
                    "URN": urn, "Academic year": format_academic_year(year), "Term": term,
                    "Activity": "Coaching" if term == "Spring" else "Review day",
                    "Staff role": "Teachers", "Staff taking part": 2,
                    "Hours each": hours[urn] * scale / 2,
                    "Activity date": None,
                    "Self-assessment before": 2.5 if ratings else None,
                    "Self-assessment after": (3.5 + (urn % 3) / 10) if ratings else None,
                    "Lessons good or better (%)": None, "Staff confidence": None,
                    "Description": None})
    with Store(path) as store:
        load(store, "schools", schools)
        load(store, "attainment", pd.DataFrame(results, dtype=object))
        load(store, "cpd", pd.DataFrame(records, dtype=object))


def _cpd_page():
    return open_app("app_pages/cpd.py", query={"partnership": CPD_TRUST,
                                               "measure": "ks2_rwm_exp"})


def check_hours_title(chart: Shown) -> None:
    """The change in staff hours is between the last two whole years, both named, in the
    direction and by the amounts the table shows."""
    years = chart.table.set_index("Year")["All staff (hours)"]
    whole = [y for y in years.index if "(" not in y]
    found = re.fullmatch(r"Staff hours (rose|fell|held steady) from ([\d,]+) \((\S+)\) to "
                         r"([\d,]+) \((\S+)\)", chart.title)
    assert found, chart.title
    verb, a, earlier, b, later = found.groups()
    assert [earlier, later] == whole[-2:], "the last two whole years, both named"
    assert (number(a), number(b)) == (years[earlier], years[later])
    sign = np.sign(years[later] - years[earlier])
    assert {"rose": 1, "fell": -1, "held steady": 0}[verb] == sign, chart.title


def check_activity_title(chart: Shown) -> None:
    """The activity named took the most hours in the latest year, and alone."""
    column = next(c for c in chart.table.columns if c.startswith("Staff hours "))
    hours = chart.table.set_index("Activity")[column]
    if chart.title.startswith("Staff time shared"):
        assert (hours == hours.max()).sum() > 1, "no one activity took the most"
        return
    found = re.fullmatch(r"(.+) took the most staff time in .+|Most staff time in .+: (.+)",
                         chart.title)
    assert found, chart.title
    leader = found.group(1) or found.group(2)
    assert hours[leader] == hours.max() and (hours == hours.max()).sum() == 1, chart.title
    assert column.removeprefix("Staff hours ") in chart.title, "the year is named"


def check_ratings_title(chart: Shown) -> None:
    """'higher after k of n' counts exactly the activities whose rise is wholly above 0."""
    ranges = [tuple(number(x) for x in str(r).split(" to ")) if r else None
              for r in chart.table["Likely range of the rise"]]
    clear_up = sum(1 for r in ranges if r and r[0] is not None and r[0] > 0)
    clear_down = sum(1 for r in ranges if r and r[1] is not None and r[1] < 0)
    found = re.search(r"higher after (\d+) of (\d+)", chart.title)
    if found:
        assert (int(found.group(1)), int(found.group(2))) == (clear_up, len(chart.table))
    else:
        assert clear_up == 0, chart.title
    if clear_up == clear_down == 0:
        assert not claims_finding(chart.title), chart.title


def check_link_title(chart: Shown) -> None:
    """'tended to rise more (less)' only in the direction of the correlation over the schools
    on enough pupils; with fewer than four of them, no finding at all."""
    t = chart.table
    pupils = t["Pupils a year"].map(number)
    change = t["Change (points)"].map(number)
    counted = t[(pupils >= HEADLINE_MIN) & change.notna()]
    if len(counted) < 4:
        assert not claims_finding(chart.title) or "Too few" in chart.title, chart.title
        return
    r = np.corrcoef(counted["Staff hours a year"].astype(float),
                    counted["Change (points)"].map(number))[0, 1]
    if "rise more" in chart.title or "bigger rises" in chart.title:
        assert r > 0, (chart.title, r)
    if "rise less" in chart.title or "smaller rises" in chart.title:
        assert r < 0, (chart.title, r)


CPD_CHECKS = {"cpd_years": check_hours_title, "cpd": check_activity_title,
              "cpd_self": check_ratings_title, "cpd_results": check_link_title}


@pytest.mark.parametrize("more_cpd_more_rise", [True, False])
def test_every_cpd_title_agrees_with_the_numbers_under_it(_isolated_store_path,
                                                          more_cpd_more_rise):
    hours = {u: 10.0 * (i if more_cpd_more_rise else 7 - i)
             for i, u in enumerate(CPD_URNS, start=1)}
    _cpd_store(_isolated_store_path, sizes=30, hours=hours)
    charts = shown_charts(_cpd_page())
    checked = [key for key in CPD_CHECKS if key in charts]
    assert checked == list(CPD_CHECKS), f"every CPD chart is on the page: {list(charts)}"
    for key in checked:
        CPD_CHECKS[key](charts[key])
    assert charts["cpd_years"].title == "Staff hours rose from 630 (2021/22) to 1,260 (2022/23)"
    link = charts["cpd_results"].title
    assert link == ("Schools doing more CPD tended to rise more" if more_cpd_more_rise
                    else "Schools doing more CPD tended to rise less")


def test_no_cpd_title_rests_on_schools_of_a_few_pupils(_isolated_store_path):
    """Every school's change is about 8 pupils: drawn and marked, but the pattern (a perfect
    one) is not a title."""
    hours = {u: 10.0 * i for i, u in enumerate(CPD_URNS, start=1)}
    _cpd_store(_isolated_store_path, sizes=8, hours=hours)
    at = _cpd_page()
    charts = shown_charts(at)
    link = charts["cpd_results"]
    check_link_title(link)
    assert link.title == "Too few schools to see a pattern"
    assert link.table["Change (points)"].map(number).notna().sum() == len(CPD_URNS), \
        "every school is still drawn and listed (6 to 10 pupils is shown, not hidden)"
    assert np.corrcoef(link.table["Staff hours a year"].astype(float),
                       link.table["Change (points)"].map(number))[0, 1] > 0.99, \
        "the pattern a title would have claimed is there"
    assert any("drawn but not counted" in c.value for c in at.caption)


# --- Ofsted ----------------------------------------------------------------------------------

OFSTED_TRUST = "Inspected Trust"


def _ofsted_store(path, *, ours: list[str], theirs: list[str]) -> None:
    """Our schools and schools in no partnership, each with one graded inspection in 2022 with
    the overall grade given, and (ours) report-card grades in 2025."""
    urns = list(range(500001, 500001 + len(ours) + len(theirs)))
    schools = []
    for i, urn in enumerate(urns):
        row = {"URN": urn, "School name": f"School {urn}", "Phase": "Primary",
               "Local authority": "Testshire"}
        if i < len(ours):
            row |= {"Partnership": OFSTED_TRUST, "Partnership type": "Multi-academy trust",
                    "Cohort": "Cohort A", "Joined date": dt.date(2020, 9, 1)}
        schools.append(row)
    grades = ours + theirs
    inspections = []
    for urn, grade in zip(urns, grades, strict=True):
        inspections.append({"URN": urn, "Inspection date": dt.date(2022, 3, 14),
                            "Inspection type": "Graded inspection",
                            "Overall effectiveness": grade, "Quality of education": grade,
                            "Behaviour and attitudes": grade, "Personal development": grade,
                            "Leadership and management": grade, "Safeguarding": "Yes"})
    for urn, grade in zip(urns[:len(ours)], ("Strong standard", "Expected standard",
                                              "Strong standard", "Needs attention") * 5,
                          strict=False):
        inspections.append({"URN": urn, "Inspection date": dt.date(2025, 11, 20),
                            "Inclusion": grade, "Curriculum and teaching": grade,
                            "Achievement": "Expected standard",
                            "Attendance and behaviour": grade,
                            "Personal development and wellbeing": grade,
                            "Leadership and governance": grade, "Safeguarding": "Met"})
    with Store(path) as store:
        load(store, "schools", pd.DataFrame(schools, dtype=object))
        load(store, "ofsted", pd.DataFrame(inspections, dtype=object))


def check_good_or_better_title(chart: Shown, subject: str, comparison: str) -> None:
    """The count and year are the table's; 'above' or 'below' the others only when the two
    likely ranges (Wilson, from the counts shown) do not overlap, and the others' share is
    always given with it."""
    t = chart.table.set_index("Year")
    found = re.search(r"(\d+) of (\d+)", chart.title)
    assert found, chart.title
    year = next(y for y in reversed(t.index) if t.loc[y, f"{subject}: schools good or better"])
    good, schools = (int(x) for x in t.loc[year, f"{subject}: schools good or better"]
                     .split(" of "))
    assert (int(found.group(1)), int(found.group(2))) == (good, schools)
    assert year in chart.title, "the year is named"
    theirs = t.loc[year, f"{comparison}: schools good or better"]
    if not theirs:
        assert not claims_finding(chart.title), chart.title
        return
    k, n = (int(x) for x in theirs.split(" of "))
    assert f"others {round(100 * k / n)}%" in chart.title or \
        f"others ({round(100 * k / n)}%)" in chart.title, "the comparison is in the title"
    low, high = percent_interval(100 * good / schools, schools)
    other_low, other_high = percent_interval(100 * k / n, n)
    if "above" in chart.title:
        assert low > other_high and good / schools > k / n, chart.title
    elif "below" in chart.title:
        assert high < other_low and good / schools < k / n, chart.title
    else:
        assert not (low > other_high or high < other_low), "a clear difference goes unsaid"
        assert not claims_finding(chart.title), chart.title


def check_grade_counts_title(chart: Shown) -> None:
    grades = [c for c in chart.table.columns if c != "Area"]
    totals = chart.table[grades].sum()
    found = re.fullmatch(r"Most common grade: (.+) \((\d+) of (\d+)\)", chart.title)
    assert found, chart.title
    top, k, n = found.group(1), int(found.group(2)), int(found.group(3))
    assert totals[top] == totals.max() == k and (totals == k).sum() == 1
    assert n == totals.sum()


@pytest.mark.parametrize(("ours", "theirs", "said"), [
    (["Outstanding"] * 4 + ["Good"] * 4, ["Requires improvement"] * 15 + ["Good"] * 5,
     "above others (25%)"),
    (["Requires improvement"] * 6 + ["Good"] * 2, ["Good"] * 18 + ["Outstanding"] * 2,
     "below others (100%)"),
    (["Good"] * 2 + ["Requires improvement"], ["Good"] * 6 + ["Requires improvement"] * 4,
     "; others 60%"),
])
def test_every_ofsted_title_agrees_with_the_grades_under_it(_isolated_store_path, ours, theirs,
                                                            said):
    _ofsted_store(_isolated_store_path, ours=ours, theirs=theirs)
    at = open_app("app_pages/ofsted.py", query={"partnership": OFSTED_TRUST})
    charts = shown_charts(at)
    checked = [k for k in ("ofsted_good", "ofsted_report_card_grades") if k in charts]
    assert checked == ["ofsted_good", "ofsted_report_card_grades"], list(charts)
    check_good_or_better_title(charts["ofsted_good"], OFSTED_TRUST,
                               "schools in no partnership")
    check_grade_counts_title(charts["ofsted_report_card_grades"])
    assert said in charts["ofsted_good"].title


# --- Schools and the Overview: figures against England and partners --------------------------

def _range(text: Any) -> tuple[float, float] | None:
    parts = str(text).split(" to ")
    if len(parts) != 2:
        return None
    low, high = (number(p) for p in parts)
    return None if low is None or high is None else (low, high)


def england_counts(table: pd.DataFrame, subject: str) -> dict[str, int]:
    """Above, below and close to England from each row's likely range and England's figure,
    leaving out rows a title may not rest on: no range, no England figure, a figure marked
    u or hidden, or not every school's figure."""
    counts = {"above": 0, "below": 0, "close": 0}
    for _, row in table.iterrows():
        span, england = _range(row["Likely range"]), number(row["England"])
        figure_text = str(row[subject])
        if span is None or england is None or LOW_MARK in figure_text.split() \
                or number(figure_text) is None:
            continue
        schools = str(row.get("Schools", ""))
        if " of " in schools and len(set(schools.split(" of "))) > 1:
            continue
        pupils = number(row.get("Pupils"))
        if pupils is not None and pupils < HEADLINE_MIN:
            continue
        side = "above" if span[0] > england else "below" if span[1] < england else "close"
        counts[side] += 1
    return counts


def check_tiles_title(chart: Shown, subject: str | None = None) -> None:
    counts = england_counts(chart.table, subject or chart.table.columns[2])
    if not sum(counts.values()):
        assert not claims_finding(chart.title), chart.title
        return
    if counts["close"] == sum(counts.values()):
        assert "close to England on every measure" in chart.title
        return
    said = {side: int(n) for n, side in re.findall(r"(\d+) (above|below|close)", chart.title)}
    assert said == {k: v for k, v in counts.items() if v}, (chart.title, counts)
    assert "England" in chart.title, "the comparison is named"


def check_measures_title(chart: Shown, subject: str) -> None:
    counts = england_counts(chart.table, subject)
    if not sum(counts.values()):
        assert not claims_finding(chart.title), chart.title
        return
    said = {side.lower(): int(n) for side, n in
            re.findall(r"(Above|Below) England on (\d+)", chart.title)}
    below = re.search(r"below on (\d+)", chart.title)
    if below:
        said["below"] = int(below.group(1))
    if said:
        assert said.get("above", 0) == counts["above"], (chart.title, counts)
        assert said.get("below", 0) == counts["below"], (chart.title, counts)
        judged = re.search(r"of (\d+) measures", chart.title)
        assert judged is None or int(judged.group(1)) == sum(counts.values())
    else:
        assert chart.title == f"Close to England on all {sum(counts.values())} measures"
        assert counts["above"] == counts["below"] == 0


def check_strengths_title(chart: Shown, subject: str) -> None:
    """A strength only where the range is wholly above the partners' average (a need below),
    on enough pupils; named against partners."""
    t = chart.table
    strengths, needs = set(), set()
    for _, row in t.iterrows():
        span, partners = _range(row["Likely range"]), number(row["Partners' average"])
        pupils = number(row["Pupils"])
        if span is None or partners is None or pupils is None or pupils < HEADLINE_MIN:
            continue
        if span[0] > partners:
            strengths.add(row["Measure"])
        elif span[1] < partners:
            needs.add(row["Measure"])
    if not strengths and not needs:
        assert not claims_finding(chart.title), chart.title
        return
    assert chart.title.startswith("Against partners"), "the comparison is named"
    for measure in strengths:
        assert measure.removesuffix(" %") in chart.title or "strength" in chart.title


def _schools_store(path, world: worlds.World) -> None:
    """A world (RWM for every school) and a second measure (phonics) for the first school, so
    that the every-measure grid has two panels."""
    worlds.build(path, world)
    rng = np.random.default_rng(world.seed)
    size = world.sizes[0]
    phonics = pd.DataFrame([{
        "URN": urn, "Academic year": format_academic_year(y), "Term": "Summer",
        "Measure": m.measure("phonics_y1").label,
        "Pupil group": "All pupils", "Cohort size": size,
        "Value": float(round(70 + rng.normal(0, 8)))} for urn in world.joining_urns
        for y in (2022, 2023, 2024)], dtype=object)
    with Store(path) as store:
        load(store, "attainment", phonics)


@pytest.mark.parametrize(("sizes", "effect"), [((40, 90), 15.0), ((6, 10), 8.0)])
def test_every_school_and_overview_title_agrees_with_its_table(_isolated_store_path, sizes,
                                                               effect):
    world = worlds.World(joining=4, comparison=4, effect=effect, noise=6.0, sizes=sizes,
                         staggered=False, seed=17)
    _schools_store(_isolated_store_path, world)
    urn = world.joining_urns[0]
    at = open_app("app_pages/schools.py", query={"school": str(urn), "measure": "ks2_rwm_exp"})
    at.toggle(key="school_grid_shown").set_value(True).run()
    charts = shown_charts(at)
    name = f"School {urn}"
    checked = [k for k in ("school_grid", "strengths") if k in charts]
    assert checked == ["school_grid", "strengths"], list(charts)
    check_measures_title(charts["school_grid"], name)
    check_strengths_title(charts["strengths"], name)
    overview = open_app(query={"partnership": worlds.TRUST, "cohort": "all",
                               "measure": "ks2_rwm_exp"})
    tiles = shown_charts(overview)
    assert "tiles" in tiles, list(tiles)
    check_tiles_title(tiles["tiles"], worlds.TRUST)
    titles = [charts["school_grid"].title, charts["strengths"].title, charts["school"].title,
              tiles["tiles"].title]
    if sizes == (6, 10):  # every school's figure is about 10 pupils or fewer
        assert not any(claims_finding(t) for t in titles[:3]), titles
    else:  # the checks above were about findings, not only about their absence
        assert all(claims_finding(t) for t in titles), titles


# --- a property over generated stores: CPD and Ofsted -------------------------------------------

GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(hours=st.lists(st.floats(0.5, 60.0), min_size=len(CPD_URNS), max_size=len(CPD_URNS)),
       sizes=st.sampled_from([8, 30]),
       ours=st.lists(st.sampled_from(GRADES), min_size=2, max_size=9),
       theirs=st.lists(st.sampled_from(GRADES), min_size=3, max_size=25))
def test_cpd_and_ofsted_titles_never_say_more_than_their_numbers(hours, sizes, ours, theirs):
    """Whatever the hours, pupils and grades, every CPD and Ofsted title agrees with the table
    under it, and none rests on schools of fewer than 11 pupils."""
    previous = os.environ.get("IMPACT_DB")
    with tempfile.TemporaryDirectory() as folder:
        try:
            checked = []
            path = Path(folder) / "cpd.duckdb"
            _cpd_store(path, sizes=sizes, hours=dict(zip(CPD_URNS, hours, strict=True)))
            os.environ["IMPACT_DB"] = str(path)
            stl.cache_data.clear()
            stl.cache_resource.clear()
            charts = shown_charts(_cpd_page())
            for key, check in CPD_CHECKS.items():
                if key in charts:
                    check(charts[key])
                    checked.append(charts[key].title)
            if sizes < HEADLINE_MIN:
                assert charts["cpd_results"].title == "Too few schools to see a pattern"
            path = Path(folder) / "ofsted.duckdb"
            _ofsted_store(path, ours=ours, theirs=theirs)
            os.environ["IMPACT_DB"] = str(path)
            stl.cache_data.clear()
            stl.cache_resource.clear()
            charts = shown_charts(open_app("app_pages/ofsted.py",
                                           query={"partnership": OFSTED_TRUST}))
            if "ofsted_good" in charts:
                check_good_or_better_title(charts["ofsted_good"], OFSTED_TRUST,
                                           "schools in no partnership")
                checked.append(charts["ofsted_good"].title)
            if "ofsted_report_card_grades" in charts:
                grades = charts["ofsted_report_card_grades"]
                check_grade_counts_title(grades)
                checked.append(grades.title)
            assert len(checked) >= 5, checked
        finally:
            stl.cache_data.clear()
            stl.cache_resource.clear()
            if previous is None:
                os.environ.pop("IMPACT_DB", None)
            else:
                os.environ["IMPACT_DB"] = previous
