"""A school's strengths and needs against its partners: judged on the likely range against the
partners' pupil-weighted average, never on 10 pupils or fewer, with partners strong where this
school needs support."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.analysis import findings, wording
from impact.analysis.intervals import percent_interval
from impact.charts import profile
from impact.reports import schools


def _row(urn, name, measure, value, pupils, year="2023/24", lower=None, upper=None, note=None):
    return {"urn": urn, "name": name, "academic_year": year, "term": "Summer",
            "measure": measure, "pupils": pupils, "value": value, "value_note": note,
            "lower": lower, "upper": upper}


ROWS = pd.DataFrame([
    # phonics: we are at 95% of 60 (likely 86 to 98); partners average 70% -> strength
    _row(1, "Ours", "phonics_y1", 95.0, 60), _row(2, "Ash", "phonics_y1", 70.0, 30),
    _row(3, "Birch", "phonics_y1", 70.0, 30),
    # RWM: we are at 40% of 60; partners: Ash 97% of 30, Birch 70% of 90 -> need; Ash strong
    _row(1, "Ours", "ks2_rwm_exp", 40.0, 60), _row(2, "Ash", "ks2_rwm_exp", 97.0, 30),
    _row(3, "Birch", "ks2_rwm_exp", 70.0, 90),
    _row(1, "Ours", "ks2_rwm_exp", 10.0, 60, year="2022/23"),  # older year: not used
    # GLD on 8 children: shown but not judged
    _row(1, "Ours", "eyfs_gld", 50.0, 8), _row(2, "Ash", "eyfs_gld", 70.0, 30),
    # maths progress with DfE limits stored: wholly above the partners' average of 0.5
    # (2022/23: there are no KS2 progress scores for 2023/24)
    _row(1, "Ours", "ks2_mat_progress", 3.0, 60, "2022/23", lower=1.2, upper=4.8),
    _row(2, "Ash", "ks2_mat_progress", 0.5, 30, "2022/23"),
    # reading score: no stored spread, so not judged
    _row(1, "Ours", "ks2_read_score", 106.0, 60), _row(2, "Ash", "ks2_read_score", 104.0, 30),
    # KS1 on 4 pupils: hidden (2022/23: KS1 was statutory to then)
    _row(1, "Ours", "ks1_rwm_exp", None, 4, "2022/23", note="c"),
    _row(2, "Ash", "ks1_rwm_exp", 60.0, 30, "2022/23"),
])


def test_strengths_and_needs_follow_the_likely_range():
    frame = schools.strengths_and_needs(ROWS, 1).set_index("measure")
    assert frame.loc["phonics_y1", "verdict"] == profile.STRENGTH
    assert frame.loc["phonics_y1", "partners_mean"] == 70.0
    assert (frame.loc["phonics_y1", "low"], frame.loc["phonics_y1", "high"]) == \
        pytest.approx(percent_interval(95.0, 60))
    assert frame.loc["ks2_rwm_exp", "verdict"] == profile.NEED
    assert frame.loc["ks2_rwm_exp", "academic_year"] == "2023/24"
    assert frame.loc["ks2_rwm_exp", "partners_mean"] == pytest.approx((97 * 30 + 70 * 90) / 120)
    assert frame.loc["ks2_mat_progress", "verdict"] == profile.STRENGTH
    assert frame.loc["ks2_mat_progress", "range_text"] == "+1.20 to +4.80"
    assert frame.loc["ks2_read_score", "verdict"] == profile.NO_RANGE


def test_small_groups_are_never_judged_and_hidden_ones_never_shown():
    frame = schools.strengths_and_needs(ROWS, 1).set_index("measure")
    assert frame.loc["eyfs_gld", "verdict"] == profile.TOO_FEW
    assert frame.loc["eyfs_gld", "shown"] == "50% u"
    assert frame.loc["ks1_rwm_exp", "verdict"] == profile.HIDDEN
    assert frame.loc["ks1_rwm_exp", "shown"] == "c"
    assert pd.isna(frame.loc["ks1_rwm_exp", "value"])


def test_partners_strong_where_this_school_needs_support_are_suggested():
    frame = schools.strengths_and_needs(ROWS, 1).set_index("measure")
    assert frame.loc["ks2_rwm_exp", "suggest"] == "Ash", "Ash's range is wholly above 76.75%"
    assert frame.loc["phonics_y1", "suggest"] == ""


def test_the_chart_draws_only_judged_rows_and_writes_the_verdict_beside_them():
    frame = schools.strengths_and_needs(ROWS, 1)
    found = findings.strengths_and_needs(frame)
    assert (set(found.strengths), found.needs, found.judged) == (
        {"phonics_y1", "ks2_mat_progress"}, ("ks2_rwm_exp",), 3), "the u figure is not judged"
    chart = profile.strengths_chart(frame, title=wording.strengths_title(found), school="Ours")
    drawn = {t.y[0] for t in chart.figure.data if t.name == "Ours"}
    assert drawn == {"Phonics %", "RWM expected %", "Maths progress", "Good level of<br>"
                     "development %"}
    texts = [a.text for a in chart.figure.layout.annotations]
    assert texts.count(f"<b>{profile.STRENGTH}</b>") == 2
    assert f"<b>{profile.NEED}</b>" in texts and profile.TOO_FEW in texts
    # the full finding is 13 words: the title falls back to counts (10 words or fewer),
    # and names what they are against
    assert chart.title == "Against partners: 2 clear strengths, 1 need"
    table = chart.table.set_index("Measure")
    assert table.loc["KS1 RWM %", "Ours"] == "c"
    assert table.loc["RWM expected %", "Partner schools strong here"] == "Ash"


def test_published_confidence_limits_become_the_line_interval():
    data = pd.DataFrame({"academic_year": ["2022/23", "2023/24"], "term": ["Summer"] * 2,
                         "value": [1.0, None]})
    limits = pd.DataFrame({"academic_year": ["2022/23", "2023/24"], "term": ["Summer"] * 2,
                           "lower": [-0.5, -1.0], "upper": [2.5, 1.0]})
    out = schools.with_confidence_limits(data, limits)
    assert out["low"].tolist()[0] == -0.5 and out["high"].tolist()[0] == 2.5
    assert pd.isna(out["low"].tolist()[1]), "no interval without a figure"
