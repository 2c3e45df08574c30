"""Codes that stand where a number would be: each means "no value, for this reason", never 0.

Files carry DfE performance-table codes (`SUPP`, `NE`, …) or the Government Statistical
Service symbols (`c`, `x`, `z`, `low`, `u`). The code is stored beside an empty value so a page
can say *why* a figure is missing, and show the GSS symbol people recognise.
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.domain import small_numbers


@dataclass(frozen=True)
class MissingCode:
    code: str  # as stored
    symbol: str  # GSS symbol to display
    meaning: str  # plain words


_CODES = (
    MissingCode("c", "c", "suppressed to protect confidentiality "
                          f"({small_numbers.hidden_rule()})"),
    MissingCode("x", "x", "not available"),
    MissingCode("z", "z", "not applicable"),
    MissingCode("low", "low", "rounds to zero, but is not zero"),
    MissingCode("u", "u", "low reliability"),
    MissingCode("SUPP", "c", f"suppressed ({small_numbers.hidden_rule()})"),
    MissingCode("NE", "z", "no entries"),
    MissingCode("NA", "z", "not applicable"),
    MissingCode("NP", "x", "not published"),
    MissingCode("NEW", "x", "new school: no results yet"),
    MissingCode("LOWCOV", "x", "low coverage: too few pupils with a result"),
    MissingCode("SP", "x", "small percentage: not published"),
    MissingCode("RE", "x", "result under review"),
    MissingCode("NM", "x", "not meaningful"),
    MissingCode("DNS", "x", "did not submit"),
    MissingCode("BLANK", "x", "left blank in the published file"),
)

CODES: dict[str, MissingCode] = {c.code: c for c in _CODES}
_LOOKUP = {c.code.lower(): c.code for c in _CODES}
_LOOKUP.update({":": "x", "..": "x", "supp": "SUPP", "suppressed": "c",
                "not available": "x", "n/a": "z", "not applicable": "z"})


def find_code(text: object) -> str | None:
    """The stored code for a missing-value marker, or None when `text` is not one."""
    if text is None:
        return None
    raw = str(text)
    if raw == " ":
        return "BLANK"
    return _LOOKUP.get(raw.strip().lower())


def describe(code: str | None) -> MissingCode | None:
    return CODES.get(code) if code else None


def symbol(code: str | None) -> str:
    """What to print in a cell whose value is missing for this reason."""
    found = describe(code)
    return found.symbol if found else "x"
