"""A page whose impact estimate is still being made in the background says so plainly, then
fills it in by itself (`impact.analysis.precomputed`, `common.pending_note`): on the demo store,
with pages not waiting at all (`IMPACT_ESTIMATE_WAIT=0`, the default in production)."""

from __future__ import annotations

import time

import pytest

from impact import demo
from impact.analysis import impact_estimate
from tests.pages.helpers import open_app

pytestmark = pytest.mark.usefixtures("demo_app")

IMPROVING = demo.PLANTED["improving"]
STILL = "Still working out the impact estimate"


def _infos(at) -> list[str]:
    return [i.value for i in at.info]


def _until_filled(at, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while any(STILL in i for i in _infos(at)) and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()
    return at


def test_a_cohort_whose_estimate_is_being_made_says_so_then_shows_it(demo_expected,
                                                                     monkeypatch):
    monkeypatch.setenv("IMPACT_ESTIMATE_WAIT", "0")
    query = {"partnership": IMPROVING["partnership"], "cohort": IMPROVING["cohort"],
             "measure": IMPROVING["measure"]}
    at = _until_filled(open_app("app_pages/cohorts.py", query=query))
    # a comparison nobody has asked for yet: made only when the page asks for it
    at.selectbox(key="filter_comparison").set_value("never_joined").run()
    pending = [i for i in _infos(at) if STILL in i]
    assert pending and IMPROVING["cohort"] in pending[0]
    assert not [m for m in at.metric if m.label == "Difference after joining"]
    _until_filled(at)
    assert not at.exception
    assert not [i for i in _infos(at) if STILL in i]
    expected = impact_estimate(demo_expected,
                               cohort=f"{IMPROVING['partnership']} / {IMPROVING['cohort']}",
                               measure=IMPROVING["measure"], comparison="never_joined",
                               partnership=IMPROVING["partnership"])
    metrics = {m.label: m.value for m in at.metric}
    effect = f"{expected.effect:+.1f}".replace("-", "−")
    assert metrics["Difference after joining"] == f"{effect} points"


def test_the_overview_leaves_out_the_attainment_line_until_the_estimates_are_made(
        monkeypatch):
    monkeypatch.setenv("IMPACT_ESTIMATE_WAIT", "0")
    query = {"partnership": IMPROVING["partnership"], "cohort": "all",
             "measure": IMPROVING["measure"], "comparison": "never_joined"}
    at = open_app(query=query)  # the Overview, the first page
    claims = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert claims, "the other statements are shown meanwhile"
    assert "#### Pupil attainment improved" not in claims
    assert any(STILL in i for i in _infos(at))
    _until_filled(at)
    claims = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert "#### Pupil attainment improved" in claims
    assert not any(STILL in i for i in _infos(at))
