"""The shared filters — partnership, cohort, school, measure, pupil group, comparison, years —
kept in the URL.

A shared link opens the same view: every filter a page shows is written to the address bar
as a readable code (`?partnership=Test+Trust&cohort=all&measure=ks2_rwm_exp&group=all
&comparison=similar&years=2016/17-2024/25`; `years=all` is every year; with
`comparison=chosen`, `urns=100001,100002` are the schools picked), and a new visit reads
them back. Within a visit the choices also survive pages that do not show
them (the Upload page), because they are kept in the session, not only in the widgets.

The filters are drawn by `app.py` (the main script) in the sidebar, once per run, for the
filters the current page uses; pages read the result with `current()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from app_pages._common import may, query
from impact.auth.rights import VIEW_ALL, VIEW_PARTNERSHIP, VIEW_SCHOOL, Partnership, School
from impact.domain import comparisons
from impact.domain import measures as m
from impact.domain.pupil_groups import PUPIL_GROUPS, group_label
from impact.reports import years as year_range
from impact.reports.text import markdown_text

PARTNERSHIP, COHORT, SCHOOL, MEASURE, GROUP = "partnership", "cohort", "school", "measure", "group"
COMPARISON, YEARS, URNS = "comparison", "years", "urns"
ALL_FILTERS = (PARTNERSHIP, COHORT, SCHOOL, MEASURE, GROUP, COMPARISON, YEARS, URNS)
ALL = "all"  # in the URL: every partnership's schools / every cohort / every year
_EVERY = "(all)"  # the option standing for "all" (a None option would show as unselected)
DEFAULT_MEASURE = "ks2_rwm_exp"
DEFAULT_COMPARISON = comparisons.DEFAULT
# What an impact estimate can be compared with, as the sidebar offers it ("chosen": the
# schools picked under it, kept in the link as `urns=100001,100002`).
COMPARISONS: dict[str, str] = {code: comparisons.comparison(code).label
                               for code in comparisons.FOR_ESTIMATES}
COMPARISON_HELP = ("Who the cohort's schools are measured against. Schools not yet in a "
                   "partnership is the fairest choice in most cases; England and the local "
                   "authority include these schools themselves.")

_STATE = "filters"  # session key: the last choice of every filter, shown or not
_SEEDED = "filters_seeded_from_url"
_YEARS_EVERY = "years:every"  # the full range when the years filter was last drawn


@dataclass(frozen=True)
class Filters:
    """What the person chose. None means "all" (partnership, cohort) or "nothing yet"."""

    partnership: str | None = None
    cohort: str | None = None
    school: int | None = None
    measure: str | None = None
    group: str = "all"
    comparison: str = DEFAULT_COMPARISON
    years: tuple[str, str] | None = None  # first and last academic year; None: every year
    urns: tuple[int, ...] = ()  # the schools to compare with, when comparison is "chosen"

    def where(self) -> dict[str, Any]:
        """The partnership and cohort as query parameters."""
        return {"partnership": self.partnership, "cohort": self.cohort}


def current() -> Filters:
    """The filters as last drawn (defaults for any the page did not show)."""
    chosen = {k: (None if v == _EVERY else v)
              for k, v in st.session_state.get(_STATE, {}).items() if k in ALL_FILTERS}
    for name in (GROUP, COMPARISON):
        if chosen.get(name) is None:
            chosen.pop(name, None)
    if chosen.get(YEARS) is not None:
        chosen[YEARS] = tuple(chosen[YEARS])
    chosen[URNS] = tuple(chosen.get(URNS) or ())
    return Filters(**chosen)


# --- URL encoding --------------------------------------------------------------------------

def _encode(value: Any) -> str:
    return ALL if value == _EVERY else str(value)


def _encode_years(value: tuple[str, str], options: Sequence[str]) -> str:
    if tuple(value) == (options[0], options[-1]):
        return ALL
    return year_range.encode(value)


def _decode(text: str, options: Sequence[Any]) -> Any:
    """The option a URL value names; an exact option wins over the 'all' token."""
    for option in options:
        if option != _EVERY and str(option) == text:
            return option
    if text == ALL and _EVERY in options:
        return _EVERY
    return _MISSING


_MISSING = object()


# --- drawing -------------------------------------------------------------------------------

def _seed_from_url() -> None:
    """On a visit's first run, take every filter in the URL as the starting choice."""
    if st.session_state.get(_SEEDED):
        return
    st.session_state[_SEEDED] = True
    seeds = st.session_state.setdefault(_STATE, {})
    for name in ALL_FILTERS:
        if name in st.query_params:
            seeds[f"url:{name}"] = st.query_params[name]


def _choose(name: str, label: str, options: list[Any], default: Any,
            format_func: Callable[[Any], str], help_text: str | None = None) -> Any:
    """One filter: the widget's value, else this visit's last choice, else the URL, else the
    default; then the widget, and the URL brought in step."""
    widget = f"filter_{name}"
    state = st.session_state.setdefault(_STATE, {})
    if widget in st.session_state:
        value = st.session_state[widget]
    elif name in state:
        value = state[name]
    elif f"url:{name}" in state:
        text = state.pop(f"url:{name}")
        value = _decode(text, options)
        if value is _MISSING:
            state[f"unmatched:{name}"] = text
    else:
        value = default
    if value not in options:  # includes _MISSING: a URL value that names nothing here
        value = default
    st.session_state[widget] = value
    value = st.sidebar.selectbox(label, options, key=widget, format_func=format_func,
                                 help=help_text)
    _say_unmatched(name, label, value, format_func)
    state[name] = value
    st.query_params[name] = _encode(value)
    return None if value == _EVERY else value


def _say_unmatched(name: str, label: str, value: Any,
                   format_func: Callable[[Any], str]) -> None:
    """A link naming something not offered here (renamed, removed, or not this person's) says
    so under the filter, instead of silently showing something else, until a choice is made."""
    state = st.session_state[_STATE]
    text = state.get(f"unmatched:{name}")
    if text is None:
        return
    if name in state and state[name] != value:  # the person has chosen since
        state.pop(f"unmatched:{name}")
        return
    st.sidebar.caption(f"The link asked for the {label.lower()} “{markdown_text(str(text))}”, "
                       "which is not one you can choose here (it may have been renamed or "
                       f"removed), so this shows {markdown_text(format_func(value))}.")


def _choose_years(options: list[str]) -> tuple[str, str] | None:
    """The years filter: a range of academic years (a slider), `years=2016/17-2024/25` in the
    URL, `years=all` for every year. Stored as None when every year is chosen, so a page
    shows new years as they arrive."""
    widget = f"filter_{YEARS}"
    state = st.session_state.setdefault(_STATE, {})
    every = (options[0], options[-1])
    if widget in st.session_state:
        value = st.session_state[widget]
        if tuple(value) == tuple(state.get(_YEARS_EVERY) or ()):
            value = every  # "every year" stays every year when a new year arrives
    elif state.get(YEARS) is not None:
        value = state[YEARS]
    elif f"url:{YEARS}" in state:
        text = state.pop(f"url:{YEARS}")
        value = every if text == ALL else year_range.decode(text, options)
    else:
        value = every
    if value is None or len(value) != 2 or any(v not in options for v in value):
        value = every
    value = tuple(sorted(value, key=options.index))
    st.session_state[widget] = value
    state[_YEARS_EVERY] = every
    if len(options) == 1:
        state[YEARS] = None
        st.query_params[YEARS] = ALL
        return None
    value = st.sidebar.select_slider("Years", options, key=widget,
                                     help="Which academic years the charts over time show.")
    chosen = None if tuple(value) == every else tuple(value)
    state[YEARS] = chosen
    st.query_params[YEARS] = _encode_years(tuple(value), options)
    return chosen


def _school_names(partnership: str | None = None) -> dict[int, str]:
    """Schools by URN (only `partnership`'s when given), for the pickers."""
    schools = query("school_choices", partnership=partnership)
    return {int(u): str(n) for u, n in zip(schools["urn"], schools["name"], strict=True)}


def _url_school() -> int | None:
    """The school a shared link names, before the school filter has read it."""
    text = st.session_state.get(_STATE, {}).get(f"url:{SCHOOL}")
    return int(text) if isinstance(text, str) and text.strip().isdigit() else None


def _choose_schools() -> tuple[int, ...]:
    """The schools a cohort is compared with when the person picks them: `urns=1,2` in the
    URL. URNs that name no school are dropped."""
    names = _school_names()
    widget = f"filter_{URNS}"
    state = st.session_state.setdefault(_STATE, {})
    if widget in st.session_state:
        value = st.session_state[widget]
    elif state.get(URNS):
        value = list(state[URNS])
    elif f"url:{URNS}" in state:
        text = state.pop(f"url:{URNS}")
        value = [int(u) for u in text.split(",") if u.strip().isdigit()]
    else:
        value = []
    value = [u for u in value if u in names]
    st.session_state[widget] = value
    value = st.sidebar.multiselect(
        "Schools to compare with", sorted(names, key=lambda u: (names[u].lower(), u)),
        key=widget, format_func=lambda u: f"{names.get(u, u)} ({u})",
        help="The cohort's own schools are left out of the comparison even if chosen.")
    chosen = tuple(int(u) for u in value)
    state[URNS] = chosen
    st.query_params[URNS] = ",".join(str(u) for u in chosen)
    return chosen


def _members() -> dict[str, frozenset[int]]:
    """Each partnership's schools (ever), which decide who may see it."""
    rows = query("partnership_members")
    return {str(p): frozenset(int(u) for u in group["urn"])
            for p, group in rows.groupby("partnership")}


def _visible_partnerships(names: list[str]) -> list[str]:
    """The partnerships this person may see (`allowed(actor, VIEW_PARTNERSHIP, ...)`)."""
    if may(VIEW_ALL):
        return names
    members = _members()
    return [p for p in names
            if may(VIEW_PARTNERSHIP, Partnership(p, members.get(p, frozenset())))]


def _visible_schools(names: dict[int, str]) -> dict[int, str]:
    """The schools whose own detail this person may see (`VIEW_SCHOOL`)."""
    if may(VIEW_ALL):
        return names
    partnerships_of: dict[int, set[str]] = {}
    for partnership, urns in _members().items():
        for urn in urns:
            partnerships_of.setdefault(urn, set()).add(partnership)
    return {u: n for u, n in names.items()
            if may(VIEW_SCHOOL, School(u, frozenset(partnerships_of.get(u, ()))))}


def _measure_order(code: str) -> int:
    return [x.code for x in m.MEASURES].index(code) if code in m.BY_CODE else len(m.MEASURES)


def sidebar(wanted: Sequence[str]) -> Filters:
    """Draw the wanted filters (in a fixed order, each depending on those before it)."""
    _seed_from_url()
    state = st.session_state.setdefault(_STATE, {})
    if not wanted:
        return current()
    st.sidebar.markdown("#### Show me")
    chosen = None
    if PARTNERSHIP in wanted or COHORT in wanted:
        partnerships = _visible_partnerships(query("partnerships")["partnership"].tolist())
        every = [_EVERY] if may(VIEW_ALL) else []  # "All schools": whoever may see them all
        if not partnerships and not every:
            state[PARTNERSHIP] = state[COHORT] = None
            return current()
        default = partnerships[0] if partnerships else _EVERY
        linked = _url_school() if SCHOOL in wanted else None
        if linked is not None and f"url:{PARTNERSHIP}" not in state:
            # A link to a school opens it in its own partnership, whatever was chosen before.
            before = st.session_state.get(f"filter_{PARTNERSHIP}",
                                          state.get(PARTNERSHIP, default))
            if before != _EVERY and linked not in _school_names(before):
                theirs = query("school_memberships", urn=linked)["partnership"].tolist()
                pick = next((p for p in reversed(theirs) if p in partnerships),
                            _EVERY if every else default)
                st.session_state[f"filter_{PARTNERSHIP}"] = pick
                state[PARTNERSHIP] = pick
        chosen = _choose(PARTNERSHIP, "Partnership", [*partnerships, *every], default,
                         lambda p: "All schools" if p == _EVERY else p)
        if COHORT in wanted:
            cohorts = [] if chosen is None else \
                query("cohorts", partnership=chosen)["cohort"].tolist()
            if cohorts:
                _choose(COHORT, "Cohort", [_EVERY, *cohorts], _EVERY,
                        lambda c: "All cohorts" if c == _EVERY else c)
            else:
                state[COHORT] = _EVERY
    if SCHOOL in wanted:
        # The school picker lists the chosen partnership's schools ("All schools": every one),
        # as far as this person may see them.
        names = _visible_schools(_school_names(chosen if PARTNERSHIP in wanted else None))
        ordered = sorted(names, key=lambda u: (names[u].lower(), u))
        if ordered:
            _choose(SCHOOL, "School", ordered, ordered[0],
                    lambda u: f"{names.get(u, u)} ({u})")
        else:
            state[SCHOOL] = None
    if MEASURE in wanted or GROUP in wanted:
        codes = sorted((c for c in query("measures_with_data")["measure"] if c in m.BY_CODE),
                       key=_measure_order)
        if codes:
            measure = _choose(MEASURE, "Measure", codes,
                              DEFAULT_MEASURE if DEFAULT_MEASURE in codes else codes[0],
                              lambda c: m.measure(c).short)
            if GROUP in wanted:
                found = set(query("pupil_groups_with_data", measure=measure)["pupil_group"])
                groups = [g for g in PUPIL_GROUPS if g in found] + sorted(
                    g for g in found if g not in PUPIL_GROUPS)
                _choose(GROUP, "Pupils", groups, "all" if "all" in groups else groups[0],
                        group_label, "Which pupils the figures are about.")
    if COMPARISON in wanted:
        comparison = _choose(COMPARISON, "Compare with", list(COMPARISONS), DEFAULT_COMPARISON,
                             lambda c: COMPARISONS.get(c, c), COMPARISON_HELP)
        if comparison == "chosen":
            _choose_schools()
    if YEARS in wanted:
        years = query("academic_years")["academic_year"].tolist()
        if years:
            _choose_years(years)
    return current()
