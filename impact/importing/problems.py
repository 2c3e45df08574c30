"""What can be wrong with an upload, said so that a head can fix it in the spreadsheet.

A `Problem` names the row as the user sees it in their spreadsheet, the column as they wrote
it, the value they typed and what was expected. `UnusableFile` is for files that cannot be read
as a return at all (wrong format, empty, no recognisable header).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row number, 1-based as Excel shows it; None for the file
    column: str | None  # the header as written in the file
    value: str | None  # what the cell held, as text
    message: str  # what is wrong and what was expected
    sheet: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{', '.join(where) or 'file'}{value}: {self.message}"


class UnusableFile(ValueError):
    """The file is not a spreadsheet this product can read; the message says what to do."""


def shown(value: object) -> str:
    """A cell's value as the user would recognise it, for messages."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if hasattr(value, "strftime") and hasattr(value, "day"):
        try:
            return value.strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)
