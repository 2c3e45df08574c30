"""Meeting mode under AppTest on the demo store: a link opens it on the partnership, cohort and
measure it carries; each screen is one of the board pack's messages (the same words and
numbers), walked with Previous and Next; nothing pupil-level, the governor view always."""

from __future__ import annotations

import html

import pytest

from impact import demo
from impact.auth import accounts
from impact.reports import meeting
from impact.reports.pack import build_pack
from tests.pages.helpers import open_app

pytestmark = pytest.mark.usefixtures("demo_app")
PAGE = "app_pages/meeting.py"
GOVERNOR = next(a for a in demo.DEMO_ACCOUNTS if a.role == "governor")
ADMIN = demo.DEMO_ACCOUNTS[0]
IMPROVING = demo.PLANTED["improving"]


def _expected(store, email: str, partnership: str, cohort: str | None = None,
              measure: str | None = None) -> list[meeting.Screen]:
    pack = build_pack(store, accounts.cli_actor(store, email), partnership=partnership,
                      cohort=cohort, measure=measure)
    return meeting.screens(pack)


def _shown(at) -> tuple[str, str]:
    """The screen's title and sentence, as rendered."""
    sentence = next(m.value for m in at.markdown if "<p class='meeting-sentence'>" in m.value)
    return at.title[0].value, html.unescape(sentence.removeprefix(
        "<p class='meeting-sentence'>").removesuffix("</p>"))


def _lines(at) -> str:
    return html.unescape(next(m.value for m in at.markdown
                              if "<p class='meeting-questions'>" in m.value))


def test_a_governor_walks_every_screen_of_their_partnership(demo_expected):
    theirs = GOVERNOR.partnerships[0]
    at = open_app(PAGE, user=GOVERNOR.email,
                  query={"partnership": theirs, "cohort": "all", "measure": "ks2_rwm_exp"})
    expected = _expected(demo_expected, GOVERNOR.email, theirs, measure="ks2_rwm_exp")
    assert len(expected) >= 4
    for number, screen in enumerate(expected, start=1):
        assert _shown(at) == (screen.title, screen.sentence)
        lines = _lines(at)
        assert screen.comparison in lines and screen.sureness in lines
        assert "Questions to ask:" in lines and screen.questions in lines
        assert at.query_params["slide"] == str(number)
        assert at.button(key="meeting_previous").disabled == (number == 1)
        assert at.button(key="meeting_next").disabled == (number == len(expected))
        assert len(at.get("plotly_chart")) == (screen.chart is not None)
        assert [i.value for i in at.info] == ([] if screen.chart else [screen.no_chart])
        assert len(at.dataframe) == 0  # no table of schools, nothing pupil-level
        if number < len(expected):
            at.button(key="meeting_next").click().run()
    at.button(key="meeting_previous").click().run()
    assert _shown(at)[0] == expected[-2].title
    assert not at.exception


def test_the_link_carries_the_cohort_and_a_screen(demo_expected):
    query = {"partnership": IMPROVING["partnership"], "cohort": IMPROVING["cohort"],
             "measure": IMPROVING["measure"]}
    expected = _expected(demo_expected, ADMIN.email, IMPROVING["partnership"],
                         IMPROVING["cohort"], IMPROVING["measure"])
    at = open_app(PAGE, user=ADMIN.email, query=query)
    first = expected[0]
    assert first.about == IMPROVING["cohort"]
    assert _shown(at) == (first.title, first.sentence)
    assert "points" in first.sureness and "likely between" in first.sureness
    at = open_app(PAGE, user=ADMIN.email, query={**query, "slide": "2"})
    assert _shown(at)[0] == expected[1].title


def test_the_governor_view_is_on_whatever_the_link_asks(demo_expected):
    """A head sees small groups on the pages; meeting mode is for a room: all pupils, always,
    and the screens are the same whoever opens them."""
    head = next(a for a in demo.DEMO_ACCOUNTS if a.role == "head")
    theirs = GOVERNOR.partnerships[0]
    query = {"partnership": theirs, "cohort": "all", "measure": "ks2_rwm_exp",
             "group": "send"}
    by_head = open_app(PAGE, user=head.email, query=query)
    by_governor = open_app(PAGE, user=GOVERNOR.email, query=query)
    assert _shown(by_head) == _shown(by_governor)
    assert _lines(by_head) == _lines(by_governor)


def test_the_overview_links_to_meeting_mode_with_its_choices():
    theirs = GOVERNOR.partnerships[0]
    at = open_app("app_pages/overview.py", user=GOVERNOR.email,
                  query={"partnership": theirs, "measure": "ks2_rwm_high"})
    links = [p.proto for p in at.get("page_link") if p.proto.label == "Meeting mode"]
    assert len(links) == 1
    assert "meeting" in links[0].page
    from urllib.parse import parse_qs

    assert parse_qs(links[0].query_string) == {"partnership": [theirs], "cohort": ["all"],
                                               "measure": ["ks2_rwm_high"]}
