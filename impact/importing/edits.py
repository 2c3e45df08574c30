"""Changes made on the Set up page, as small files of the templates' own kinds.

A data manager changes partnerships, cohorts, who joined when, school contacts and improvement
projects in the app rather than by a spreadsheet round trip. Each change becomes an in-memory
workbook in the schools or projects template: the rows the person changed, every value they
saw written out, a blank cell where a value is kept and `clear` where they emptied one. The
workbook then goes through exactly what an upload does (`pipeline.plan_import`: the same
validator and rights check, a preview of what will change; `pipeline.commit`: one transaction,
the workbook kept as the original file, a line in the upload history; `pipeline.undo_upload`).
So nothing here writes to the store, and a change made in the app can be downloaded, read and
undone like any upload.

What this module refuses itself is what only the person's intent can tell (adding a cohort
that already exists, adding no school); every rule about the values is the validator's.

Renaming a partnership or a cohort, and removing a school entered in a cohort by mistake, also
take rows away, which no template can say: their `Edit` carries the keys of the rows to
remove (and, for a partnership, the improvement projects that follow its name). Their file is
the rows under the new name, checked by the same validator (for a removal, the row removed,
kept as the record of it); `pipeline.plan_edit` adds the removals to the same preview, and
`pipeline.commit` writes both in one transaction, so undo takes the whole change back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from impact.domain import measures as m
from impact.importing import cells
from impact.importing.kinds.schools import DEFAULT_COHORT
from impact.importing.templates import filled_workbook_bytes, template_kinds
from impact.store import Store

PREFIX = "set-up"  # every change made on the Set up page is an upload whose file begins so
CLEAR = cells.CLEAR_WORD


class EditRefused(ValueError):
    """The change cannot be made as asked; the message says why, in a sentence."""


@dataclass(frozen=True)
class Edit:
    """One change, as a file of a template kind, ready for `pipeline.plan_import`."""

    kind: str
    file_name: str
    content: bytes
    what: str  # the change in one sentence, for the preview
    removals: dict[str, pd.DataFrame] = field(default_factory=dict)  # keys, by table
    follow: dict[str, pd.DataFrame] = field(default_factory=dict)  # rows that follow a rename
    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)  # table: (old, new)
    record_only: bool = False  # the file records what is removed and adds nothing


def _clean(text: object) -> str | None:
    if text is None:
        return None
    cleaned = " ".join(str(text).split())
    return cleaned or None


def _named(text: object, what: str) -> str:
    name = _clean(text)
    if name is None:
        raise EditRefused(f"Give the {what} a name.")
    if cells.is_clear(name):
        raise EditRefused(f"{name!r} cannot be a {what}'s name: the word {CLEAR!r} empties a "
                          "value in the templates. Choose another name.")
    return name


def _or_clear(value: Any) -> Any:
    """A value the person may have emptied: `clear` when they did."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return CLEAR
    return value


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M%S")


def _slug(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in kept.split("-") if part)[:40] or "change"


def _edit(kind: str, action: str, rows: list[dict[str, Any]], what: str,
          **taking_away: Any) -> Edit:
    """The rows (by field name) as a workbook of `kind`, headed by the template's headers."""
    template = template_kinds()[kind]
    headers = {c.field: c.header for c in template.layout.columns}
    frame = pd.DataFrame([{headers[k]: v for k, v in row.items()} for row in rows],
                         columns=[c.header for c in template.layout.columns], dtype=object)
    name = f"{PREFIX}-{_slug(action)}-{_stamp()}.xlsx"
    return Edit(kind, name, filled_workbook_bytes(template, frame), what, **taking_away)


def _partnerships(store: Store) -> pd.DataFrame:
    return store.run("partnerships")


def _cohorts(store: Store, partnership: str | None = None) -> pd.DataFrame:
    return store.run("cohorts", partnership=partnership)


def _exists(frame: pd.DataFrame, **where: str) -> bool:
    if frame.empty:
        return False
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].astype(str).str.casefold() == value.casefold()
    return bool(mask.any())


# --- partnerships and cohorts ---------------------------------------------------------------

def add_partnership(store: Store, partnership: str, partnership_type: str | None,
                    cohort: str | None = None, focus: str | None = None,
                    start_date: dt.date | None = None) -> Edit:
    """A new partnership with its first cohort ("All schools" unless named)."""
    name = _named(partnership, "partnership")
    if _exists(_partnerships(store), partnership=name):
        raise EditRefused(f"There is already a partnership called {name!r}: change it below, "
                          "or choose another name.")
    first = _named(cohort, "cohort") if _clean(cohort) else DEFAULT_COHORT
    return _edit("schools", f"add partnership {name}", [{
        "partnership": name, "partnership_type": partnership_type, "cohort": first,
        "focus": _clean(focus), "start_date": start_date}],
        f"Add the partnership {name} ({partnership_type or 'type not given'}) with its "
        f"cohort {first}.")


def change_partnership(store: Store, partnership: str, partnership_type: str | None) -> Edit:
    if not _exists(_partnerships(store), partnership=partnership):
        raise EditRefused(f"There is no partnership called {partnership!r}.")
    return _edit("schools", f"change partnership {partnership}", [{
        "partnership": partnership, "partnership_type": _or_clear(partnership_type)}],
        f"Set {partnership}'s type to {partnership_type or 'not given'}.")


def add_cohort(store: Store, partnership: str, cohort: str, focus: str | None,
               start_date: dt.date | None) -> Edit:
    if not _exists(_partnerships(store), partnership=partnership):
        raise EditRefused(f"There is no partnership called {partnership!r}: add it first.")
    name = _named(cohort, "cohort")
    if _exists(_cohorts(store, partnership), cohort=name):
        raise EditRefused(f"{partnership} already has a cohort called {name!r}: change it "
                          "below, or choose another name.")
    return _edit("schools", f"add cohort {name}", [{
        "partnership": partnership, "cohort": name, "focus": _clean(focus),
        "start_date": start_date}],
        f"Add the cohort {name} to {partnership}"
        + (f", starting {start_date:%d/%m/%Y}." if start_date else "."))


_KEEP = object()


def change_cohort(store: Store, partnership: str, cohort: str, focus: str | None,
                  start_date: dt.date | None, *, partnership_type: Any = _KEEP) -> Edit:
    """The cohort's focus and start date (and, if given, its partnership's type) as the
    person left them: empty ones are cleared."""
    if not _exists(_cohorts(store, partnership), cohort=cohort):
        raise EditRefused(f"{partnership} has no cohort called {cohort!r}.")
    row = {"partnership": partnership, "cohort": cohort, "focus": _or_clear(_clean(focus)),
           "start_date": _or_clear(start_date)}
    if partnership_type is not _KEEP:
        row["partnership_type"] = _or_clear(partnership_type)
    return _edit("schools", f"change cohort {cohort}", [row],
                 f"Change {cohort} ({partnership}): its focus and start date"
                 + (" and the partnership's type." if partnership_type is not _KEEP else "."))


# --- who is in which cohort -----------------------------------------------------------------

def _members(store: Store, partnership: str, cohort: str) -> pd.DataFrame:
    return store.run("cohort_members", partnership=partnership, cohort=cohort)


def add_members(store: Store, partnership: str, cohort: str, urns: Sequence[int],
                joined: dt.date | None) -> Edit:
    """Schools already set up, added to a cohort from `joined`; their details stay as they
    are (the schools template's blank cells keep them)."""
    if not _exists(_cohorts(store, partnership), cohort=cohort):
        raise EditRefused(f"{partnership} has no cohort called {cohort!r}.")
    if not urns:
        raise EditRefused("Choose at least one school to add.")
    if joined is None:
        raise EditRefused("Give the date the schools joined the cohort.")
    already = set(_members(store, partnership, cohort)["urn"].astype(int))
    repeated = sorted(set(int(u) for u in urns) & already)
    if repeated:
        raise EditRefused(f"{', '.join(map(str, repeated))} {'is' if len(repeated) == 1 else 'are'}"
                          f" already in {cohort}: change {'its' if len(repeated) == 1 else 'their'}"
                          " dates below instead.")
    rows = [{"urn": int(u), "partnership": partnership, "cohort": cohort,
             "joined_date": joined} for u in urns]
    return _edit("schools", f"add schools to {cohort}", rows,
                 f"Add {len(rows)} school{'s' if len(rows) != 1 else ''} to {cohort} "
                 f"({partnership}) from {joined:%d/%m/%Y}.")


def change_member(store: Store, urn: int, partnership: str, cohort: str,
                  joined: dt.date | None, left: dt.date | None) -> Edit:
    """A school's joined and left dates in a cohort (no left date: still in it)."""
    members = _members(store, partnership, cohort)
    if members.empty or int(urn) not in set(members["urn"].astype(int)):
        raise EditRefused(f"School {urn} is not in {cohort} ({partnership}): add it first.")
    if joined is None:
        raise EditRefused("A school in a cohort needs the date it joined.")
    return _edit("schools", f"change dates {urn} {cohort}", [{
        "urn": int(urn), "partnership": partnership, "cohort": cohort, "joined_date": joined,
        "left_date": _or_clear(left)}],
        f"School {urn} in {cohort}: joined {joined:%d/%m/%Y}, "
        + (f"left {left:%d/%m/%Y}." if left else "still in the cohort."))


def remove_member(store: Store, urn: int, partnership: str, cohort: str) -> Edit:
    """A school entered in a cohort by mistake, taken out as if it had never been in it (not
    a left date: that says the school was in the cohort and then left)."""
    members = _members(store, partnership, cohort)
    found = members[members["urn"].astype(int) == int(urn)] if not members.empty else members
    if found.empty:
        raise EditRefused(
            f"Removing school {urn} from {cohort} ({partnership}): in the column URN, the "
            f"value {urn} is not a school in {cohort}, so there is nothing to remove. Expected "
            f"one of the schools listed in {cohort}.")
    row = found.iloc[0]
    name = _clean(row["name"]) or str(urn)
    return _edit("schools", f"remove {urn} from {cohort}", [{
        "urn": int(urn), "partnership": partnership, "cohort": cohort,
        "joined_date": _date_value(row["joined_date"]),
        "left_date": _date_value(row["left_date"])}],
        f"Remove {name} ({urn}) from {cohort} ({partnership}) as entered by mistake: it will "
        "be as if the school had never been in the cohort, with no joined or left date.",
        removals={"memberships": pd.DataFrame(
            [{"urn": int(urn), "partnership": partnership, "cohort": cohort}])},
        record_only=True)


def _date_value(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _new_name(old: str, new: object, what: str, where: str, column: str,
              taken: Sequence[str]) -> str:
    """The new name of a partnership or cohort, or the refusal naming the row (`where`), the
    column, the value and what was expected."""
    name = _clean(new)
    start = f"Renaming the {what} {old!r}{where}: in the column {column}"
    if name is None:
        raise EditRefused(f"{start}, the new name is empty. Expected the {what}'s new name.")
    if cells.is_clear(name):
        raise EditRefused(f"{start}, the value {name!r} cannot be a name: the word {CLEAR!r} "
                          f"empties a value in the templates. Expected another name.")
    if name == old:
        raise EditRefused(f"{start}, the value {name!r} is already its name. Expected a "
                          "different name.")
    clash = [t for t in taken if t != old and str(t).casefold() == name.casefold()]
    if clash:
        raise EditRefused(f"{start}, the value {name!r} is already the name of another "
                          f"{what}{where} ({clash[0]!r}). Expected a name no other {what}"
                          f"{where} has.")
    return name


def _membership_rows(members: pd.DataFrame, partnership: str,
                     cohort: str | None = None) -> list[dict[str, Any]]:
    return [{"urn": int(x["urn"]), "partnership": partnership,
             "cohort": cohort if cohort is not None else x["cohort"],
             "joined_date": _date_value(x["joined_date"]),
             "left_date": _date_value(x["left_date"])} for x in members.to_dict("records")]


def _keys(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return frame[list(columns)].reset_index(drop=True).copy()


def rename_cohort(store: Store, partnership: str, cohort: str, new_name: object) -> Edit:
    """The cohort under a new name, its memberships with it (same dates); the old name's rows
    removed. Estimates, pages and links find the cohort by name, so they find the new one."""
    cohorts = _cohorts(store, partnership)
    found = cohorts[cohorts["cohort"] == cohort] if not cohorts.empty else cohorts
    if found.empty:
        raise EditRefused(f"Renaming the cohort {cohort!r} of {partnership}: in the column "
                          f"Cohort, the value {cohort!r} is not a cohort of {partnership}. "
                          "Expected one of its cohorts.")
    new = _new_name(cohort, new_name, "cohort", f" of {partnership}", "Cohort",
                    cohorts["cohort"].astype(str).tolist())
    row = found.iloc[0]
    members = _members(store, partnership, cohort)
    rows: list[dict[str, Any]] = [{"partnership": partnership, "cohort": new,
                                   "focus": _clean(row["focus"]),
                                   "start_date": _date_value(row["start_date"])}]
    rows += _membership_rows(members, partnership, new)
    removals = {"cohorts": pd.DataFrame([{"partnership": partnership, "cohort": cohort}])}
    if not members.empty:
        removals["memberships"] = _keys(members, ("urn", "partnership", "cohort"))
    schools = len(members)
    return _edit("schools", f"rename cohort {cohort}", rows,
                 f"Rename the cohort {cohort} of {partnership} to {new}: its focus, start date "
                 f"and {schools} school{'s' if schools != 1 else ''} (with their joined and "
                 "left dates) move to the new name, and the old name is taken away.",
                 removals=removals, renamed={"cohorts": (cohort, new)})


def rename_partnership(store: Store, partnership: str, new_name: object) -> Edit:
    """The partnership under a new name with its cohorts, memberships, the improvement
    projects that name it and the governors linked to it; the old name's rows removed."""
    partnerships = _partnerships(store)
    found = partnerships[partnerships["partnership"] == partnership] \
        if not partnerships.empty else partnerships
    if found.empty:
        raise EditRefused(f"Renaming the partnership {partnership!r}: in the column "
                          f"Partnership, the value {partnership!r} is not a partnership that "
                          "is set up. Expected one of the partnerships listed.")
    new = _new_name(partnership, new_name, "partnership", "", "Partnership",
                    partnerships["partnership"].astype(str).tolist())
    kind = _clean(found.iloc[0]["partnership_type"])
    cohorts = _cohorts(store, partnership)
    members = store.run("cohort_members", partnership=partnership, cohort=None)
    rows: list[dict[str, Any]] = [
        {"partnership": new, "partnership_type": kind, "cohort": c["cohort"],
         "focus": _clean(c["focus"]), "start_date": _date_value(c["start_date"])}
        for c in cohorts.to_dict("records")] or [{"partnership": new,
                                                   "partnership_type": kind}]
    rows += _membership_rows(members, new)
    removals = {"partnerships": pd.DataFrame([{"partnership": partnership}])}
    if not cohorts.empty:
        removals["cohorts"] = _keys(cohorts, ("partnership", "cohort"))
    if not members.empty:
        removals["memberships"] = _keys(members, ("urn", "partnership", "cohort"))
    projects = store.run("projects", partnership=None, urn=None)
    projects = projects[projects["partnership"] == partnership]
    follow = {}
    if not projects.empty:
        follow["improvement_projects"] = pd.DataFrame({
            "urn": projects["urn"].astype(int).to_numpy(),
            "project": projects["project"].astype(str).to_numpy(), "partnership": new})
    return _edit("schools", f"rename partnership {partnership}", rows,
                 f"Rename the partnership {partnership} to {new}: its {len(cohorts)} "
                 f"cohort{'s' if len(cohorts) != 1 else ''}, {len(members)} "
                 f"membership{'s' if len(members) != 1 else ''}, {len(projects)} improvement "
                 f"project{'s' if len(projects) != 1 else ''} and the governors linked to it "
                 "move to the new name, and the old name is taken away.",
                 removals=removals, follow=follow, renamed={"partnerships": (partnership, new)})


def set_contact(store: Store, urn: int, name: str | None, email: str | None) -> Edit:
    """Who to remind about a school's returns (empty values clear the stored ones)."""
    known = store.run("school_details", urn=int(urn))
    if known.empty:
        raise EditRefused(f"There is no school with URN {urn}.")
    return _edit("schools", f"contact {urn}", [{
        "urn": int(urn), "contact_name": _or_clear(_clean(name)),
        "contact_email": _or_clear(_clean(email))}],
        f"Set the returns contact of {known.iloc[0]['name']} ({urn}).")


# --- improvement projects -------------------------------------------------------------------

PROJECT_FIELDS = ("partnership", "area", "lead_name", "lead_urn", "start_date", "end_date",
                  "status", "measure", "findings", "action_plan", "presented_date")


def _measure_label(code: str | None) -> str | None:
    return m.measure(code).label if code and code in m.BY_CODE else code


def _project_exists(store: Store, urn: int, project: str) -> bool:
    found = store.run("projects", urn=int(urn), partnership=None)
    return _exists(found[found["urn"] == int(urn)], project=project)


def record_project(store: Store, urn: int, project: str, *, area: str | None,
                   start_date: dt.date | None, partnership: str | None = None,
                   lead_name: str | None = None, lead_urn: int | None = None,
                   end_date: dt.date | None = None, status: str | None = None,
                   measure: str | None = None, findings: str | None = None,
                   action_plan: str | None = None,
                   presented_date: dt.date | None = None) -> Edit:
    title = _named(project, "project")
    if _project_exists(store, urn, title):
        raise EditRefused(f"School {urn} already has a project called {title!r}: update it "
                          "below, or choose another title.")
    return _edit("projects", f"project {title}", [{
        "urn": int(urn), "project": title, "partnership": partnership, "area": area,
        "lead_name": _clean(lead_name), "lead_urn": lead_urn, "start_date": start_date,
        "end_date": end_date, "status": status, "measure": _measure_label(measure),
        "findings": _clean(findings), "action_plan": _clean(action_plan),
        "presented_date": presented_date}],
        f"Record the project {title!r} hosted by school {urn}.")


def update_project(store: Store, urn: int, project: str, **values: Any) -> Edit:
    """The project as the person left it: every field given; empty ones cleared (the area
    and start date cannot be, and the validator says so)."""
    if not _project_exists(store, urn, project):
        raise EditRefused(f"School {urn} has no project called {project!r}.")
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    row: dict[str, Any] = {"urn": int(urn), "project": project}
    for field_name, value in values.items():
        if field_name == "measure":
            value = _measure_label(value)
        if isinstance(value, str):
            value = _clean(value)
        row[field_name] = value if field_name in ("area", "start_date") else _or_clear(value)
    return _edit("projects", f"update project {project}", [row],
                 f"Update the project {project!r} hosted by school {urn}.")
