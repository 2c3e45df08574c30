"""Get Information About Schools (GIAS) downloads: establishments, group links and groups.

Three files, three formats, each taken as GIAS publishes it:

- `gias_links`, the **group links** (`URN`, `Group UID`, `Group Name`, `Group Type`,
  `Joined date` yyyy-mm-dd, …): a chosen trust or federation becomes a partnership
  (`Multi-academy trust`, `Federation`, else `Other`), with one cohort named
  **"All schools"** (the same default cohort the schools template uses), its start date the
  group's open or incorporation date, and each member school a membership from its joined
  date. Links for all of England (20,000 of them) must not flood one trust's dashboard, so the
  user chooses groups by name, type or local authority; when nothing is chosen the default is
  **the trusts and federations that contain at least one school already in the store**, and a
  file with none is refused with a sentence saying how to choose (`--option groups="Name"`).
  Member schools not in the store are added (URN, name, phase, type, local authority) so no
  membership is left without its school. GIAS writes `1900-01-01` when it does not know when a
  school joined; such links are skipped (a membership needs a real date) and counted.
- `gias_establishments`, the **establishment extract** (`URN`, `EstablishmentName`,
  `TypeOfEstablishment (name)`, `PhaseOfEducation (name)`, `LA (name)`, `NumberOfPupils`,
  `SchoolCapacity`, `Trusts (name)`, dates dd-mm-yyyy): the register of schools, so it updates
  the phase, type, local authority, pupils and capacity of the schools it covers (the preview
  shows each change; the upload can be undone). A school's name stays as the trust set it up
  (GIAS often uses the formal name), and a blank GIAS cell never clears a detail the store
  already holds. By default it covers the schools already in the store; the user can add
  whole local authorities or trusts (open schools only, unless closed ones are asked for).
- `gias_groups`, the **groups** list (`Group UID`, `Group Name`, `Group Type`, `Open date`,
  `Group Status`): sets up chosen groups as partnerships with their "All schools" cohort and
  start date, before or without their links. Nothing is chosen by default.

Verified against the real files in `shared/realdata` (links for all of England re-saved with a
leading index column, the Surrey and Hampshire establishment extract of 20 April 2022, the
groups list).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from impact.importing import cells
from impact.importing.kinds.base import Context, Option, Validated
from impact.importing.kinds.schools import DEFAULT_COHORT
from impact.importing.layout import ROW
from impact.importing.problems import Problem, UnusableFile
from impact.importing.public import school_rows
from impact.importing.public.choices import chosen, match, yes
from impact.importing.public.published import (
    Published,
    as_text,
    find_header,
    first_header_rows,
    read_dates,
)
from impact.importing.public.summary import Skips, plural
from impact.importing.reading import Sheet

SOURCE = "GIAS"
UNKNOWN_DATE = dt.date(1900, 1, 1)
DEFAULT_GROUP_TYPES = ("Multi-academy trust", "Federation")
PARTNERSHIP_TYPES = {"multi-academy trust": "Multi-academy trust", "federation": "Federation"}
PROBLEM_LIMIT = 200

GROUPS_OPTION = Option(
    "groups", "Trusts and groups to bring in",
    help="Choose trusts or federations by name. If you choose none, the trusts and federations "
         "that contain a school already set up here are brought in. On the command line: "
         "--option groups=\"Example Trust\" (separate several names with ;).",
    kind="multichoice")
GROUP_TYPES_OPTION = Option(
    "group_types", "Group types",
    help="Bring in every group of these types (with the local authorities below, only groups "
         "with a school there). Without a choice: multi-academy trusts and federations.",
    kind="multichoice")
LOCAL_AUTHORITIES_OPTION = Option(
    "local_authorities", "Local authorities",
    help="Bring in the groups that have at least one school in these local authorities "
         "(all of each group's schools come in, wherever they are).",
    kind="multichoice")


def _none_if_blank(values: np.ndarray) -> np.ndarray:
    return np.where(values == "", None, values).astype(object)


def _distinct(values: np.ndarray) -> list[str]:
    return sorted({v for v in values.tolist() if v}, key=lambda v: (v.casefold(), v))


def _table(sheets: list[Sheet], required: tuple[str, ...], what: str) -> Published:
    found = find_header(sheets, required)
    if found is None:
        raise UnusableFile(
            f"This is not a GIAS {what} file: its header row needs the columns "
            f"{', '.join(required)}. Upload the CSV file as downloaded from Get Information "
            "About Schools.")
    return Published.from_sheet(*found)


def _detect(sheets: list[Sheet], required: set[str], absent: set[str] = frozenset(),
            score: float = 0.98) -> float:
    for keys in first_header_rows(sheets):
        if required <= keys and not keys & absent:
            return score
    return 0.0


def _partnership_type(group_type: str) -> str:
    return PARTNERSHIP_TYPES.get(group_type.casefold(), "Other")


class GroupLinks:
    """GIAS group links: trusts and federations, and which schools joined them when."""

    code = "gias_links"
    label = "GIAS group links (trust and federation membership)"
    options = (GROUPS_OPTION, GROUP_TYPES_OPTION, LOCAL_AUTHORITIES_OPTION)
    required = ("URN", "Group UID", "Group Name", "Group Type", "Joined date")

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        try:
            table = _table(sheets, self.required, "group links")
        except UnusableFile:
            return []
        column = {"groups": "Group Name", "group_types": "Group Type",
                  "local_authorities": "LA (name)"}.get(option)
        return _distinct(table.text(column)) if column else []

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        return _detect(sheets, {k.casefold() for k in self.required}, score=0.99)

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table = _table(sheets, self.required, "group links")
        problems: list[Problem] = []
        warnings: list[str] = []
        skips = Skips()
        urns, urn_blank, urn_bad = school_rows.read_urns(table.column("URN"))
        uid = table.text("Group UID")
        name = table.text("Group Name")
        kind = table.text("Group Type")
        la = table.text(table.first("LA (name)") or "LA (name)")
        # Children's centres have 5-digit URNs: they are linked to groups but are not schools.
        numeric = pd.to_numeric(pd.Series(as_text(table.column("URN"))), errors="coerce")
        not_school = urn_bad & numeric.between(1, 99999).to_numpy()
        skips.add("links for establishments without a 6-digit school URN (children's "
                  "centres)", int(not_school.sum()))
        for i in np.flatnonzero((urn_bad & ~not_school) | (urn_blank & (uid != "")))[
                :PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("URN"),
                                    cells.text(table.column("URN")[i]),
                                    "expected the school's 6-digit URN", table.sheet))
        usable = ~urn_blank & ~urn_bad & (uid != "") & (name != "")

        selected, how, choice_problems = self._choose(context, usable, urns, uid, name, kind,
                                                      la)
        problems += choice_problems
        if choice_problems and not selected.any():
            return Validated(self.code, {}, problems, warnings, {})
        skips.add("links to groups not chosen", int((usable & ~selected).sum()))

        joined, joined_bad = read_dates(table.column("Joined date"))
        for i in np.flatnonzero(selected & joined_bad)[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("Joined date"),
                                    cells.text(table.column("Joined date")[i]),
                                    "expected the date the school joined, such as 2018-09-01",
                                    table.sheet))
        unknown = selected & np.array([d is None or d == UNKNOWN_DATE for d in joined],
                                      dtype=bool) & ~joined_bad
        skips.add("links with no joined date in GIAS (blank or 1900-01-01): a membership "
                  "needs the date the school joined; add it with the schools template",
                  int(unknown.sum()))
        member = selected & ~unknown & ~joined_bad

        names = _partnership_names(np.flatnonzero(selected), uid, name, kind)
        closed, _ = read_dates(table.column(table.first("Closed Date") or "Closed Date"))
        opened = _group_start(table)
        rows = np.flatnonzero(member)
        memberships = pd.DataFrame({
            "urn": urns[rows].astype("int64"),
            "partnership": [names[u] for u in uid[rows].tolist()],
            "cohort": DEFAULT_COHORT,
            "joined_date": joined[rows],
            "left_date": closed[rows],
            ROW: table.rows[rows],
        })
        repeated = memberships.duplicated(["urn", "partnership", "cohort"])
        skips.add("links repeated in the file (used once)", int(repeated.sum()))
        memberships = memberships[~repeated].reset_index(drop=True)

        group_rows = pd.DataFrame({"uid": uid[selected], ROW: table.rows[selected],
                                   "type": kind[selected], "start": opened[selected],
                                   "joined": joined[selected]})
        first = group_rows.drop_duplicates("uid")
        earliest = (group_rows.dropna(subset=["joined"])
                    .loc[lambda f: f["joined"] != UNKNOWN_DATE]
                    .groupby("uid")["joined"].min())
        partnerships = pd.DataFrame({
            "partnership": [names[u] for u in first["uid"]],
            "partnership_type": [_partnership_type(t) for t in first["type"]],
            ROW: first[ROW].to_numpy(),
        })
        starts = [s if s is not None else earliest.get(u)
                  for u, s in zip(first["uid"], first["start"], strict=True)]
        cohorts = pd.DataFrame({"partnership": partnerships["partnership"],
                                "cohort": DEFAULT_COHORT, "start_date": starts,
                                ROW: partnerships[ROW]})

        school_frame = pd.DataFrame({
            "urn": urns[rows],
            "name": table.text(table.first("EstablishmentName") or "EstablishmentName")[rows],
            "phase": school_rows.phases(
                table.text("PhaseOfEducation (name)")[rows],
                table.text("TypeOfEstablishment (name)")[rows]),
            "school_type": _none_if_blank(table.text("TypeOfEstablishment (name)")[rows]),
            "local_authority": _none_if_blank(la[rows]),
            ROW: table.rows[rows],
        })
        schools = school_rows.new_schools(school_frame, context)
        if not len(memberships) and not problems:
            problems.append(Problem(None, None, None,
                                    "none of the chosen groups' links has a joined date, so "
                                    "there is no membership to bring in"))
        summary = {
            "groups": len(partnerships),
            "partnerships": sorted(partnerships["partnership"].tolist(), key=str.casefold),
            "memberships": len(memberships),
            "schools": int(memberships["urn"].nunique()),
            "new_schools": len(schools),
            "chosen_by": how,
            "skipped": skips.as_list(),
        }
        if how == "default":
            warnings.append(
                f"No groups were chosen, so the {plural(len(partnerships), 'trust or federation', 'trusts and federations')} "
                "with a school already set up here were brought in. Choose groups by name, "
                "type or local authority to bring in others.")
        frames = {"schools": schools, "partnerships": partnerships, "cohorts": cohorts,
                  "memberships": memberships}
        return Validated(self.code, frames, problems, warnings, summary,
                         headers={"urn": table.header("URN")})

    def _choose(self, context: Context, usable: np.ndarray, urns: pd.arrays.IntegerArray,
                uid: np.ndarray, name: np.ndarray, kind: np.ndarray, la: np.ndarray
                ) -> tuple[np.ndarray, str, list[Problem]]:
        """Which links belong to chosen groups; how they were chosen; problems with choices."""
        options: dict[str, Any] = context.options
        problems: list[Problem] = []
        names = chosen(options.get("groups"), _distinct(name))
        types = chosen(options.get("group_types"), _distinct(kind))
        las = chosen(options.get("local_authorities"), _distinct(la))
        for wanted, available, what in ((names, name, "group"), (types, kind, "group type"),
                                        (las, la, "local authority")):
            _, unknown = match(wanted, _distinct(available[usable]), what)
            problems += [Problem(None, None, None, sentence) for sentence in unknown]
        if names:
            found, _ = match(names, _distinct(name[usable]), "group")
            groups = set(uid[usable & np.isin(name, list(found))].tolist())
            how = "your choice of groups"
        elif types or las:
            found_types, _ = match(types or list(DEFAULT_GROUP_TYPES), _distinct(kind),
                                   "group type")
            of_type = usable & np.isin(kind, list(found_types))
            if las:
                found_las, _ = match(las, _distinct(la), "local authority")
                of_type &= np.isin(la, list(found_las))
            groups = set(uid[of_type].tolist())
            how = "your choice of types and local authorities"
        else:
            known = np.isin(urns.to_numpy(dtype=np.int64, na_value=0),
                            list(school_rows.known_urns(context)))
            default_type = np.isin(np.char.lower(kind.astype(str)),
                                   [t.lower() for t in DEFAULT_GROUP_TYPES])
            groups = set(uid[usable & known & default_type].tolist())
            how = "default"
            if not groups:
                problems.append(Problem(None, None, None, (
                    "No groups were chosen, and none of the trusts or federations in this file "
                    "has a school already set up here, so there is nothing to bring in by "
                    "default. Choose the groups to bring in by name (the 'Trusts and groups to "
                    "bring in' option; on the command line --option groups=\"Example Trust\"), "
                    "or by group type and local authority (--option local_authorities=Surrey).")))
        selected = usable & np.isin(uid, list(groups))
        if (names or types or las) and not selected.any() and not problems:
            problems.append(Problem(None, None, None,
                                    "no group in this file matches your choice: choose again"))
        return selected, how, problems

def _partnership_names(rows: np.ndarray, uid: np.ndarray, name: np.ndarray,
                       kind: np.ndarray) -> dict[str, str]:
    """Group UID -> partnership name; the name as GIAS writes it, made unique if two
    chosen groups share it."""
    groups = pd.DataFrame({"uid": uid[rows], "name": name[rows], "kind": kind[rows]}
                          ).drop_duplicates("uid")
    out: dict[str, str] = {}
    for _, same in groups.groupby("name", sort=False):
        for row in same.itertuples():
            label = row.name if len(same) == 1 else f"{row.name} ({row.kind})"
            if len(same) > 1 and (same["kind"] == row.kind).sum() > 1:
                label = f"{row.name} (GIAS group {row.uid})"
            out[row.uid] = label
    return out


def _group_start(table: Published) -> np.ndarray:
    """Each link's group open date, else its incorporation date; None when unknown."""
    opened, _ = read_dates(table.column(table.first("Open date") or "Open date"))
    incorporated, _ = read_dates(table.column(
        table.first("Incorporated on (open date)") or "Incorporated on (open date)"))
    opened = np.array([d if d not in (None, UNKNOWN_DATE) else None for d in opened],
                      dtype=object)
    incorporated = np.array([d if d not in (None, UNKNOWN_DATE) else None
                             for d in incorporated], dtype=object)
    return np.where(pd.isna(opened), incorporated, opened)


class Establishments:
    """The GIAS establishment extract: the register of schools and their details."""

    code = "gias_establishments"
    label = "GIAS establishments (school details)"
    options = (
        Option("local_authorities", "Local authorities",
               help="Also bring in the open schools of these local authorities. Without a "
                    "choice, only the schools already set up here are updated.",
               kind="multichoice"),
        Option("trusts", "Trusts",
               help="Also bring in the open schools of these trusts (GIAS's 'Trusts (name)').",
               kind="multichoice"),
        Option("include_closed", "Include closed schools",
               help="Bring in closed schools of the chosen local authorities and trusts too.",
               kind="choice", choices=("No", "Yes")),
    )
    required = ("URN", "EstablishmentName", "TypeOfEstablishment (name)")

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        try:
            table = _table(sheets, self.required, "establishments")
        except UnusableFile:
            return []
        column = {"local_authorities": "LA (name)", "trusts": "Trusts (name)"}.get(option)
        return _distinct(table.text(column)) if column else []

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        # The links file names each school's establishment too; it is not this extract.
        return _detect(sheets, {k.casefold() for k in self.required}, absent={"group uid"})

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table = _table(sheets, self.required, "establishments")
        problems: list[Problem] = []
        skips = Skips()
        urns, urn_blank, urn_bad = school_rows.read_urns(table.column("URN"))
        for i in np.flatnonzero(urn_bad)[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("URN"),
                                    cells.text(table.column("URN")[i]),
                                    "expected the school's 6-digit URN", table.sheet))
        usable = ~urn_blank & ~urn_bad
        la = table.text("LA (name)")
        trust = table.text("Trusts (name)")
        status = np.char.lower(table.text("EstablishmentStatus (name)").astype(str))
        is_closed = status == "closed"

        options = context.options
        las = chosen(options.get("local_authorities"), _distinct(la))
        trusts = chosen(options.get("trusts"), _distinct(trust))
        found_las, unknown = match(las, _distinct(la), "local authority")
        problems += [Problem(None, None, None, s) for s in unknown]
        found_trusts, unknown = match(trusts, _distinct(trust), "trust")
        problems += [Problem(None, None, None, s) for s in unknown]
        in_store = usable & np.isin(urns.to_numpy(dtype=np.int64, na_value=0),
                                    list(school_rows.known_urns(context)))
        asked = usable & (np.isin(la, list(found_las)) | np.isin(trust, list(found_trusts)))
        if not yes(options.get("include_closed")):
            skips.add("closed schools in the chosen local authorities or trusts (choose "
                      "'Include closed schools' to bring them in)",
                      int((asked & is_closed & ~in_store).sum()))
            asked &= ~is_closed
        selected = in_store | asked
        if not selected.any() and not problems:
            problems.append(Problem(None, None, None, (
                "None of the schools in this file is set up here yet, and no local authority "
                "or trust was chosen, so there is nothing to bring in. Choose local "
                "authorities or trusts (on the command line --option "
                "local_authorities=\"Surrey\" or --option trusts=\"Example Trust\").")))
            return Validated(self.code, {}, problems, [], {})
        skips.add("schools in the file not chosen (not set up here, and not in a chosen "
                  "local authority or trust)", int((usable & ~selected).sum()))
        repeated = pd.Series(urns).duplicated().to_numpy() & selected
        for i in np.flatnonzero(repeated)[:PROBLEM_LIMIT]:
            problems.append(Problem(int(table.rows[i]), table.header("URN"),
                                    str(int(urns[i])), "this URN appears on an earlier row too",
                                    table.sheet))

        rows = np.flatnonzero(selected)
        kinds = table.text("TypeOfEstablishment (name)")[rows]
        frame = pd.DataFrame({
            "urn": urns[rows].astype("int64"),
            "name": _none_if_blank(table.text("EstablishmentName")[rows]),
            "phase": school_rows.phases(table.text("PhaseOfEducation (name)")[rows], kinds),
            "school_type": _none_if_blank(kinds),
            "local_authority": _none_if_blank(la[rows]),
            "pupils": school_rows.read_counts(table.column("NumberOfPupils")[rows]),
            "capacity": school_rows.read_counts(table.column("SchoolCapacity")[rows]),
            ROW: table.rows[rows],
        })
        frame = _keep_stored_details(frame, context)
        known = school_rows.known_urns(context)
        new = int((~frame["urn"].isin(known)).sum())
        summary = {
            "schools": len(frame),
            "new_schools": new,
            "updated_schools_checked": len(frame) - new,
            "local_authorities": sorted(set(frame["local_authority"].dropna()), key=str.casefold),
            "skipped": skips.as_list(),
        }
        return Validated(self.code, {"schools": frame.reset_index(drop=True)}, problems, [],
                         summary, headers={"urn": table.header("URN")})


def _keep_stored_details(frame: pd.DataFrame, context: Context) -> pd.DataFrame:
    """Keep the name the trust gave a school, and what the store holds wherever GIAS leaves a
    detail blank (a blank never clears a stored detail)."""
    stored = context.schools
    if stored is None or stored.empty:
        return frame
    stored = stored.drop_duplicates("urn")
    stored = stored.set_index(stored["urn"].astype("int64"))
    for column in ("name", "phase", "school_type", "local_authority", "pupils", "capacity"):
        if column not in stored:
            continue
        fallback = frame["urn"].map(stored[column])
        blank = frame[column].isna() | (fallback.notna() if column == "name" else False)
        if blank.any():
            frame[column] = frame[column].astype(object).where(~blank, fallback)
            if column in ("pupils", "capacity"):
                frame[column] = pd.array([None if pd.isna(v) else int(v)
                                          for v in frame[column]], dtype="Int64")
    return frame


class Groups:
    """The GIAS groups list: trusts and federations with their open dates and status."""

    code = "gias_groups"
    label = "GIAS groups (trusts and federations)"
    options = (
        Option("groups", "Groups to set up",
               help="Choose trusts or federations by name (on the command line --option "
                    "groups=\"Example Trust\"; separate several with ;).",
               kind="multichoice"),
        Option("group_types", "Group types",
               help="Set up every open group of these types (there may be thousands).",
               kind="multichoice"),
    )
    required = ("Group UID", "Group Name", "Group Type", "Group Status")

    def option_choices(self, option: str, sheets: list[Sheet]) -> list[str]:
        try:
            table = _table(sheets, self.required, "groups")
        except UnusableFile:
            return []
        column = {"groups": "Group Name", "group_types": "Group Type"}.get(option)
        return _distinct(table.text(column)) if column else []

    def detect(self, sheets: list[Sheet], file_name: str) -> float:
        return _detect(sheets, {k.casefold() for k in self.required}, absent={"urn"},
                       score=0.97)

    def validate(self, sheets: list[Sheet], context: Context) -> Validated:
        table = _table(sheets, self.required, "groups")
        problems: list[Problem] = []
        skips = Skips()
        uid, name, kind = (table.text("Group UID"), table.text("Group Name"),
                           table.text("Group Type"))
        status = np.char.lower(table.text("Group Status").astype(str))
        usable = (uid != "") & (name != "")
        names = chosen(context.options.get("groups"), _distinct(name))
        types = chosen(context.options.get("group_types"), _distinct(kind))
        found_names, unknown = match(names, _distinct(name[usable]), "group")
        problems += [Problem(None, None, None, s) for s in unknown]
        found_types, unknown = match(types, _distinct(kind[usable]), "group type")
        problems += [Problem(None, None, None, s) for s in unknown]
        if not names and not types:
            problems.append(Problem(None, None, None, (
                "Choose which groups to set up: by name (the 'Groups to set up' option; on the "
                "command line --option groups=\"Example Trust\") or by type. The list has "
                f"{plural(int(usable.sum()), 'group')}; setting them all up would flood the "
                "dashboards.")))
        selected = usable & (np.isin(name, list(found_names))
                             | (np.isin(kind, list(found_types)) & (status != "closed")))
        skips.add("groups in the file not chosen", int((usable & ~selected).sum()))
        if problems:
            return Validated(self.code, {}, problems, [], {"skipped": skips.as_list()})
        rows = np.flatnonzero(selected)
        names_by_uid = _partnership_names(rows, uid, name, kind)
        starts = _group_start(table)[rows]
        partnerships = pd.DataFrame({
            "partnership": [names_by_uid[u] for u in uid[rows].tolist()],
            "partnership_type": [_partnership_type(t) for t in kind[rows].tolist()],
            ROW: table.rows[rows],
        })
        cohorts = pd.DataFrame({"partnership": partnerships["partnership"],
                                "cohort": DEFAULT_COHORT, "start_date": starts,
                                ROW: table.rows[rows]})
        summary = {"groups": len(partnerships),
                   "partnerships": sorted(partnerships["partnership"], key=str.casefold),
                   "skipped": skips.as_list()}
        warnings = []
        if any(s is None for s in starts):
            warnings.append("Some groups have no open date in GIAS; their 'All schools' cohort "
                            "has no start date.")
        return Validated(self.code, {"partnerships": partnerships, "cohorts": cohorts},
                         problems, warnings, summary)


LINKS = GroupLinks()
ESTABLISHMENTS = Establishments()
GROUPS = Groups()
