"""Every export's one rule for formula-looking text (`impact.formulas`)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact.formulas import TRIGGERS, neutralise, neutralised, unquote


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example")', "+1+2", "-2+3",
                                   "@SUM(A1)", "\tx", "\rx", "=", "-", "\uff1d1"])
def test_formula_looking_text_gets_a_leading_apostrophe(value):
    assert neutralise(value) == "'" + value
    assert unquote(neutralise(value)) == value


@pytest.mark.parametrize("value", ["-0.4", "+3", "-5%", "1,234.5", "-1e5", "hello", "'hi", "",
                                   "Oak Trust", "x=1"])
def test_numbers_written_as_text_and_ordinary_text_are_left_alone(value):
    assert neutralise(value) == value
    assert unquote(value) == value


@pytest.mark.parametrize("value", [-2, -0.4, 3.5, None, pd.NaT])
def test_numbers_and_blanks_are_not_touched(value):
    assert neutralise(value) is value


def test_a_stored_apostrophe_before_a_trigger_survives_the_round_trip():
    assert neutralise("'=x") == "''=x" and unquote("''=x") == "'=x"
    assert neutralise("'-0.4") == "''-0.4" and unquote("''-0.4") == "'-0.4"


@given(st.text())
def test_export_then_import_gives_back_any_text(value):
    written = neutralise(value)
    assert unquote(written) == value
    assert not written.startswith(TRIGGERS) or written.lstrip("+-").replace(".", "").isdigit() \
        or neutralise(value) == value


def test_a_frame_is_neutralised_in_its_text_columns_only():
    frame = pd.DataFrame({"name": ["=1+2", "Oak"], "score": [-1.5, 2.0], "=head": [None, "@x"]})
    out = neutralised(frame)
    assert out["name"].tolist() == ["'=1+2", "Oak"]
    assert out["score"].tolist() == [-1.5, 2.0] and out["score"].dtype == "float64"
    assert pd.isna(out["'=head"][0]) and out["'=head"][1] == "'@x"
    assert frame["name"].tolist() == ["=1+2", "Oak"]  # the caller's frame is left as it was
