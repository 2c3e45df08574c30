"""Workbook cells formatted as percentages are read as a person sees them."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from impact.importing.cells import FormattedPercent
from impact.importing.reading import read_file
from impact.importing.xlsx_percent import percent_cells


def _book(cells: list[tuple], title: str = "Data & more") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for ref, value, *fmt in cells:
        sheet[ref] = value
        sheet[ref].number_format = fmt[0] if fmt else "General"
    book.create_sheet("Other")["A1"] = 0.5
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_percent_formats_built_in_and_custom_are_found_and_others_are_not():
    data = _book([("A1", 0.81, "0%"), ("B2", 0.8125, "0.00%"), ("C3", 0.5, "0.0%;[Red]-0.0%"),
                  ("D4", 81, '0"%"'), ("E5", 81, "0\\%"), ("F6", 0.5, "General"),
                  ("G7", "45%", "0%"), ("AA10", 0.25, "0.0%")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found = percent_cells(archive)
    assert found == {"Data & more": [(0, 0), (1, 1), (2, 2), (9, 26)]}


def test_the_reader_hands_percent_cells_on_as_formatted_percents():
    data = _book([("A1", "Value"), ("A2", 1.0, "0%"), ("A3", 0.5, "General")], title="Data")
    sheet = next(s for s in read_file("book.xlsx", data) if s.name == "Data")
    assert isinstance(sheet.grid.iat[1, 0], FormattedPercent) and sheet.grid.iat[1, 0] == 1
    assert not isinstance(sheet.grid.iat[2, 0], FormattedPercent)


def test_a_workbook_without_percent_formats_is_read_as_before():
    data = _book([("A1", 0.5, "General")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert percent_cells(archive) == {}
