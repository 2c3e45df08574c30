"""Upload templates, generated from each kind's column list with openpyxl.

A template has a `Data` sheet whose first row is the header (with drop-down lists for closed
choices and one example row the importer skips if left in) and an `Instructions` sheet.
Templates are generated, never hand-edited, so they always match what the importer accepts.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from impact.formulas import neutralise
from impact.importing.cells import Percent, shift_decimal
from impact.importing.kinds.base import TemplateKind

HEADER_FILL = PatternFill("solid", fgColor="12436D")
HEADER_FONT = Font(bold=True, color="FFFFFF")
EXAMPLE_FONT = Font(italic=True, color="3D3D3D")
LIST_ROWS = 5000  # rows the drop-down lists apply to


def template_kinds() -> dict[str, TemplateKind]:
    from impact.importing.formats import TEMPLATE_KINDS

    return {code: kind for code, kind in TEMPLATE_KINDS.items()
            if isinstance(kind, TemplateKind)}


def workbook(kind: TemplateKind, rows: pd.DataFrame | None = None, *,
             example: bool = True) -> Workbook:
    """A workbook in the kind's template shape, optionally filled with `rows` (by header)."""
    book = Workbook()
    # openpyxl asks Excel to recalculate every formula on opening; a template has none to run.
    book.calculation.fullCalcOnLoad = False
    data = book.active
    data.title = "Data"
    columns = list(kind.layout.columns)
    for position, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=position, value=column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = max(12, min(40, len(column.header) + 4))
        data.column_dimensions[get_column_letter(position)].width = width
    data.freeze_panes = "A2"
    next_row = 2
    if example and rows is None:
        for position, column in enumerate(columns, start=1):
            cell = data.cell(row=2, column=position, value=column.example)
            cell.font = EXAMPLE_FONT
        next_row = 3
    if rows is not None:
        _write_rows(data, columns, rows, next_row)
    lists = book.create_sheet("Lists")
    for position, column in enumerate(c for c in columns if c.choices):
        letter = get_column_letter(position + 1)
        lists.cell(row=1, column=position + 1, value=column.header).font = Font(bold=True)
        for offset, option in enumerate(column.choices, start=2):
            lists.cell(row=offset, column=position + 1, value=option)
        target = get_column_letter(columns.index(column) + 1)
        source = f"{quote_sheetname('Lists')}!${letter}$2:${letter}${len(column.choices) + 1}"
        rule = DataValidation(type="list", formula1=source, allow_blank=True,
                              showErrorMessage=False)
        rule.prompt = column.help[:250] if column.help else None
        rule.showInputMessage = bool(column.help)
        data.add_data_validation(rule)
        rule.add(f"{target}2:{target}{LIST_ROWS}")
    lists.sheet_state = "hidden"
    _instructions(book.create_sheet("Instructions", 0), kind)
    book.active = book.sheetnames.index("Data")
    return book


def _write_rows(sheet: Any, columns: list[Any], rows: pd.DataFrame, first_row: int) -> None:
    headers = [c.header for c in columns]
    for r, record in enumerate(rows.itertuples(index=False), start=first_row):
        values = dict(zip(rows.columns, record, strict=True))
        for position, header in enumerate(headers, start=1):
            value = values.get(header)
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                continue
            if isinstance(value, pd.Timestamp):
                value = value.date()
            cell = sheet.cell(row=r, column=position)
            if isinstance(value, str):
                # Text stays text: a formula-like value gets a leading ' (never a formula, and
                # the importer takes the ' off again); characters a workbook cannot hold go.
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
                cell.data_type = "s"
            elif isinstance(value, Percent):
                # A percentage is a number Excel shows with a % sign: 81% is 0.81 formatted.
                cell.value = shift_decimal(value, -2)
                cell.number_format = _percent_format(value)
            else:
                cell.value = value
            if hasattr(value, "year") and hasattr(value, "day"):
                cell.number_format = "DD/MM/YYYY"


def _percent_format(value: float) -> str:
    """A percent format showing every decimal the figure has (33.333333% as 0.000000%)."""
    places = min(max(-Decimal(repr(float(value))).normalize().as_tuple().exponent, 0), 15)
    return "0%" if places == 0 else "0." + "0" * places + "%"


def _instructions(sheet: Any, kind: TemplateKind) -> None:
    sheet["A1"] = f"{kind.label}: upload template"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = kind.purpose
    lines: list[str] = [
        "",
        "How to fill it in",
        "Fill the Data sheet, one row per record, under the header row. Do not rename the "
        "headers. Row 2 is an example: overwrite it or leave it (it is skipped).",
        *kind.notes,
        "Upload the file on the Upload page. You will see every problem at once, with its row "
        "and column, and what will change before anything is saved.",
        "",
        "Columns",
    ]
    row = 3
    for line in lines:
        sheet.cell(row=row, column=1, value=line)
        if line in ("How to fill it in", "Columns"):
            sheet.cell(row=row, column=1).font = Font(bold=True)
        row += 1
    for label, width, column in (("Column", 30, 1), ("Required", 12, 2), ("What to write", 90, 3)):
        sheet.cell(row=row, column=column, value=label).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    row += 1
    one_of = {f for group in kind.layout.one_of for f in group}
    for column in kind.layout.columns:
        required = "yes" if column.required and not column.allow_blank else (
            "one of" if column.field in one_of else ("column" if column.required else "no"))
        sheet.cell(row=row, column=1, value=column.header)
        sheet.cell(row=row, column=2, value=required)
        text = column.help
        if column.choices:
            text += " Choices: " + "; ".join(column.choices) + "."
        cell = sheet.cell(row=row, column=3, value=text.strip())
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1


def template_bytes(kind: TemplateKind) -> bytes:
    buffer = io.BytesIO()
    workbook(kind).save(buffer)
    return buffer.getvalue()


def write_template(kind: TemplateKind, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook(kind).save(path)
    return path


def filled_workbook_bytes(kind: TemplateKind, rows: pd.DataFrame) -> bytes:
    """The template filled with `rows` (columns named by the template's headers)."""
    buffer = io.BytesIO()
    workbook(kind, rows, example=False).save(buffer)
    return buffer.getvalue()


def headers(kind: TemplateKind) -> list[str]:
    return [c.header for c in kind.layout.columns]


def ensure_columns(rows: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    out = rows.copy()
    for name in names:
        if name not in out:
            out[name] = None
    return out[list(names)]
