"""Every sentence about an estimate, from the `Estimate` (impact.analysis.wording): the brief's
style, and what may not be said (months beside no clear difference, "looks fair" from a check
that could not see, a number for an interval wider than the scale)."""

from dataclasses import replace

import pytest

from impact.analysis import impact_estimate
from impact.analysis.did import EventPoint
from impact.analysis.estimate import ComparisonCheck, EffectSize
from impact.analysis.wording import CAVEAT, caveat, effect_sentence, words
from impact.domain import verdicts

COHORT = "North Trust / Cohort A"


def test_the_briefs_example():
    assert effect_sentence("ks2_rwm_exp", 6.2, 1.1, 10.8, "similar") == (
        "Reading, writing and maths rose about 6 points more than in similar schools "
        "(likely between 1 and 11).")


def test_an_interval_across_zero_is_no_clear_difference():
    text = effect_sentence("ks2_rwm_exp", 2.4, -3.2, 8.0, "not_yet_joined")
    assert text.startswith("Reading, writing and maths: no clear difference from schools "
                           "that had not joined")
    assert "rose" not in text


def test_a_fall():
    assert effect_sentence("phonics_y1", -6.0, -10.6, -1.4, "national") == (
        "Phonics fell about 6 points behind England as a whole (likely between 1 and 11 "
        "points behind).")


def test_small_score_effects_keep_decimals():
    text = effect_sentence("ks4_p8", 0.21, 0.05, 0.37, "never_joined")
    assert text == ("Progress 8 rose about 0.21 points more than in schools that never joined "
                    "(likely between 0.05 and 0.37).")


def test_no_estimate_and_no_interval():
    assert "not enough data" in effect_sentence("ks2_rwm_exp", None, None, None, "similar")
    assert "too few schools" in effect_sentence("ks2_rwm_exp", 4.0, None, None, "similar")


def test_caveats():
    assert CAVEAT == ("This compares schools that chose to work together with schools that did "
                      "not; it is not a randomised trial.")
    assert caveat("similar") == CAVEAT
    assert "England" in caveat("national")


def test_one_point_either_way_is_singular():
    assert "(the estimate is −1 point, likely between −16 and 13)" in effect_sentence(
        "ks2_rwm_exp", -1.46, -15.9, 13.0, "not_yet_joined")


# --- the whole set of words, from an estimate ---------------------------------------------------

@pytest.fixture(scope="module")
def clear(panel_store_path):
    """The panel's planted +8 points: a clear rise."""
    from impact.store import Store

    with Store(panel_store_path, read_only=True) as store:
        e = impact_estimate(store, cohort=COHORT, measure="ks2_rwm_exp", draws=199)
    assert e.verdict == verdicts.ROSE_MORE, e.words.headline
    return e


def _with(e, **changes):
    return replace(e, **changes)


def test_a_clear_rise_gives_months_beside_the_effect_size(clear):
    said = words(clear)
    assert said.headline.startswith("Reading, writing and maths rose about "
                                    f"{clear.effect:.0f} points more")
    assert "months' progress" in said.size_words and "not randomised" in said.size_words
    assert said.title.startswith("RWM expected") and f"{clear.effect:.0f} points more" \
        in said.title
    assert len(said.title.split()) <= 10


def test_no_months_when_the_interval_includes_zero(clear):
    unclear = _with(clear, low=-2.0, high=18.0, verdict=verdicts.NO_CLEAR_DIFFERENCE,
                    effect_size=EffectSize("cohens_h", 0.1, -0.02, 0.3, None, None, None, ""))
    said = words(unclear)
    assert "month" not in said.size_words.replace("no months' progress", "")
    assert "no clear difference" in said.size_words
    assert "no clear difference" in said.headline


def test_a_flagged_check_is_never_an_improvement(clear):
    flagged = ComparisonCheck(verdicts.CHECK_FLAGGED, 0.01, 2.4, 9, 30.0)
    doubted = _with(clear, verdict=verdicts.COMPARISON_IN_DOUBT, check=flagged)
    said = words(doubted)
    assert said.check.startswith("Warning: before joining, these schools' results were "
                                 "already moving differently from schools that had not "
                                 "joined, rising faster than them by about 2.4 points a year "
                                 "(p = 0.01)")
    assert "may not be the partnership's doing" in said.headline
    assert "in doubt" in said.title and "more than" not in said.title
    assert "months' progress" not in said.size_words.replace("no months' progress", "")


def test_a_weak_check_says_what_it_could_see(clear):
    weak = ComparisonCheck(verdicts.CHECK_WEAK, 0.55, 0.4, 6, 40.0, at_stake=7.0,
                           power_at_stake=0.03)
    said = words(_with(clear, check=weak))
    assert "looks fair" not in said.check
    assert "with 6 schools this check can only catch large differences" in said.check
    assert "(at least 7 points) would be noticed only fewer than 1 time in 10" in said.check
    strong = ComparisonCheck(verdicts.CHECK_PASSED, 0.4, 0.1, 30, 3.0, at_stake=5.0,
                             power_at_stake=0.93)
    assert "looks fair" in words(_with(clear, check=strong)).check
    assert "about 9 times in 10" in words(_with(clear, check=strong)).check


def test_a_year_that_stands_out_is_said(clear):
    point = EventPoint(-1, -17.3, -29.2, -5.4, 3.0, 3, (2019,), False, False)
    off = ComparisonCheck(verdicts.CHECK_POINT_OFF, 0.10, -6.5, 3, 80.0, standout=point)
    said = words(_with(clear, check=off, verdict=verdicts.COMPARISON_IN_DOUBT))
    assert said.check.startswith("Warning: 1 year before joining, these schools' results "
                                 "were already 17 points below what schools that had not "
                                 "joined would predict (likely −29 to −5)")
    assert "looks fair" not in said.check


def test_too_uncertain_gives_no_number(clear):
    wide = _with(clear, too_uncertain=True, verdict=verdicts.TOO_UNCERTAIN,
                 low=-42.0, high=58.0, unbounded=(-170.0, 210.0))
    said = words(wide)
    assert said.value == verdicts.TOO_UNCERTAIN
    assert "too uncertain to say" in said.headline
    assert "0% to 100%" in said.headline
    for text in (said.headline, said.value, said.span, said.title):
        assert "170" not in text and "210" not in text and "8 points" not in text
