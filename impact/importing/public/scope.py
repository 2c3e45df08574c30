"""Which schools of a public file to keep: the partnership's, chosen local authorities', or all.

A published file covers a region or all of England: the West Midlands Ofsted file names 1,621
schools, a national KS2 table some 15,000. A trust usually wants its own schools and, for
comparison, those of its local authority, not thousands of strangers in every school list.
So DfE performance tables, Ofsted's inspection outcomes and Explore Education Statistics files
take a `scope` option:

- `partnerships`: schools in any partnership set up here (memberships);
- `known`: schools already set up here, comparison schools included;
- `local_authorities`: schools in the local authorities chosen in `scope_local_authorities`
  (as the file names them; a school's local authority is read from the file, else from the
  store);
- `all` (the default when nothing is chosen, as before this option existed): every school.

Benchmark rows (England, local authorities) are always kept: they are the comparison lines,
a handful of rows, and never clutter a school list. What was left out is counted in the
summary's `skipped` list, and the choice itself is in `summary["scope"]`, which the Upload page
shows before anything is written and reads back to suggest the same choice next time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import Any

import pandas as pd

from impact.importing.kinds.base import Context, Option, Validated
from impact.importing.public.choices import chosen, match

PARTNERSHIPS, KNOWN, LOCAL_AUTHORITIES, ALL = "partnerships", "known", "local_authorities", "all"
SCOPES: dict[str, str] = {
    PARTNERSHIPS: "Only schools in a partnership here",
    KNOWN: "Only schools already set up here (comparison schools too)",
    LOCAL_AUTHORITIES: "Only schools in the local authorities I choose",
    ALL: "Every school in the file",
}
DEFAULT = ALL
SCOPE = "scope"
SCOPE_LAS = "scope_local_authorities"

SCOPE_OPTION = Option(
    SCOPE, "Which schools to keep",
    help="England and local authority figures are always kept. Keep only your partnerships' "
         "schools, the schools already set up here, the schools of the local authorities you "
         "choose below, or every school in the file (the default). On the command line: "
         "--option scope=partnerships | known | local_authorities | all.",
    kind="choice", choices=tuple(SCOPES.values()))
LOCAL_AUTHORITIES_OPTION = Option(
    SCOPE_LAS, "Local authorities to keep",
    help="With 'Only schools in the local authorities I choose': which ones. On the command "
         "line: --option scope_local_authorities=\"Shropshire;Telford and Wrekin\".",
    kind="multichoice")
OPTIONS = (SCOPE_OPTION, LOCAL_AUTHORITIES_OPTION)


class ScopeError(ValueError):
    """The scope asked for cannot be applied; the message says what to choose."""


def scope_code(value: Any) -> str:
    """The scope code from what a person chose: a code or its label, in any case."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT
    text = " ".join(str(value).split()).casefold()
    for code, label in SCOPES.items():
        if text in (code, label.casefold(), code.replace("_", " ")):
            return code
    aliases = {"partnership": PARTNERSHIPS, "trust": PARTNERSHIPS, "mine": PARTNERSHIPS,
               "set up": KNOWN, "local authority": LOCAL_AUTHORITIES, "la": LOCAL_AUTHORITIES,
               "las": LOCAL_AUTHORITIES, "every": ALL, "everything": ALL}
    if text in aliases:
        return aliases[text]
    raise ScopeError(f"There is no choice of schools called {value!r}. Choose one of: "
                     f"{', '.join(SCOPES)}.")


def distinct_names(values: Iterable[object]) -> list[str]:
    values = list(values)
    with suppress(TypeError):  # a national file names the same 150 authorities 16,000 times
        values = list(set(values))
    names = {" ".join(str(v).split()) for v in values if v is not None and str(v).strip()}
    return sorted(names, key=lambda v: (v.casefold(), v))


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def keep(validated: Validated, context: Context, file_las: Mapping[int, str],
         available_las: Iterable[str]) -> Validated:
    """`validated` with only the chosen schools' rows (every frame with a `urn` column);
    benchmark rows untouched. `file_las`: each school's local authority as the file names it;
    `available_las`: the local authorities the file offers (for the choice's messages)."""
    try:
        code = scope_code(context.options.get(SCOPE))
    except ScopeError as error:
        return _refused(validated, str(error))
    available = distinct_names(available_las)
    wanted = chosen(context.options.get(SCOPE_LAS), available)
    if wanted and code == ALL and context.options.get(SCOPE) is None:
        code = LOCAL_AUTHORITIES  # choosing local authorities says which schools to keep
    if code == ALL:
        return validated
    schools = context.schools
    if code == LOCAL_AUTHORITIES:
        if not wanted:
            return _refused(validated, "Choose at least one local authority to keep (this file "
                                       f"has {len(available)}), or choose another way to "
                                       "keep schools.")
        found, unknown = match(wanted, available, "local authority")
        if unknown:
            return _refused(validated, " ".join(unknown))
        keys = {_norm(x) for x in found}
        stored = ({} if schools.empty or "local_authority" not in schools else
                  dict(zip(schools["urn"].astype(int), schools["local_authority"],
                           strict=True)))

        def kept(urn: int) -> bool:
            la = file_las.get(urn) or stored.get(urn)
            return la is not None and _norm(la) in keys

        described = "in " + ", ".join(sorted(found, key=str.casefold))
    elif code == PARTNERSHIPS:
        members = (set() if schools.empty or "in_partnership" not in schools else
                   set(schools.loc[schools["in_partnership"].fillna(False).astype(bool),
                                   "urn"].astype(int)))
        if not members:
            return _refused(validated, "No school is in a partnership here yet, so keeping "
                                       "only the partnerships' schools would keep none. Set "
                                       "up the partnership first, or choose local "
                                       "authorities.")

        def kept(urn: int) -> bool:
            return urn in members

        described = "schools in a partnership here"
    else:
        known = set() if schools.empty else set(schools["urn"].astype(int))

        def kept(urn: int) -> bool:
            return urn in known

        described = "schools already set up here"

    frames: dict[str, pd.DataFrame] = {}
    file_schools: set[int] = set()
    left_schools: set[int] = set()
    left_rows = 0
    for name, frame in validated.frames.items():
        if "urn" not in frame or frame.empty:
            frames[name] = frame
            continue
        urns = frame["urn"].astype("int64")
        distinct = {int(u) for u in urns.unique()}
        decided = {u: kept(u) for u in distinct}
        mask = urns.map(decided).astype(bool)
        file_schools |= distinct
        left_schools |= {u for u, k in decided.items() if not k}
        if name != "schools":
            left_rows += int((~mask).sum())
        frames[name] = frame[mask].reset_index(drop=True)
    summary = dict(validated.summary)
    skipped = list(summary.get("skipped", []))
    if left_schools:
        skipped.append({"reason": f"schools left out: not {described} (with their "
                                  f"{left_rows:,} rows of figures or inspections)",
                        "count": len(left_schools)})
    summary["skipped"] = skipped
    summary["scope"] = {"choice": code, "label": SCOPES[code],
                        "local_authorities": sorted(found, key=str.casefold)
                        if code == LOCAL_AUTHORITIES else [],
                        "schools_in_file": len(file_schools),
                        "schools_kept": len(file_schools - left_schools),
                        "schools_left_out": len(left_schools)}
    if "new_schools" in summary and "schools" in frames:
        summary["new_schools"] = len(frames["schools"])
    for count_key, table in (("inspections", "ofsted_inspections"),
                             ("attainment_rows", "attainment")):
        if count_key in summary and table in frames:
            summary[count_key] = len(frames[table])
    kept_figures = [f for n, f in frames.items() if n not in ("schools", "benchmarks")
                    and "urn" in f]
    if kept_figures:
        summary["schools"] = len({int(u) for f in kept_figures for u in f["urn"].unique()})
    return Validated(validated.kind, frames, list(validated.problems), list(validated.warnings),
                     summary, dict(validated.headers))


def _refused(validated: Validated, message: str) -> Validated:
    from impact.importing.problems import Problem

    return Validated(validated.kind, {}, [*validated.problems, Problem(None, None, None,
                                                                       message)],
                     list(validated.warnings), dict(validated.summary), dict(validated.headers))


def sentence(summary: Mapping[str, Any]) -> str | None:
    """What the scope keeps, in one sentence for the preview; None when every school is."""
    scope = summary.get("scope")
    if not scope:
        return None
    code = scope.get("choice")
    if code == LOCAL_AUTHORITIES:
        which = "schools in " + ", ".join(scope.get("local_authorities") or [])
    elif code == PARTNERSHIPS:
        which = "schools in a partnership here"
    elif code == KNOWN:
        which = "schools already set up here"
    else:
        return None
    return (f"Keeping {which}: {scope.get('schools_kept', 0):,} of the "
            f"{scope.get('schools_in_file', 0):,} schools in the file. England and local "
            "authority figures are always kept.")


def remembered(summaries: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The scope options of the newest upload that chose one (`summaries` newest first), to
    suggest the same choice again."""
    for summary in summaries:
        scope = summary.get("scope") if isinstance(summary, Mapping) else None
        if scope and scope.get("choice") in SCOPES:
            out: dict[str, Any] = {SCOPE: SCOPES[scope["choice"]]}
            if scope.get("local_authorities"):
                out[SCOPE_LAS] = list(scope["local_authorities"])
            return out
    return {}
