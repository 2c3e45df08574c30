"""Every page on the demo store, checked against what was planted (`impact.demo.PLANTED`) and
against the analysis library's own numbers (`impact_estimate`, the same numbers
`python -m impact estimate --json` prints).

The demo store is built once per session (tests/pages/conftest.py) and each page reads it
through the real app under AppTest. Expected values are computed from a separate read-only
copy, by the library or by plain SQL, never by the page's own code.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest

from impact import demo
from impact.analysis import impact_estimate
from impact.analysis.intervals import percent_interval
from impact.domain import verdicts
from tests.pages.helpers import figure, has_chart, open_app, table_with, texts

pytestmark = pytest.mark.usefixtures("demo_app")

IMPROVING, NO_EFFECT, DIP = (demo.PLANTED[k] for k in ("improving", "no_effect",
                                                        "regression_to_mean"))


def _query(plan: dict, **extra: str) -> dict[str, str]:
    return {"partnership": plan["partnership"], "cohort": plan["cohort"],
            "measure": plan["measure"], **extra}


def _expected(store, plan: dict, comparison: str = "not_yet_joined", group: str = "all"):
    return impact_estimate(store, cohort=f"{plan['partnership']} / {plan['cohort']}",
                           measure=plan["measure"], group=group, comparison=comparison,
                           partnership=plan["partnership"]).as_dict()


def _headlines(at) -> list[str]:
    return [html.unescape(m.value.removeprefix("<p class='headline'>").removesuffix("</p>"))
            for m in at.markdown if m.value.startswith("<p class='headline'>")]


def _notes(at) -> list[str]:
    return [html.unescape(m.value.removeprefix("<p class='note'>").removesuffix("</p>"))
            for m in at.markdown if m.value.startswith("<p class='note'>")]


def _signed(value: float, places: int = 1) -> str:
    return f"{value:+.{places}f}".replace("-", "−")


def _difference_trace(at) -> dict:
    return next(t for t in figure(at, "event_study")["data"] if t.get("name") == "Difference")


# --- Cohorts -------------------------------------------------------------------------------------

def test_the_improving_cohort_page_says_what_impact_estimate_says(demo_expected):
    expected = _expected(demo_expected, IMPROVING)
    at = open_app("app_pages/cohorts.py", query=_query(IMPROVING))
    assert at.title[0].value == IMPROVING["cohort"]
    # the sentence, word for word, and the numbers beside it
    assert _headlines(at)[0] == expected["sentence"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Difference after joining"] == f"{_signed(expected['effect'])} points"
    notes = _notes(at)
    assert f"likely between {_signed(expected['low'])} and {_signed(expected['high'])}" in notes
    size = expected["effect_size"]
    assert metrics["Effect size"] == f"{size['value']:.2f}"
    size_note = next(n for n in notes if n.startswith("likely ") and "progress" in n)
    assert f"{size['low']:.2f}".replace("-", "−") in size_note
    assert f"about {size['months']} month".replace("-", "−") in size_note
    assert "not randomised" in size_note, "months always beside the effect size"
    evidence = expected["evidence"]
    badges = [m.value for m in at.markdown if "of 5:" in m.value]
    assert any(f"{evidence['padlocks']} of 5: {evidence['label']}" in b for b in badges)
    # the event-study chart plots the estimate's own points
    points = {p["event_time"]: p for p in expected["event_study"]}
    line = _difference_trace(at)
    for x, y in zip(line["x"], line["y"], strict=True):
        if x in points:
            want = 0.0 if points[x]["reference"] else points[x]["estimate"]
            assert y == pytest.approx(want), x
        else:
            assert y is None, f"{x}: a year with no results is a gap"
    after = [y for x, y in zip(line["x"], line["y"], strict=True) if x >= 0 and y is not None]
    assert after and all(y > 0 for y in after), "the planted effect shows after joining"
    assert expected["effect"] > 0, "and in the overall estimate's direction"
    # On the demo as it stands, the planted +6 is clear: the interval excludes zero, and the
    # page says so in its sentence and its chart title.
    assert expected["low"] > 0
    assert "rose about" in _headlines(at)[0]
    assert expected["title"] in texts(at.subheader), "the chart title is the estimate's own"
    assert f"{expected['effect']:.0f} points more" in expected["title"]
    # the schools behind it are the planted ones
    joining = table_with(at, "School", "First results after joining")
    assert set(joining["URN"]) == set(IMPROVING["urns"])
    assert set(joining["First results after joining"]) == {IMPROVING["first_summer"]}


def test_the_no_effect_cohort_page_says_there_is_no_clear_difference(demo_expected):
    expected = _expected(demo_expected, NO_EFFECT)
    at = open_app("app_pages/cohorts.py", query=_query(NO_EFFECT))
    assert "no clear difference" in expected["sentence"]
    assert _headlines(at)[0] == expected["sentence"]
    assert "no clear difference" in _headlines(at)[0]
    assert any("no clear difference" in s for s in texts(at.subheader))


def test_the_comparison_is_in_the_link_and_changes_the_estimate(demo_expected):
    similar = _expected(demo_expected, IMPROVING, "similar")
    at = open_app("app_pages/cohorts.py", query=_query(IMPROVING, comparison="similar"))
    assert at.selectbox(key="filter_comparison").value == "similar"
    assert at.query_params["comparison"] == "similar"
    assert _headlines(at)[0] == similar["sentence"]
    assert "similar schools" in _headlines(at)[0]
    at.selectbox(key="filter_comparison").set_value("national").run()
    national = _expected(demo_expected, IMPROVING, "national")
    assert at.query_params["comparison"] == "national"
    assert _headlines(at)[0] == national["sentence"]
    assert "England" in _headlines(at)[0]


def test_schools_chosen_in_the_sidebar_are_the_comparison_and_stay_in_the_link(demo_expected):
    never = demo_expected.query(
        "SELECT urn FROM schools WHERE urn NOT IN (SELECT urn FROM memberships) ORDER BY urn")
    picked = [int(u) for u in never["urn"][:6]]
    at = open_app("app_pages/cohorts.py", query=_query(IMPROVING, comparison="chosen"))
    assert at.multiselect(key="filter_urns").value == []
    assert any("Choose the schools to compare with" in i.value for i in at.info)
    assert not _headlines(at)

    at.multiselect(key="filter_urns").set_value(picked).run()
    expected = impact_estimate(
        demo_expected, cohort=f"{IMPROVING['partnership']} / {IMPROVING['cohort']}",
        measure=IMPROVING["measure"], comparison="chosen", urns=picked,
        partnership=IMPROVING["partnership"]).as_dict()
    assert at.query_params["urns"] == ",".join(str(u) for u in picked)
    assert _headlines(at)[0] == expected["sentence"]
    assert "the chosen schools" in _headlines(at)[0]
    assert sorted(s["urn"] for s in expected["comparison_schools"]) == picked

    shared = open_app("app_pages/cohorts.py", query=_query(
        IMPROVING, comparison="chosen", urns=",".join(str(u) for u in picked)))
    assert shared.multiselect(key="filter_urns").value == picked
    assert _headlines(shared)[0] == expected["sentence"]


def test_a_cohort_that_joined_after_a_dip_is_called_out(demo_expected):
    expected = _expected(demo_expected, DIP)
    at = open_app("app_pages/cohorts.py", query=_query(DIP))
    warned = any("bounce back" in w for w in texts(at.warning))
    assert warned == bool(expected["regression_to_mean"]["flagged"])
    pre_trend = expected["pre_trend"]["verdict"]
    assert pre_trend in _headlines(at)
    assert warned or pre_trend.startswith("Warning"), "the dip is said in words somewhere"
    evidence = expected["evidence"]
    assert any(f"{evidence['padlocks']} of 5: {evidence['label']}" in m.value
               for m in at.markdown), "the badge shows the rating the dip held down"


def test_every_cohort_against_its_comparison_in_the_order_they_started(demo_expected):
    at = open_app("app_pages/cohorts.py",
                  query={"partnership": IMPROVING["partnership"], "cohort": "all",
                         "measure": IMPROVING["measure"]})
    dots = figure(at, "cohorts_estimates")["data"][0]
    cohorts = demo_expected.query(
        "SELECT cohort FROM cohorts WHERE partnership = ? ORDER BY start_date, cohort",
        [IMPROVING["partnership"]])["cohort"].tolist()
    assert dots["y"] == cohorts
    for name, x in zip(dots["y"], dots["x"], strict=True):
        plan = {**IMPROVING, "cohort": name}
        assert x == pytest.approx(_expected(demo_expected, plan)["effect"]), name
    words = table_with(at, "Cohort", "What it shows").set_index("Cohort")["What it shows"]
    assert words[NO_EFFECT["cohort"]] == verdicts.NO_CLEAR_DIFFERENCE


PROGRAMME_GOVERNOR = "programme.governor@demo.example"


@pytest.fixture
def programme_governor(demo_app):
    """A governor of the programme the planted cohorts are in (the demo's own governor is the
    trust's), added to this worker's copy of the demo store."""
    from impact.auth import DEMO_ADMIN, accounts
    from impact.store import Store

    with Store(demo_app) as store:
        if accounts.account(store, PROGRAMME_GOVERNOR) is None:
            accounts.add(store, DEMO_ADMIN, PROGRAMME_GOVERNOR, "governor",
                         partnerships=[IMPROVING["partnership"]], password="programme-gov-1")
    return PROGRAMME_GOVERNOR


# Cohort 2's SEND pupils are 11 or more in every figure; Cohort 3's EAL pupils are not.
@pytest.mark.parametrize(("plan", "group", "blocked"), [(IMPROVING, "send", False),
                                                         (DIP, "eal", True)])
def test_governors_see_a_pupil_group_estimate_only_on_11_pupils_or_more(
        demo_expected, programme_governor, plan, group, blocked):
    expected = _expected(demo_expected, plan, group=group)
    assert expected["status"] == "ok"
    assert expected["governor_view_allowed"] == (not blocked)
    at = open_app("app_pages/cohorts.py", query=_query(plan, group=group),
                  user=programme_governor)
    assert at.selectbox(key="filter_group").value == group
    assert at.title[0].value == plan["cohort"]
    assert any("too few to show here" in t for t in texts(at.info)) == blocked
    assert has_chart(at, "event_study") == (not blocked)
    admin = open_app("app_pages/cohorts.py", query=_query(plan, group=group))
    assert has_chart(admin, "event_study"), "an admin sees every group"


# --- Overview ------------------------------------------------------------------------------------

def _term_due(today: dt.date) -> tuple[str, str, dt.date]:
    """The latest term that has ended (worked out here, not by the product), and its end."""
    start = today.year if today.month >= 9 else today.year - 1
    if today.month >= 9:  # Autumn under way: last summer is due
        return f"{start - 1}/{start % 100:02d}", "Summer", dt.date(start, 8, 31)
    if today.month <= 3:  # Spring under way: the autumn
        return f"{start}/{(start + 1) % 100:02d}", "Autumn", dt.date(start, 12, 31)
    return f"{start}/{(start + 1) % 100:02d}", "Spring", dt.date(start + 1, 3, 31)


def test_the_overview_tiles_missing_returns_and_impact_to_date(demo_expected):
    partnership = demo.TRUST
    at = open_app(query={"partnership": partnership, "measure": "ks2_rwm_exp"})
    # a tile's latest figure is the pupil-weighted mean of the trust's schools that year
    tile = next(t for i in range(4) for t in figure(at, f"tiles_{i}")["data"]
                if t["name"] == "RWM expected")
    tiles_table = table_with(at, "Measure", "Likely range", "Compared with England")
    # the headline year is the latest every school has sent (the demo has two schools late
    # with the latest return, so the line may go a year further than the headline)
    latest_year = tiles_table.iloc[0]["Latest"]
    assert latest_year in tile["x"]
    weighted = demo_expected.scalar(
        "SELECT sum(value * cohort_size) / sum(cohort_size) FROM attainment WHERE "
        "measure = 'ks2_rwm_exp' AND pupil_group = 'all' AND term = 'Summer' AND "
        "academic_year = ? AND urn IN (SELECT urn FROM memberships WHERE partnership = ?)",
        [latest_year, partnership])
    assert tile["y"][tile["x"].index(latest_year)] == pytest.approx(weighted)
    pupils = demo_expected.scalar(
        "SELECT sum(cohort_size) FROM attainment WHERE measure = 'ks2_rwm_exp' AND "
        "pupil_group = 'all' AND term = 'Summer' AND academic_year = ? AND urn IN "
        "(SELECT urn FROM memberships WHERE partnership = ?)", [latest_year, partnership])
    low, high = percent_interval(weighted, pupils)
    assert tiles_table.iloc[0]["Likely range"] == f"{low:.0f}% to {high:.0f}%"
    # impact to date: every statement has a verdict in words, evidence and a caveat
    claims = [h for h in (m.value for m in at.main.markdown) if h.startswith("#### ")]
    assert [c.removeprefix("#### ") for c in claims] == [
        "Pupil attainment improved", "All schools are good or outstanding",
        "Ofsted grades improved after joining", "All schools are full",
        "Staff learn together across schools", "Staff feel more confident"]
    assert sum("What this cannot show" in c for c in texts(at.caption)) == 6
    # missing returns for the term due, worked out here by plain SQL
    today = dt.date.today()
    year, term, ends = _term_due(today)
    missing = set(demo_expected.query(
        "SELECT DISTINCT s.name FROM memberships m JOIN schools s USING (urn) "
        "WHERE m.partnership = ? AND m.joined_date <= ? "
        "AND (m.left_date IS NULL OR m.left_date > ?) AND m.urn NOT IN ("
        "SELECT urn FROM attainment WHERE academic_year = ? AND term = ? UNION "
        "SELECT urn FROM cpd_activities WHERE academic_year = ? AND term = ?)",
        [partnership, ends, today, year, term, year, term])["name"])
    # the demo's calendar moves with the day it was built: one trust school is late
    assert missing == {"Hollinbrook Primary"}
    if missing:
        listed = table_with(at, "School", "Last return", "What we look for")
        assert set(listed["School"]) == missing
        assert any(f"not sent a return for {term} {year}" in s for s in texts(at.subheader))
    else:
        assert f"Every school has sent its {term} {year} return" in texts(at.subheader)


def test_the_years_filter_is_in_the_link_and_limits_the_charts_over_time():
    at = open_app(query={"partnership": demo.TRUST, "measure": "ks2_rwm_exp",
                         "years": "2021/22-2024/25"})
    assert at.query_params["years"] == "2021/22-2024/25"
    assert at.select_slider(key="filter_years").value == ("2021/22", "2024/25")
    trust = next(t for t in figure(at, "overview")["data"] if t["name"] == demo.TRUST)
    assert trust["x"] == ["2021/22", "2022/23", "2023/24", "2024/25"]
    every = at.select_slider(key="filter_years").options  # to the demo calendar's last year
    at.select_slider(key="filter_years").set_value((every[0], every[-1])).run()
    assert at.query_params["years"] == "all"
    trust = next(t for t in figure(at, "overview")["data"] if t["name"] == demo.TRUST)
    assert trust["x"][0] == "2015/16" and trust["x"][-1] == "2025/26"


# --- Schools -------------------------------------------------------------------------------------

def test_a_school_profile_on_the_demo(demo_expected):
    urn = IMPROVING["urns"][0]
    at = open_app("app_pages/schools.py", query={"school": str(urn)})
    name = demo_expected.scalar("SELECT name FROM schools WHERE urn = ?", [urn])
    assert at.title[0].value == name
    # every measure with figures has its small chart, made when asked for
    measures = set(demo_expected.query(
        "SELECT DISTINCT measure FROM attainment WHERE urn = ? AND pupil_group = 'all' "
        "AND value IS NOT NULL", [urn])["measure"])
    assert not has_chart(at, "school_grid_0")
    at.toggle(key="school_grid_shown").set_value(True).run()
    # one small chart per measure, laid out side by side or one under another
    assert all(has_chart(at, f"school_grid_{n}") for n in range(len(measures)))
    grid = table_with(at, "Measure", "Its partnership", "Compared with England")
    assert len(grid) == len(measures)
    # the chosen measure against its partnership and England, with Wilson intervals
    spec = figure(at, "school")
    assert {t["name"] for t in spec["data"]} == {name, f"{IMPROVING['partnership']} (all its "
                                                       "schools)", "England"}
    table = table_with(at, "Year", name, "Likely range")
    row = table[table[name] != "x"].iloc[-1]
    value, pupils = demo_expected.query(
        "SELECT value, cohort_size FROM attainment WHERE urn = ? AND measure = 'ks2_rwm_exp' "
        "AND pupil_group = 'all' AND term = 'Summer' AND academic_year = ?",
        [urn, row["Year"]]).iloc[0]
    low, high = percent_interval(value, pupils)
    assert row["Likely range"] == f"{low:.0f}% to {high:.0f}%"
    # strengths and needs against partner schools, in words
    strengths = table_with(at, "Measure", "What it shows", "Partner schools strong here")
    assert set(strengths["What it shows"]) <= {
        "Clear strength", "Needs support", "Like its partners", "Too few pupils to judge",
        "Hidden (5 pupils or fewer)", "No likely range for this measure", "No figure"}
    # Ofsted, one table per framework, and CPD
    assert has_chart(at, "school_cpd")
    assert not [t for t in texts(at.markdown) if "Overall effectiveness" in t
                and "Report cards" in t]


# --- Ofsted and CPD -----------------------------------------------------------------------------

def test_ofsted_on_the_demo_keeps_frameworks_apart(demo_expected):
    at = open_app("app_pages/ofsted.py", query={"partnership": IMPROVING["partnership"],
                                                "cohort": IMPROVING["cohort"]})
    share = figure(at, "ofsted_good")
    ours = next(t for t in share["data"] if t["name"].startswith(IMPROVING["cohort"]))
    assert ours["x"][-1] == "2023/24", "the graded framework ended in September 2024"
    latest = demo_expected.query(
        "SELECT urn, arg_max(overall_effectiveness, inspection_date) AS grade "
        "FROM ofsted_inspections WHERE framework = 'graded' AND overall_effectiveness IS NOT "
        "NULL AND inspection_date <= DATE '2024-08-31' AND urn IN (SELECT urn FROM "
        "memberships WHERE partnership = ? AND cohort = ?) GROUP BY urn",
        [IMPROVING["partnership"], IMPROVING["cohort"]])
    good = latest["grade"].isin(["Good", "Outstanding"]).mean() * 100
    assert ours["y"][-1] == pytest.approx(good)
    before_now = table_with(at, "School", "Before joining", "Now", "Change")
    assert set(before_now["URN"]) == set(IMPROVING["urns"])
    assert set(before_now["Change"]) <= {"Better", "Same", "Worse",
                                         verdicts.NOT_COMPARABLE,
                                         "No inspection before joining",
                                         "No inspection since joining"}


def test_cpd_on_the_demo_adds_up_and_speaks_of_association(demo_expected):
    partnership = IMPROVING["partnership"]
    at = open_app("app_pages/cpd.py", query={"partnership": partnership})
    table = table_with(at, "Year", "All staff (hours)")
    sums = demo_expected.query(
        "SELECT academic_year, round(sum(staff_count * hours_each)) AS hours "
        "FROM cpd_activities WHERE urn IN (SELECT urn FROM memberships WHERE partnership = ?) "
        "GROUP BY academic_year ORDER BY academic_year", [partnership])
    assert [int(h) for h in table["All staff (hours)"]] == [int(h) for h in sums["hours"]]
    assert has_chart(at, "cpd_self") and has_chart(at, "cpd_results")
    assert any("not what causes" in c for c in texts(at.caption))
    assert not any("because" in s.lower() for s in texts(at.subheader))
