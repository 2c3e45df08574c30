"""Sentences for an estimate, in the brief's style."""

from impact.analysis.wording import CAVEAT, caveat, effect_sentence, pre_trend_verdict


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


def test_pre_trend_verdicts():
    assert pre_trend_verdict(True, True, 0.01, "similar").startswith("Warning")
    assert "in step" in pre_trend_verdict(True, False, 0.6, "similar")
    assert "not enough" in pre_trend_verdict(False, None, None, "similar")


def test_a_drift_before_joining_says_which_way():
    rising = pre_trend_verdict(True, True, 0.01, "never_joined", slope=2.4)
    assert rising.startswith("Warning: before joining, these schools' results were already "
                             "moving differently from schools that never joined, rising faster "
                             "than them by about 2.4 points a year (p = 0.01)")
    assert "falling behind them by about 1.4 points a year" in pre_trend_verdict(
        True, True, 0.03, "never_joined", slope=-1.4)
    assert "in step" in pre_trend_verdict(True, False, 0.6, "similar", slope=0.3)


def test_one_point_either_way_is_singular():
    assert "(the estimate is −1 point, likely between −16 and 13)" in effect_sentence(
        "ks2_rwm_exp", -1.46, -15.9, 13.0, "not_yet_joined")
