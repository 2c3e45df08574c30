"""What is stored, written back out in each template's own shape.

Export then import changes nothing: measures and groups are written by their labels,
percentages as percentages (in a CSV with a % sign, in a workbook as numbers formatted as
percentages, so the fraction rule never applies), missing figures by their code, and rows in
their natural key's order (`impact.domain.natural_keys`).

Nothing exported can run in a spreadsheet: every text cell that starts like a formula is
written with a leading `'` (`impact.formulas.neutralise`), which the importer takes off again.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from impact.auth import Actor, NotAllowed, audit
from impact.auth.rights import EXPORT, Export, allowed
from impact.domain import measures as m
from impact.domain import ofsted
from impact.domain.natural_keys import TABLES
from impact.domain.pupil_groups import group_label
from impact.formulas import neutralised
from impact.importing.cells import Percent, signed_percent
from impact.importing.kinds.base import TemplateKind
from impact.importing.templates import filled_workbook_bytes, headers, template_kinds
from impact.store import Store

FORMATS = ("csv", "xlsx")


def _number(value: float) -> str:
    """The shortest text that reads back as exactly this float (`repr`), without a `.0`."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _attainment_values(frame: pd.DataFrame) -> pd.Series:
    out = []
    for code, value, note in zip(frame["measure"], frame["value"], frame["value_note"],
                                 strict=True):
        if pd.isna(value):
            out.append(note if isinstance(note, str) else None)
        elif m.measure(code).is_percent:
            out.append(signed_percent(float(value)))
        else:
            out.append(float(value))
    return pd.Series(out, index=frame.index, dtype=object)


def _frame(store: Store, kind: TemplateKind) -> pd.DataFrame:
    code = kind.code
    data = store.run(f"export_{code}")
    key = [k for k in TABLES[kind.tables[0]].key if k in data]
    data = data.sort_values(key, kind="stable").reset_index(drop=True)
    by_field = {c.field: c.header for c in kind.layout.columns}
    if code in ("attainment", "benchmarks"):
        data["value"] = _attainment_values(data)
        data["measure"] = data["measure"].map(lambda c: m.measure(c).label)
        data["pupil_group"] = data["pupil_group"].map(group_label)
        if code == "benchmarks":
            data["area_type"] = data["area_type"].map(
                {"national": "National", "local_authority": "Local authority"})
    elif code == "ofsted":
        data["framework"] = data["framework"].map(
            lambda f: ofsted.FRAMEWORKS[f].code.replace("_", " "))
    elif code == "projects":
        data["measure"] = data["measure"].map(
            lambda c: m.measure(c).label if isinstance(c, str) and c in m.BY_CODE else None)
    elif code == "cpd":
        data["lessons_good_or_better"] = pd.Series(  # object: a float column drops the type
            [None if pd.isna(v) else signed_percent(float(v))
             for v in data["lessons_good_or_better"]], index=data.index, dtype=object)
    renamed = data.rename(columns=by_field)
    for column in renamed.columns:
        if pd.api.types.is_datetime64_any_dtype(renamed[column]):
            renamed[column] = renamed[column].map(lambda d: None if pd.isna(d) else d.date())
    for column in renamed.columns:
        if pd.api.types.is_integer_dtype(renamed[column]) or str(renamed[column].dtype) == "Int64":
            renamed[column] = renamed[column].astype(object).where(renamed[column].notna(), None)
    wanted = [h for h in headers(kind) if h in renamed]
    return renamed[wanted]


def export_frame(store: Store, kind_code: str, actor: Actor) -> pd.DataFrame:
    """Stored rows of one kind, in its template's columns: those `actor` may download (a
    head's own schools; NotAllowed, recorded, for a kind they may not download at all)."""
    kinds = template_kinds()
    if kind_code not in kinds:
        raise KeyError(f"no template kind {kind_code!r}; choose one of {', '.join(kinds)}")
    decision = allowed(actor, EXPORT, Export(kind_code))
    if not decision:
        audit.write(store, actor, audit.EXPORT_ROWS, outcome=audit.REFUSED,
                    detail=f"{kind_code}: {decision.reason}")
        raise NotAllowed(decision.reason)
    frame = _frame(store, kinds[kind_code])
    if "URN" in frame and len(frame):
        mine = {u: bool(allowed(actor, EXPORT, Export(kind_code, int(u))))
                for u in frame["URN"].dropna().unique()}
        frame = frame[frame["URN"].map(lambda u: mine.get(u, False)).astype(bool)]
    return frame.reset_index(drop=True)


def export_bytes(store: Store, kind_code: str, fmt: str = "csv", *, actor: Actor) -> bytes:
    """What `actor` may download of one kind, as CSV or xlsx; every export is recorded."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    frame = export_frame(store, kind_code, actor)
    audit.write(store, actor, audit.EXPORT_ROWS, detail=f"{kind_code} as {fmt}: {len(frame)} rows")
    if fmt == "xlsx":
        return filled_workbook_bytes(template_kinds()[kind_code], frame)
    if fmt != "csv":
        raise ValueError(f"format must be one of {FORMATS}")
    out = frame.copy()
    for column in out.columns:
        out[column] = out[column].map(_csv_cell)
    out = neutralised(out)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Percent):
        return _number(value) + "%"
    if isinstance(value, float):
        return _number(value)
    return value


def export_to(store: Store, kind_code: str, path: str | Path, fmt: str | None = None, *,
              actor: Actor) -> Path:
    path = Path(path)
    fmt = fmt or (path.suffix.lstrip(".").lower() or "csv")
    path.write_bytes(export_bytes(store, kind_code, fmt, actor=actor))
    return path
