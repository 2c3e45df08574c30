"""Large CSV files (a national performance table) are parsed by pandas' C reader instead of the
csv module; the grid must be exactly the one the csv module and padding give."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from impact.importing import reading
from impact.importing.reading import decode_text, read_file
from tests.importing.public.published_files import GIAS_ESTABLISHMENTS, GIAS_LINKS, ks


def csv_module_grid(text: str, delimiter: str = ",") -> pd.DataFrame:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


TRICKY = [
    'a,b\n1,2\n',
    '"a"b,c\n',
    'a, "b,c"\n',  # a space before the quote: not quoted, so the comma splits
    '"a""b",c\n',
    'x,"multi\nline",z\n1,2,3\n',
    'a,b\r\n1,2\r3,4\r\n',
    'a,b\n"c\r\nd",e\n',
    'a,"b"c"d",e\n',
    'a,b\n\n\nc,d\n',  # blank lines are rows, so row numbers match the spreadsheet
    'a,"",\n1\n',  # a trailing empty field widens the grid; a short row is padded
    'h1,h2,h3\n"Name, with comma",2,3\n4,5\n6,7,8,9\n',  # the widest row wins
    'a,b\x0cc,d\n1,2\u2028x,3\n',  # breaks for str.splitlines, not for a CSV file
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_grid_matches_the_csv_module(text):
    fast = reading._fast_grid(text, ",")
    assert fast is not None
    expected = csv_module_grid(text)
    assert fast.shape == expected.shape
    assert fast.values.tolist() == expected.values.tolist()


@pytest.mark.parametrize("text", [
    'a,"b\nc,d\n',  # an unterminated quote
    'ab"c,d\n1,2\n',  # a lone quote inside an unquoted cell: its quotes never balance
])
def test_unsure_cases_are_left_to_the_csv_module(text):
    assert reading._fast_grid(text, ",") is None


@pytest.mark.parametrize("path", [ks(2, "2018-19"), ks(4, "2017-18"), GIAS_LINKS,
                                  GIAS_ESTABLISHMENTS])
def test_real_files_give_the_same_grid(path):
    text, _ = decode_text(path.read_bytes())
    fast = reading._fast_grid(text, ",")
    expected = csv_module_grid(text)
    assert fast.shape == expected.shape
    assert (fast.values == expected.values).all()


def test_a_large_file_takes_the_fast_path_with_the_same_result(monkeypatch):
    data = ks(2, "2018-19").read_bytes()
    text, _ = decode_text(data)
    big = data + (text.split("\r\n", 1)[1] * 4).encode("utf-8")  # about 1.3 million characters
    calls = []
    original = reading._fast_grid
    monkeypatch.setattr(reading, "_fast_grid",
                        lambda *a: calls.append(1) or original(*a))
    grid = read_file("big.csv", big)[0].grid
    assert calls == [1]
    assert grid.values.tolist() == csv_module_grid(decode_text(big)[0]).values.tolist()
