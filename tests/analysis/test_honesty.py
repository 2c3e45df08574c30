"""Property tests over generated stores (tests/worlds.py): whatever the data, nothing the
product prints about an estimate says more than the estimate can.

For every generated world, the estimate `impact_estimate` returns, every sentence made from it
(`Estimate.words`), the impact-to-date statement the Overview shows, and `python -m impact
estimate --json`:

- never state months' progress when the interval includes 0 (or is too wide to say);
- never claim an improvement (a clear verdict, "Yes") while the check of the years before
  joining failed, found a year that stood out, or could not be made;
- never call the comparison fair unless the check could have seen a drift that matters;
- keep a percentage's interval inside what the measure allows, and give no number at all when
  the interval is wider than the whole scale;
- title the estimate in agreement with it: same direction, same size.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from impact import cli
from impact.analysis import impact_estimate
from impact.analysis.estimate import FAIR_POWER
from impact.domain import verdicts
from impact.domain.measures import measure as measure_of
from impact.reports import impact_to_date
from impact.store import Store
from tests import worlds

DRAWS = 99
NUMBER = r"(\d+(?:\.\d+)?)"


def months_claimed(text: str) -> bool:
    """A statement of months' progress ('about 3 months' progress'), not its refusal."""
    return bool(re.search(r"\babout −?\d+ months?'? progress", text))


def title_claim(title: str) -> tuple[int, float] | None:
    """(direction, size) a title claims about an estimate, or None when it claims neither."""
    found = re.search(rf"rose {NUMBER} points? more|: {NUMBER} points? more|"
                      rf"{NUMBER} points? higher", title)
    if found:
        return 1, float(next(g for g in found.groups() if g))
    found = re.search(rf"fell {NUMBER} points? behind|: {NUMBER} points? behind|"
                      rf"{NUMBER} points? lower", title)
    if found:
        return -1, float(next(g for g in found.groups() if g))
    return None


def check_estimate(e, payload: dict) -> None:
    said = e.words
    interval_has_zero = e.low is None or e.high is None or e.low <= 0 <= e.high
    texts = [said.headline, said.title, said.value, said.span, said.size, said.size_words,
             said.check, said.comparison, said.caveat]
    # months only for a clear difference
    if interval_has_zero or e.too_uncertain or not e.clear:
        assert payload["months"] is None and e.months is None, payload["months"]
        assert (payload["effect_size"] or {}).get("months") is None
        assert not any(months_claimed(t) for t in texts), texts
    # no improvement while the check failed or could not be made
    if e.pre_trend.flagged or not e.pre_trend.testable or \
            e.check.status in (verdicts.CHECK_FLAGGED, verdicts.CHECK_POINT_OFF,
                               verdicts.CHECK_UNTESTABLE):
        assert e.verdict not in verdicts.CLEAR and payload["clear"] is False
        statement = impact_to_date.attainment_improved([e])
        assert statement.verdict != verdicts.YES
        assert not said.title.startswith(f"{said.title.split(' rose ')[0]} rose")
    # "looks fair" only from a check that could see a drift that matters
    if "looks fair" in said.check:
        assert e.check.status == verdicts.CHECK_PASSED
        assert e.check.power_at_stake is not None and e.check.power_at_stake >= FAIR_POWER
    if e.check.schools and e.check.schools < 8 and e.check.status == verdicts.CHECK_WEAK:
        assert "can only catch large differences" in said.check
    # intervals within what the measure allows; too wide: no number
    m = measure_of(e.measure)
    span = m.maximum - m.minimum
    if e.low is not None and e.high is not None and e.bounds is not None:
        assert e.bounds[0] - 1e-9 <= e.low <= e.high <= e.bounds[1] + 1e-9
        assert e.high - e.low <= span + 1e-9
        assert payload["low"] >= e.bounds[0] - 1e-9 and payload["high"] <= e.bounds[1] + 1e-9
    for p in e.event_study:
        if p.low is not None and p.high is not None:
            assert -span - 1e-9 <= p.low and p.high <= span + 1e-9
    if e.too_uncertain:
        assert e.verdict == verdicts.TOO_UNCERTAIN
        assert said.value == verdicts.TOO_UNCERTAIN
        assert not re.search(r"\d", said.title)
        assert "too uncertain" in said.headline
    # the title agrees with the estimate in direction and size
    claim = title_claim(said.title)
    if claim is not None:
        direction, size = claim
        assert e.effect is not None and (e.effect > 0) == (direction > 0), said.title
        decimals = len(str(size).split(".")[1]) if "." in str(size) and \
            not float(size).is_integer() else 0
        assert abs(abs(e.effect) - size) <= 0.5 * 10 ** -decimals + 1e-9, (said.title,
                                                                             e.effect)
    if "no clear difference" in said.title:
        assert interval_has_zero
    assert len(said.title.split()) <= 10


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds.worlds())
def test_nothing_said_about_an_estimate_says_more_than_it_can(world):
    with tempfile.TemporaryDirectory() as folder:
        path = worlds.build(Path(folder) / "world.duckdb", world)
        with Store(path, read_only=True) as store:
            e = impact_estimate(store, cohort=world.cohort_label,
                                measure=worlds.RWM if world.measure == worlds.RWM
                                else "ks2_read_score", draws=DRAWS)
        check_estimate(e, e.as_dict())
        # the CLI's --json is the same estimate, with its keys kept for scripts
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cli.main(["--db", str(path), "estimate", "--cohort", world.cohort_label,
                             "--measure", e.measure, "--draws", str(DRAWS), "--json"])
        assert code == 0
        payload = json.loads(out.getvalue())
        for key in ("effect", "low", "high", "months", "sentence", "evidence"):
            assert key in payload
        assert "flagged" in payload["pre_trend"]
        assert payload["sentence"] == e.words.headline
        check_estimate(e, payload)
        # the words in the CLI's plain print are the same words
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cli.main(["--db", str(path), "estimate", "--cohort", world.cohort_label,
                      "--measure", e.measure, "--draws", str(DRAWS)])
        printed = out.getvalue()
        assert e.words.headline in printed and e.words.check in printed
        if not e.clear:
            assert not months_claimed(printed)
