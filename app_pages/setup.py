"""Set up, for the trust's data manager: partnerships, cohorts, who joined when (and left),
school contacts for returns, and improvement projects, changed in the app.

Every change is made the way an upload is (`impact.importing.edits`): it becomes a small file
of the schools or projects template, is checked by the same validator, shown as a preview of
exactly what will change, saved in one transaction when confirmed, kept in the upload history
with its file, and can be undone. Only people who may change the partnership's structure see
the forms (`allowed(actor, SET_UP)`).

Renaming a partnership or a cohort, and removing a school entered in a cohort by mistake, take
rows away as well: the same preview lists what is removed, and undo puts it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from app_pages import _common as common
from impact.analysis.pairings import Pairings, suggest_pairings
from impact.auth import NotAllowed
from impact.auth.rights import SET_UP
from impact.domain import measures as m
from impact.domain import projects as project_words
from impact.importing import edits
from impact.importing.kinds.schools import DEFAULT_COHORT, PARTNERSHIP_TYPES
from impact.importing.pipeline import StalePlan, commit, original_file, plan_edit, undo_upload
from impact.importing.writing import UndoConflict
from impact.reports import projects as projects_report
from impact.reports import setup as report
from impact.reports import upload as upload_report
from impact.reports.text import markdown_text
from impact.store import StoreUnavailable

PENDING = "setup_pending"  # (Edit, ImportPlan): the change being checked
FLASH = "setup_flash"  # (kind, text, upload id or None): said once, after a change
ROUND = "setup_round"  # bumped after each save, so every form starts afresh
LAST = "setup_last"  # the last change saved here: offered for undoing until the next one
T = TypeVar("T")
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
DATE = {"format": "DD/MM/YYYY", "min_value": EARLIEST, "max_value": LATEST}


def _round() -> int:
    return int(st.session_state.get(ROUND, 0))


def _date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date() if not isinstance(value, dt.date) else value


def _text(value: Any) -> str:
    return report.text(value)


# --- a change, from form to store ----------------------------------------------------------

def _propose(make: Callable[[], edits.Edit]) -> None:
    """Turn the form into a change and check it like an upload; show it for confirming."""
    try:
        edit = make()
    except edits.EditRefused as error:
        st.session_state[FLASH] = ("error", str(error), None)
        st.rerun()
    plan = plan_edit(common.store(), edit, common.actor())
    st.session_state[PENDING] = (edit, plan)
    st.rerun()


def _confirm(edit: edits.Edit, plan: Any) -> None:
    try:
        result = commit(common.store(), plan, common.actor())
    except StalePlan:
        st.session_state.pop(PENDING, None)
        st.session_state[FLASH] = ("warning", "Someone changed the same rows while you were "
                                   "checking this change, so nothing was saved. Make the "
                                   "change again to see it against what is stored now.", None)
        st.rerun()
    except (StoreUnavailable, NotAllowed) as error:
        st.session_state[FLASH] = ("error", str(error), None)
        st.rerun()
    st.session_state.pop(PENDING, None)
    st.session_state[ROUND] = _round() + 1
    st.session_state[LAST] = result.upload_id
    st.session_state[FLASH] = ("success", f"Saved as change {result.upload_id}: {edit.what}",
                               result.upload_id)
    st.rerun()


def _undo(upload_id: int) -> None:
    try:
        affected = undo_upload(common.store(), upload_id, common.actor())
    except (UndoConflict, LookupError) as error:
        st.session_state[FLASH] = ("error", str(error).strip("'\""), None)
    except (StoreUnavailable, NotAllowed) as error:
        st.session_state[FLASH] = ("error", str(error), None)
    else:
        st.session_state[FLASH] = ("success", f"Change {upload_id} was undone: {affected} "
                                   "rows put back as they were.", None)
        if st.session_state.get(LAST) == upload_id:
            st.session_state.pop(LAST, None)
    st.rerun()


def _flash() -> None:
    said = st.session_state.pop(FLASH, None)
    last = st.session_state.get(LAST)
    if said:
        kind, text, _ = said
        if kind == "success":
            st.success(markdown_text(text), icon=":material/check_circle:")
        elif kind == "warning":
            st.warning(markdown_text(text), icon=":material/warning:")
        else:
            st.error(markdown_text(text), icon=":material/error:")
    # The change just saved can be taken back at once (until the next one is made).
    if last is not None and st.button(f"Undo change {last}", icon=":material/undo:",
                                      key=f"setup_undo_now_{last}"):
        _undo(last)


def _pending() -> bool:
    """The change being checked, with what it will do; True while there is one."""
    held = st.session_state.get(PENDING)
    if held is None:
        return False
    edit, plan = held
    st.subheader("Check this change", anchor=False)
    common.plain(edit.what)
    if not plan.ok:
        st.error("This change cannot be saved as it is. Nothing was saved.",
                 icon=":material/error:")
        st.dataframe(report.refusals_table(plan), hide_index=True, key="setup_refusals",
                     column_config={"Problem": st.column_config.TextColumn(width="large")})
        if st.button("Back to the change", icon=":material/arrow_back:", key="setup_back"):
            st.session_state.pop(PENDING, None)
            st.rerun()
        return True
    counts = upload_report.counts_table(plan.changes)
    counts = counts[counts.drop(columns="What").sum(axis=1) > 0]
    st.dataframe(counts, hide_index=True, key="setup_counts")
    changed = upload_report.changed_values_table(plan.changes)
    if not changed.empty:
        st.markdown("**What will change** (before → after)")
        st.dataframe(changed, hide_index=True, key="setup_changed")
    removed = upload_report.removed_rows_table(plan.changes)
    if not removed.empty:
        st.markdown("**What will be taken away** (undoing the change puts it back)")
        st.dataframe(removed, hide_index=True, key="setup_removed")
    if plan.rows_added + plan.rows_updated + plan.rows_removed == 0:
        st.info("This is already how things are stored, so there is nothing to save.",
                icon=":material/info:")
        if st.button("Back", icon=":material/arrow_back:", key="setup_back"):
            st.session_state.pop(PENDING, None)
            st.rerun()
        return True
    left, right = st.columns(2)
    if left.button("Confirm and save", type="primary", icon=":material/save:",
                   key="setup_confirm"):
        _confirm(edit, plan)
    if right.button("Cancel", icon=":material/close:", key="setup_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()
    return True


# --- the forms ---------------------------------------------------------------------------

def _once(part: str, make: Callable[[], T], *choices: Any) -> T:
    """A part of this page made once per store revision and `choices` (`common.made_once`):
    it is shared, never changed."""
    return common.made_once(("setup", part, *choices), make)


def _cohort_rows(cohorts: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return _once("cohort_rows", lambda: {_cohort_key(c): c for c in cohorts.to_dict("records")})


def _by_urn(schools: pd.DataFrame) -> dict[int, dict[str, Any]]:
    return {int(x["urn"]): x for x in schools.to_dict("records")}


def _member_labels(urns: list[int], names: list[Any]) -> dict[int, str]:
    return {u: f"{_text(n) or u} ({u})" for u, n in zip(urns, names, strict=True)}


def _outside(names: dict[int, str], inside: pd.DataFrame) -> list[int]:
    in_cohort = set(inside["urn"].astype(int))
    return [u for u in names if u not in in_cohort]


def _school_labels() -> dict[int, str]:
    """Each school as the lists show it, "Name (URN)", by URN."""
    return _once("school_labels", lambda: {u: f"{n} ({u})" for u, n in _school_names().items()})


def _school_names() -> dict[int, str]:
    """Every school's name by URN, for the schools and hosts lists: made once per store
    revision (22,000 schools at national scale)."""
    def make() -> dict[int, str]:
        schools = common.query("school_choices", partnership=None)
        return {int(u): str(n) for u, n in zip(schools["urn"].tolist(), schools["name"].tolist(),
                                               strict=True)}
    return _once("school_names", make)


def _pairings(partnership: str) -> Future[Pairings]:
    """The suggested pairings in `partnership` (`impact.analysis.pairings`, as
    `common.pairings` makes them: all pupils, today), made in the background."""
    store, today = common.store(), dt.date.today()
    return common.made_in_background(
        ("setup", "pairings", partnership, today),
        lambda: suggest_pairings(store, partnership, group="all", today=today))


def _cohort_key(row: dict[str, Any]) -> str:
    return f"{row['partnership']} / {row['cohort']}"


def partnerships_and_cohorts() -> None:
    partnerships = common.query("partnerships")
    cohorts = common.query("cohorts", partnership=None)
    if partnerships.empty:
        common.plain("No partnership is set up yet. Add the first one below.")
    else:
        st.dataframe(_once("partnerships_table", lambda: report.partnerships_table(partnerships)),
                     hide_index=True, key="setup_partnerships")
        st.dataframe(_once("cohorts_table", lambda: report.cohorts_table(cohorts)),
                     hide_index=True, key="setup_cohorts")
    r = _round()
    with st.form(f"setup_add_partnership_{r}"):
        st.markdown("**Add a partnership**")
        name = st.text_input("Name of the trust, cluster or programme",
                             key=f"setup_new_partnership_{r}")
        kind = st.selectbox("Type", PARTNERSHIP_TYPES, index=None, placeholder="Choose a type",
                            key=f"setup_new_partnership_type_{r}")
        first = st.text_input("Its first cohort", value=DEFAULT_COHORT,
                              key=f"setup_new_partnership_cohort_{r}",
                              help="A trust or cluster that works as one has one cohort, "
                                   f"{DEFAULT_COHORT!r}.")
        focus = st.text_input("What the cohort works on", key=f"setup_new_partnership_focus_{r}")
        start = st.date_input("When it started", value=None, key=f"setup_new_partnership_start_{r}",
                              **DATE)
        if st.form_submit_button("Check this new partnership", icon=":material/add:"):
            _propose(lambda: edits.add_partnership(common.store(), name, kind, first, focus,
                                                   start))
    if partnerships.empty:
        return
    names = partnerships["partnership"].tolist()
    with st.form(f"setup_add_cohort_{r}"):
        st.markdown("**Add a cohort**")
        partnership = st.selectbox("Partnership", names, key=f"setup_cohort_partnership_{r}")
        cohort = st.text_input("Name of the cohort", key=f"setup_cohort_name_{r}",
                               placeholder="Cohort 6")
        focus = st.text_input("What it works on", key=f"setup_cohort_focus_{r}")
        start = st.date_input("When it started", value=None, key=f"setup_cohort_start_{r}",
                              **DATE)
        if st.form_submit_button("Check this new cohort", icon=":material/add:"):
            _propose(lambda: edits.add_cohort(common.store(), partnership, cohort, focus, start))
    with st.form(f"setup_rename_partnership_{r}"):
        st.markdown("**Rename a partnership**")
        st.caption("Its cohorts, schools, improvement projects and the governors linked to it "
                   "move to the new name.")
        old = st.selectbox("Partnership", names, key=f"setup_rename_partnership_which_{r}")
        new = st.text_input("New name", key=f"setup_rename_partnership_name_{r}")
        if st.form_submit_button("Check this new name", icon=":material/edit:"):
            _propose(lambda: edits.rename_partnership(common.store(), old, new))
    if cohorts.empty:
        return
    st.markdown("**Change a cohort or its partnership**")
    rows = _cohort_rows(cohorts)
    which = st.selectbox("Which cohort", list(rows), key="setup_change_cohort_which")
    row = rows[which]
    current = partnerships.set_index("partnership")["partnership_type"].get(row["partnership"])
    slot = f"{r}_{list(rows).index(which)}"
    with st.form(f"setup_change_cohort_{slot}"):
        types = list(PARTNERSHIP_TYPES)
        kind = st.selectbox("Partnership type", types,
                            index=types.index(current) if current in types else None,
                            placeholder="Not given", key=f"setup_change_type_{slot}")
        focus = st.text_input("What the cohort works on", value=_text(row["focus"]),
                              key=f"setup_change_focus_{slot}")
        start = st.date_input("When it started (empty: not known)",
                              value=_date(row["start_date"]), key=f"setup_change_start_{slot}",
                              **DATE)
        if st.form_submit_button("Check these changes", icon=":material/edit:"):
            _propose(lambda: edits.change_cohort(common.store(), row["partnership"],
                                                 row["cohort"], focus, start,
                                                 partnership_type=kind))
    with st.form(f"setup_rename_cohort_{slot}"):
        st.caption(f"Renaming {markdown_text(str(row['cohort']))}: its schools, with the "
                   "dates they joined and left, move to the new name; charts and estimates "
                   "find it there.")
        new = st.text_input("New name of the cohort", key=f"setup_rename_cohort_name_{slot}")
        if st.form_submit_button("Check this new cohort name", icon=":material/edit:"):
            _propose(lambda: edits.rename_cohort(common.store(), row["partnership"],
                                                 row["cohort"], new))


def members() -> None:
    cohorts = common.query("cohorts", partnership=None)
    if cohorts.empty:
        common.plain("Set up a partnership and a cohort first (the first tab).")
        return
    rows = _cohort_rows(cohorts)
    which = st.selectbox("Which cohort", list(rows), key="setup_members_cohort")
    row = rows[which]
    partnership, cohort = row["partnership"], row["cohort"]
    inside = common.query("cohort_members", partnership=partnership, cohort=cohort)
    if inside.empty:
        common.plain("No school is in this cohort yet.")
    else:
        st.dataframe(_once("members_table", lambda: report.members_table(inside), which),
                     hide_index=True, key="setup_members")
    r = _round()
    slot = f"{r}_{list(rows).index(which)}"
    names, labels = _school_names(), _school_labels()
    outside = _once("outside", lambda: _outside(names, inside), which)
    with st.form(f"setup_add_members_{slot}"):
        st.markdown("**Add schools to this cohort**")
        st.caption("Their details (phase, type, local authority, pupils, capacity) stay as "
                   "they are. A school that is not listed must be set up first: upload it with "
                   "the schools template.")
        picked = st.multiselect("Schools", outside, format_func=labels.__getitem__,
                                key=f"setup_add_members_urns_{slot}",
                                placeholder="Choose schools")
        joined = st.date_input("They joined on", value=_date(row["start_date"]),
                               key=f"setup_add_members_joined_{slot}", **DATE)
        if st.form_submit_button("Check adding these schools", icon=":material/group_add:"):
            _propose(lambda: edits.add_members(common.store(), partnership, cohort, picked,
                                               joined))
    if inside.empty:
        return
    st.markdown("**Change when a school joined or left**")
    by_urn = _by_urn(inside)
    urn = st.selectbox("Which school", list(by_urn),
                       format_func=lambda u: f"{_text(by_urn[u]['name']) or u} ({u})",
                       key=f"setup_member_which_{list(rows).index(which)}")
    member = by_urn[urn]
    slot = f"{slot}_{urn}"
    with st.form(f"setup_change_member_{slot}"):
        joined = st.date_input("Joined on", value=_date(member["joined_date"]),
                               key=f"setup_member_joined_{slot}", **DATE)
        left = st.date_input("Left on (empty: still in the cohort)",
                             value=_date(member["left_date"]), key=f"setup_member_left_{slot}",
                             **DATE)
        if st.form_submit_button("Check these dates", icon=":material/event:"):
            _propose(lambda: edits.change_member(common.store(), urn, partnership, cohort,
                                                 joined, left))
    with st.form(f"setup_remove_member_{slot}"):
        st.markdown("**Remove this school, entered by mistake**")
        st.caption("For a school that was never in the cohort. A school that was in it and "
                   "has left keeps its place with a left date (above), so its results before "
                   "it left still count.")
        if st.form_submit_button("Check removing this school", icon=":material/person_remove:"):
            _propose(lambda: edits.remove_member(common.store(), urn, partnership, cohort))


def contacts() -> None:
    common.plain("Who to remind when a school's termly return is missing. The Returns page "
                 "writes the reminder; this is the address it goes to.")
    schools = common.query("member_schools", partnership=None, cohort=None)
    if schools.empty:
        common.plain("No school is in a partnership yet.")
        return
    st.dataframe(_once("contacts_table", lambda: report.contacts_table(schools)),
                 hide_index=True, key="setup_contacts")
    urns = _once("contacts_urns", lambda: [int(u) for u in schools["urn"].tolist()])
    labels = _once("contacts_labels", lambda: _member_labels(urns, schools["name"].tolist()))
    urn = st.selectbox("Which school", urns, format_func=labels.__getitem__,
                       key="setup_contact_which")
    school = schools.iloc[urns.index(urn)].to_dict()
    slot = f"{_round()}_{urn}"
    with st.form(f"setup_contact_{slot}"):
        name = st.text_input("Contact name", value=_text(school["contact_name"]),
                             key=f"setup_contact_name_{slot}")
        email = st.text_input("Contact email", value=_text(school["contact_email"]),
                              key=f"setup_contact_email_{slot}",
                              placeholder="office@school.example")
        if st.form_submit_button("Check this contact", icon=":material/contact_mail:"):
            _propose(lambda: edits.set_contact(common.store(), urn, name, email))


def _project_fields(prefix: str, slot: str, project: dict[str, Any], schools: dict[int, str],
                    partnerships: list[str], host: int | None) -> dict[str, Any]:
    """The inputs every project form shares, filled with `project`'s values."""
    areas = list(project_words.AREAS)
    statuses = list(project_words.STATUSES)
    measures = [x.code for x in m.MEASURES]
    leads = _once("leads", lambda: [u for u in schools if u != host], host)
    values: dict[str, Any] = {}
    values["area"] = st.selectbox("Area of need", areas,
                                  index=areas.index(project["area"])
                                  if project.get("area") in areas else None,
                                  placeholder="Choose the area", key=f"{prefix}_area_{slot}")
    values["lead_name"] = st.text_input("Lead colleague", value=_text(project.get("lead_name")),
                                        key=f"{prefix}_lead_{slot}")
    lead = project.get("lead_urn")
    lead = None if lead is None or pd.isna(lead) else int(lead)
    values["lead_urn"] = st.selectbox(
        "The lead colleague's school", leads, index=leads.index(lead) if lead in leads else None,
        format_func=_school_labels().__getitem__, placeholder="Not chosen",
        key=f"{prefix}_lead_school_{slot}")
    values["partnership"] = st.selectbox(
        "Partnership", partnerships,
        index=partnerships.index(project["partnership"])
        if project.get("partnership") in partnerships else None,
        placeholder="None", key=f"{prefix}_partnership_{slot}")
    values["start_date"] = st.date_input("Started on", value=_date(project.get("start_date")),
                                         key=f"{prefix}_start_{slot}", **DATE)
    values["end_date"] = st.date_input("Ended on (empty: not yet)",
                                       value=_date(project.get("end_date")),
                                       key=f"{prefix}_end_{slot}", **DATE)
    values["status"] = st.selectbox("Status", statuses,
                                    index=statuses.index(project["status"])
                                    if project.get("status") in statuses else 0,
                                    key=f"{prefix}_status_{slot}")
    values["measure"] = st.selectbox(
        "Measure to watch", measures,
        index=measures.index(project["measure"]) if project.get("measure") in measures
        else None, format_func=lambda c: m.measure(c).short, placeholder="None",
        key=f"{prefix}_measure_{slot}",
        help="The result the host hopes the project moves: its line on the Schools page is "
             "drawn against the project's start.")
    values["findings"] = st.text_area("Findings", value=_text(project.get("findings")),
                                      key=f"{prefix}_findings_{slot}")
    values["action_plan"] = st.text_area("Action plan", value=_text(project.get("action_plan")),
                                         key=f"{prefix}_action_{slot}")
    values["presented_date"] = st.date_input(
        "Findings presented to the host's senior team on",
        value=_date(project.get("presented_date")), key=f"{prefix}_presented_{slot}", **DATE)
    return values


def improvement_projects() -> None:
    common.plain("A school names an area of need; a colleague from another school takes it "
                 "on, collects data, and presents findings and an action plan to the host's "
                 "senior team. The Schools page lines the host's results up on the project's "
                 "start date.")
    projects = common.query("projects", partnership=None, urn=None)
    if projects.empty:
        common.plain("No improvement project is recorded yet.")
    else:
        st.dataframe(_once("projects_table", lambda: report.projects_table(projects)),
                     hide_index=True, key="setup_projects")
    names = _school_names()
    if not names:
        common.plain("Set up schools first: upload the schools template.")
        return
    set_up = common.query("partnerships")
    partnerships = set_up["partnership"].tolist()
    # only partnerships with schools have pairings (one just added or renamed may have none)
    with_schools = set_up.loc[set_up["schools"].fillna(0).astype(int) > 0,
                              "partnership"].tolist()
    if with_schools:
        st.markdown("**Suggested pairings: strengths matched to needs**")
        which = st.selectbox("In which partnership", with_schools,
                             key="setup_pairings_partnership")
        # Matching every school with its nearest similar schools takes seconds against every
        # school in England: made in the background, and filled in when ready.
        job = _pairings(which)
        if not job.done():
            common.fill_in_when_made([job], f"the suggested pairings in {which}")
        else:
            found = job.result()
            if found.pairings:
                common.show_table(projects_report.pairings_table(found.pairings),
                                  "setup_pairings", "suggested-pairings.csv")
            else:
                common.plain("No school there is clearly below both its partners and similar "
                             "schools on a measure with enough pupils to judge.")
            for line in found.notes:
                st.caption(line)
    r = _round()
    hosts = _once("hosts", lambda: sorted(names, key=lambda u: (names[u].casefold(), u)))
    st.markdown("**Record a project**")
    host = st.selectbox("Host school", hosts, format_func=_school_labels().__getitem__,
                        key="setup_project_host")
    slot = f"{r}_{host}"
    with st.form(f"setup_new_project_{slot}"):
        title = st.text_input("Project title", key=f"setup_project_title_{slot}",
                              placeholder="Feedback in Year 5 maths")
        values = _project_fields("setup_project", slot, {"status": project_words.UNDER_WAY},
                                 names, partnerships, host)
        if st.form_submit_button("Check this project", icon=":material/add_task:"):
            _propose(lambda: edits.record_project(common.store(), host, title, **values))
    if projects.empty:
        return
    st.markdown("**Update a project**")
    records = {f"{_text(p['host_name'])}: {p['project']}": p for p in projects.to_dict("records")}
    which = st.selectbox("Which project", list(records), key="setup_update_project_which")
    project = records[which]
    slot = f"{r}_{list(records).index(which)}"
    with st.form(f"setup_update_project_{slot}"):
        values = _project_fields("setup_update", slot, project, names, partnerships,
                                 int(project["urn"]))
        if st.form_submit_button("Check the project's changes", icon=":material/edit:"):
            _propose(lambda: edits.update_project(common.store(), int(project["urn"]),
                                                  project["project"], **values))


def changes_made_here() -> None:
    uploads = common.query("uploads")
    mine = report.changes_made_here(uploads)
    if mine.empty:
        common.plain("No change has been made on this page yet.")
        return
    common.plain("Each change made here is kept like an upload: its file can be downloaded "
                 "and it can be undone. (The Upload page lists them too.)")
    st.dataframe(report.changes_table(uploads), hide_index=True, key="setup_history")
    records = {int(x["upload_id"]): x for x in mine.to_dict("records")}
    chosen = st.selectbox("Choose a change to download or undo", list(records),
                          format_func=lambda i: upload_report.upload_label(records[i]),
                          key="setup_history_choice")
    left, right = st.columns(2)
    store, actor = common.store(), common.actor()
    left.download_button("Download the change as a file",
                         lambda: original_file(store, chosen, actor)[1],
                         file_name=str(records[chosen]["file_name"]), on_click="ignore",
                         icon=":material/download:", key="setup_history_download")
    with right:
        if records[chosen]["status"] != "accepted":
            st.markdown(f"Change {chosen} has already been undone.")
            return
        sure = st.checkbox(f"Yes, take back change {chosen}", key=f"setup_undo_sure_{chosen}")
        if st.button("Undo this change", disabled=not sure, icon=":material/undo:",
                     key="setup_undo"):
            _undo(chosen)


# --- the page ------------------------------------------------------------------------------

st.title("Set up", anchor=False)
decision = common.may(SET_UP)
if not decision:  # app.py lists this page for admins only; a check here too, in one call
    st.info(f"{markdown_text(decision.reason)} Partnerships, cohorts and projects are changed "
            "here by the trust's data manager.", icon=":material/lock:")
    st.stop()
_flash()
if _pending():
    st.stop()
tabs = st.tabs(["Partnerships and cohorts", "Schools in cohorts", "School contacts",
                "Improvement projects", "Changes made here"])
with tabs[0]:
    partnerships_and_cohorts()
with tabs[1]:
    members()
with tabs[2]:
    contacts()
with tabs[3]:
    improvement_projects()
with tabs[4]:
    changes_made_here()
