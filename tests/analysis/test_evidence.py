"""The strength-of-evidence badge follows its documented rules."""

from impact.analysis.evidence import NON_RANDOMISED_MAX, strength_of_evidence


def badge(**changes):
    args = {"estimated": True, "schools": 12, "comparison_schools": 40, "years_before": 4,
            "years_after": 3, "benchmark": False, "pre_trend_testable": True,
            "pre_trend_flagged": False, "dip": False}
    return strength_of_evidence(**(args | changes))


def test_the_best_a_non_randomised_comparison_can_get_is_three():
    best = badge()
    assert best.padlocks == NON_RANDOMISED_MAX == 3
    assert best.label == "Moderate evidence"
    assert best.explanation.startswith("3 of 5: 12 schools")
    assert "cannot score more than 3" in best.explanation


def test_each_weakness_costs_a_padlock():
    assert badge(schools=7).padlocks == 2
    assert badge(schools=4).padlocks == 1
    assert badge(years_before=2).padlocks == 2
    assert badge(years_after=1).padlocks == 2
    assert badge(pre_trend_testable=False, pre_trend_flagged=None).padlocks == 2
    assert badge(dip=True).padlocks == 2
    assert badge(benchmark=True).padlocks == 2


def test_a_failed_pre_trend_caps_at_one_and_the_floor_is_zero():
    assert badge(pre_trend_flagged=True).padlocks == 1
    worst = badge(schools=3, years_before=2, years_after=1, pre_trend_flagged=True, dip=True)
    assert worst.padlocks == 0
    assert "already moving differently" in worst.explanation


def test_no_estimate_is_zero():
    assert badge(estimated=False).padlocks == 0
