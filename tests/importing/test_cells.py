"""Reading one cell the way a person meant it: numbers, URNs, percentages, dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impact.importing import cells
from impact.importing.cells import CellError


@pytest.mark.parametrize(("written", "number"), [
    ("12", 12.0), (" 12 ", 12.0), ("12.5", 12.5), ("1,234", 1234.0), ("12,345.5", 12345.5),
    ("-0.3", -0.3), ("\u22125", -5.0), (7, 7.0), (7.25, 7.25), ("1e3", 1000.0),
])
def test_numbers_as_people_write_them(written, number):
    assert cells.number(written) == number


@pytest.mark.parametrize("written", ["45,5", "1,23,456", "twelve", "", "nan", "inf", True,
                                     float("nan"), "12..5"])
def test_not_numbers_are_refused_saying_a_number(written):
    with pytest.raises(CellError) as refused:
        cells.number(written)
    assert refused.value.expected == "a number"


def test_a_decimal_comma_is_refused_rather_than_read_as_a_larger_number():
    # 45,5 (a European decimal comma) must never quietly become 455.
    with pytest.raises(CellError):
        cells.number("45,5")


@given(st.integers(min_value=0, max_value=10**12))
def test_any_whole_number_with_thousands_separators_reads_back(n):
    assert cells.number(f"{n:,}") == n
    assert cells.whole_number(f"{n:,}") == n


def test_whole_numbers_must_be_whole():
    assert cells.whole_number("30") == 30
    assert cells.whole_number(30.0) == 30
    with pytest.raises(CellError) as refused:
        cells.whole_number("30.5")
    assert refused.value.expected == "a whole number"


@pytest.mark.parametrize("written", [100001, 100001.0, "100001", "100001.0", " 100001 ",
                                     "100,001"])
def test_urns_however_a_spreadsheet_wrote_them(written):
    assert cells.urn(written) == 100001


@pytest.mark.parametrize("written", ["12345", 1000000, "10000l", "100001.5", "URN"])
def test_bad_urns_say_six_digits_were_expected(written):
    with pytest.raises(CellError) as refused:
        cells.urn(written)
    assert "6-digit" in refused.value.expected


def test_percentages_remember_their_percent_sign():
    signed = cells.percent_raw("45%")
    assert signed == 45.0 and signed.had_sign
    assert cells.percent_raw(" 45 % ") == 45.0
    plain = cells.percent_raw("45")
    assert plain == 45.0 and not plain.had_sign
    assert cells.percent_raw(0.45) == 0.45 and not cells.percent_raw(0.45).had_sign
    with pytest.raises(CellError):
        cells.percent_raw("45%%")


def test_the_fraction_rule_applies_only_when_every_unsigned_figure_is_a_fraction():
    def read(*written):
        return pd.Series([cells.percent_raw(v) for v in written], dtype=object)

    assert cells.percent_scale(read(0.45, 0.6, 1, 0)) == 100.0
    assert cells.percent_scale(pd.Series([0.45, 0.6])) == 100.0  # plain floats too
    mixed = read(0.45, 62)
    assert cells.percent_scale(mixed) == 1.0
    assert cells.below_one_percent(mixed, 1.0).tolist() == [True, False]
    # A figure with a % sign is a percentage whatever the others are, and does not vote.
    assert cells.percent_scale(read("62%", 0.45)) == 100.0
    # Only 0 and 1: nothing says these are fractions, so they stay 0% and 1%.
    assert cells.percent_scale(read(0, 1)) == 1.0


@pytest.mark.parametrize("written", [
    dt.date(2021, 9, 14), dt.datetime(2021, 9, 14, 10, 30), pd.Timestamp("2021-09-14"),
    "14/09/2021", "14/9/21", "14-09-2021", "14.09.2021", "2021-09-14", "14 September 2021",
    "14 Sep 2021", 44453, 44453.0, "44453", "44453.0",
])
def test_dates_day_first_excel_dates_and_serial_numbers(written):
    assert cells.date(written) == dt.date(2021, 9, 14)


@pytest.mark.parametrize("written", ["09/14/2021", "31/02/2021", "yesterday", 12, "123",
                                     44453.5])
def test_month_first_and_impossible_dates_are_refused(written):
    with pytest.raises(CellError) as refused:
        cells.date(written)
    assert "day first" in refused.value.expected


def test_day_first_wins_for_ambiguous_dates():
    assert cells.date("03/04/2021") == dt.date(2021, 4, 3)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan"), pd.NaT, pd.NA])
def test_blank_cells(value):
    assert cells.is_blank(value)


@pytest.mark.parametrize("value", [0, 0.0, "0", "c", "x"])
def test_zero_and_codes_are_not_blank(value):
    assert not cells.is_blank(value)


def test_text_tidies_spaces_and_excel_whole_numbers():
    assert cells.text("  St  Mary\u2019s   Primary ") == "St Mary\u2019s Primary"
    assert cells.text(936.0) == "936"
    assert cells.text(dt.date(2021, 9, 14)) == "14/09/2021"


# --- the apostrophe rule and percent-formatted cells ---------------------------------------

@pytest.mark.parametrize(("written", "read"), [("'=1+2", "=1+2"), ("'-2+3", "-2+3"),
                                               ("'@x", "@x"), ("''=x", "'=x"),
                                               ("'hello", "'hello"), ("=1+2", "=1+2"),
                                               (12, 12)])
def test_one_neutralising_apostrophe_before_a_trigger_is_taken_off(written, read):
    assert cells.unquote(written) == read


def test_a_neutralised_negative_number_reads_as_the_number():
    assert cells.number(cells.unquote("'-0.4")) == -0.4


@pytest.mark.parametrize(("stored", "percent"), [(0.813, 81.3), (1.0, 100.0), (0.0, 0.0),
                                                 (0.33333333, 33.333333), (0.005, 0.5)])
def test_a_cell_formatted_as_a_percentage_reads_as_shown_with_its_sign(stored, percent):
    read = cells.percent_raw(cells.FormattedPercent(stored))
    assert float(read) == percent and read.had_sign
    assert cells.number(cells.FormattedPercent(stored)) == stored  # other columns: as stored


@given(st.decimals(min_value=0, max_value=100, places=6, allow_nan=False))
def test_shifting_by_decimal_digits_is_exact(value):
    figure = float(value)
    assert cells.shift_decimal(cells.shift_decimal(figure, -2), 2) == figure
