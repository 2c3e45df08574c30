"""What every kind of import shares: the context it validates against and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from impact.auth import Actor
from impact.importing import cells
from impact.importing.layout import (
    HEADER_SCAN_ROWS,
    ROW,
    Column,
    Layout,
    Table,
    locate,
    normalise_header,
    parse_columns,
)
from impact.importing.problems import Problem, shown
from impact.importing.reading import Sheet


@dataclass
class Context:
    """What validation may consult: the schools already known, who is acting, user choices."""

    schools: pd.DataFrame  # columns urn, name
    actor: Actor
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Validated:
    """A checked return, ready to be compared with the store and written."""

    kind: str
    frames: dict[str, pd.DataFrame]  # store table -> rows (fields present in the file, + ROW)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # field -> column as the file names it

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Option:
    """A choice the user makes when importing some formats (a year, which trusts to bring in).

    The Upload page renders these generically and the CLI takes them as `--option name=value`;
    the chosen values reach `validate` in `Context.options[name]` (a string, or a list of
    strings for `multichoice`).
    """

    name: str
    label: str
    help: str = ""
    kind: str = "text"  # text | choice | multichoice
    choices: tuple[str, ...] = ()  # fixed choices; see Format.option_choices for ones from a file


class Format(Protocol):
    """Anything the importer can take: a template kind or a public data file."""

    code: str
    label: str
    options: tuple[Option, ...]

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        """Choices for an option that depend on the file (e.g. the trusts it lists)."""
        ...

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        """How sure (0 to 1) that these sheets are this format."""
        ...

    def validate(self, sheets: list[Sheet], context: Context) -> Validated: ...


def urn_column(required: bool = False) -> Column:
    return Column("urn", "URN", cells.urn, required=required, allow_blank=True,
                  synonyms=("school urn", "unique reference number", "urn number",
                            "school urn number", "school_urn"),
                  help="The school's 6-digit unique reference number (find it on Get "
                       "Information About Schools). Give this or the school's exact name.",
                  example=100000, expected="a 6-digit URN")


def school_name_column() -> Column:
    return Column("school_name", "School", cells.text, required=False, allow_blank=True,
                  synonyms=("school name", "name of school", "establishment name",
                            "establishmentname", "schname"),
                  help="The school's name exactly as the trust set it up. Only needed if "
                       "there is no URN.", example="Example Primary School",
                  expected="the school's name")


def _norm_name(value: object) -> str:
    return " ".join(str(value).split()).lower()


def resolve_schools(frame: pd.DataFrame, table: Table, context: Context
                    ) -> tuple[pd.Series, list[Problem], list[str]]:
    """Each row's URN, from its URN cell or else its exact school name; problems for unknowns.

    A school must already be in the store (set up with the schools template) before figures
    can be uploaded for it, so a typo'd URN cannot create a phantom school.
    """
    known = dict(zip(context.schools["urn"].astype(int), context.schools["name"], strict=True))
    by_name: dict[str, list[int]] = {}
    for urn, name in known.items():
        by_name.setdefault(_norm_name(name), []).append(urn)
    index = frame.index
    urns = frame["urn"] if "urn" in frame else pd.Series(None, index=index, dtype=object)
    names = (frame["school_name"] if "school_name" in frame
             else pd.Series(None, index=index, dtype=object))
    has_urn = urns.notna()
    has_name = names.notna()
    result = pd.Series(None, index=index, dtype=object)
    urn_known = has_urn & urns.isin(list(known))
    result[urn_known] = urns[urn_known].astype(int)
    by_name_unique = {k: v[0] for k, v in by_name.items() if len(v) == 1}
    from_name = ~has_urn & has_name
    result[from_name] = cells.map_distinct(
        names[from_name], lambda n: None if n is None else by_name_unique.get(_norm_name(n)))
    problems: list[Problem] = []
    for i in index[has_urn & ~urn_known]:
        problems.append(Problem(int(frame.at[i, ROW]), table.header("urn"),
                                shown(table.data.at[i, "urn"]),
                                "no school with this URN has been set up; check the number, or "
                                "add the school with the schools template first", table.sheet))
    for i in index[from_name & result.isna()]:
        matches = by_name.get(_norm_name(names[i]), [])
        message = ("no school has exactly this name; use the URN, or the name exactly as set up"
                   if not matches else "more than one school has this name; use the URN instead")
        problems.append(Problem(int(frame.at[i, ROW]), table.header("school_name"),
                                str(names[i]), message, table.sheet))
    unreadable: set[Any] = set()
    if "urn" in table.data:
        raw = table.data["urn"]
        unreadable = set(index[~has_urn & ~cells.blank_mask(raw)])
    for i in index[~has_urn & ~has_name]:
        if i in unreadable:
            continue  # its URN cell was already reported as unreadable
        column = table.header("urn") if "urn" in table.headers else table.header("school_name")
        problems.append(Problem(int(frame.at[i, ROW]), column, "",
                                "this row names no school; give its URN or its name",
                                table.sheet))
    warnings = []
    both = urn_known & has_name
    if both.any():
        mismatch = pd.Series(
            [bool(b) and _norm_name(n) != _norm_name(known[int(u)])
             for u, n, b in zip(urns, names, both, strict=True)], index=index)
        rows = frame.loc[mismatch, ROW].astype(int).tolist()
        if rows:
            shown_rows = ", ".join(str(r) for r in rows[:10])
            more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
            warnings.append(f"Row{'s' if len(rows) > 1 else ''} {shown_rows}{more}: the school "
                            "name does not match the name set up for that URN; the URN was used.")
    return result, problems, warnings


def take_clears(table: Table, fields: tuple[str, ...] | list[str]) -> dict[str, pd.Series]:
    """Cells that say `clear` in these fields, as masks by field; the cells are blanked in
    `table.data`, so the column's parser never sees the word (a date column would refuse it)."""
    masks: dict[str, pd.Series] = {}
    for field_name in fields:
        if field_name not in table.data:
            continue
        mask = cells.map_distinct(table.data[field_name], cells.is_clear).astype(bool)
        if mask.any():
            table.data.loc[mask, field_name] = None
            masks[field_name] = mask
    return masks


def unclearable(table: Table, masks: dict[str, pd.Series], fields: tuple[str, ...],
                why: str) -> list[Problem]:
    """A problem for each `clear` written where a value cannot be emptied."""
    problems = []
    for field_name in fields:
        mask = masks.get(field_name)
        if mask is None:
            continue
        for row in table.data.loc[mask, ROW]:
            problems.append(rows_problem(table, row, field_name, cells.CLEAR_WORD,
                                         f"{table.header(field_name)} {why}"))
    return problems


def without_repeats(problems: list[Problem], already: list[Problem]) -> list[Problem]:
    """`problems` less those about a cell `already` has a problem for (a refused `clear`
    leaves its cell blank, which the column's parser would report again as empty)."""
    cells_named = {(p.row, p.column) for p in already}
    return [p for p in problems if (p.row, p.column) not in cells_named]


def rows_problem(table: Table, row: Any, field_name: str, value: Any, message: str) -> Problem:
    return Problem(int(row), table.header(field_name), shown(value), message, table.sheet)


class TemplateKind:
    """A return made from one of our templates: one table of columns described by a Layout."""

    code: str = ""
    label: str = ""
    what: str = ""  # a few words naming one row, for messages ("school, year, term, …")
    purpose: str = ""  # one sentence for the Instructions sheet
    layout: Layout
    tables: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # extra instructions
    options: tuple[Option, ...] = ()

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        return []

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        """Share of the header row's cells that name this kind's columns (0.9 at most, so a
        public format that knows its own file for certain wins), halved if a required column
        is missing."""
        lookup = self.layout.lookup()
        required = {c.field for c in self.layout.columns if c.required}
        best = 0.0
        for sheet in sheets:
            for index in range(min(HEADER_SCAN_ROWS, len(sheet.grid))):
                names = [normalise_header(c) for c in sheet.row(index)]
                names = [n for n in names if n]
                if len(names) < 2:
                    continue
                found = [c for c in (lookup.find(n) for n in names) if c is not None]
                fields = {c.field for c in found}
                if len(fields) < 2:
                    continue
                score = len(found) / len(names)
                if not required <= fields:
                    score /= 2
                best = max(best, 0.9 * score)
        return best

    def locate(self, sheets: list[Sheet]) -> tuple[Table, list[Problem], list[str]]:
        return locate(sheets, self.layout, self.label.lower())

    def begin(self, sheets: list[Sheet], context: Context | None = None
              ) -> tuple[Table | None, pd.DataFrame, list[Problem], list[str]]:
        """What every template kind does first: find the table, skip the example row, read
        every cell, and (given a context) find each row's school.

        Returns (table, parsed rows, problems, warnings); the table is None when the header
        itself is wrong, since no row can be read until it is put right.
        """
        table, problems, warnings = self.locate(sheets)
        if problems:
            return None, pd.DataFrame(), problems, warnings
        table, skipped = self.drop_example(table)
        warnings += skipped
        frame, cell_problems = parse_columns(table, self.layout)
        problems += cell_problems
        if context is not None:
            frame["urn"], school_problems, school_warnings = resolve_schools(frame, table,
                                                                             context)
            problems += school_problems
            warnings += school_warnings
        return table, frame, problems, warnings

    def example_row(self) -> dict[str, Any]:
        return {c.header: c.example for c in self.layout.columns}

    def drop_example(self, table: Table) -> tuple[Table, list[str]]:
        """Skip the template's own example row if the user left it in."""
        example = {c.field: cells.text(c.example) for c in self.layout.columns
                   if c.example is not None and c.field in table.data}
        if not example or table.data.empty:
            return table, []
        match = pd.Series(True, index=table.data.index)
        for field_name, expected in example.items():
            match &= cells.map_distinct(
                table.data[field_name],
                lambda v, e=expected: not cells.is_blank(v) and cells.text(v) == e).astype(bool)
            if not match.any():
                return table, []
        if not match.any():
            return table, []
        rows = table.data.loc[match, ROW].tolist()
        table.data = table.data[~match].reset_index(drop=True)
        return table, [f"Skipped row {', '.join(map(str, rows))}: it is the template's example "
                       "row."]

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:  # pragma: no cover
        raise NotImplementedError
