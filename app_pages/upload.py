"""Upload: get a template, upload a file, see every problem or exactly what will change,
confirm, and look back over (or undo) earlier uploads.

The file chooser takes any file: the importer's own sentences ("this is an old .xls: save it
as .xlsx") help more than Streamlit's generic "file type not allowed". Its size limit is the
importer's (`impact.importing.limits`), set here as Streamlit's `server.maxUploadSize` too, so
the two never disagree.

Memory: a checked file's plan is kept in the session only while it waits for "Confirm and
save", and without a second copy of the file's bytes (the chooser holds them). Once it is
saved, or found to hold nothing new, the plan is dropped and the file is taken out of
Streamlit's store of uploads, so a large file is not held for the rest of the session.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_pages import _common as common
from impact.auth import NotAllowed
from impact.auth.rights import SEE_UPLOAD, UNDO, UPLOAD, VIEW_ALL
from impact.importing import formats as importing_formats
from impact.importing import worker
from impact.importing.limits import limits as upload_limits
from impact.importing.pipeline import (
    ImportPlan,
    StalePlan,
    commit,
    original_file,
    plan_import,
    remembered_options,
    undo_upload,
    upload_resource,
    visible_uploads,
)
from impact.importing.public import scope
from impact.importing.templates import template_bytes, template_kinds
from impact.importing.writing import UndoConflict
from impact.reports import upload as report
from impact.reports.text import markdown_text
from impact.store import StoreUnavailable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROUND = "upload_round"  # bumped after a save, so the file chooser starts empty again
PLAN = "upload_plan"  # (key, plan): the checked file, so reruns do not check it again
OPTIONS = "upload_options"  # (sha256, kind) -> format code and its options' choices
HASHES = "upload_hashes"  # the chooser's file id -> sha256, so a rerun does not hash again
FLASH = "upload_flash"
HISTORY_FLASH = "history_flash"


@functools.cache
def _template(code: str) -> bytes:
    # A template depends on nothing stored: made when first asked for, kept for the server's
    # life (the buttons ask only when pressed).
    return template_bytes(template_kinds()[code])


def _flash(key: str) -> None:
    message = st.session_state.pop(key, None)
    if not message:
        return
    kind, text = message
    text = markdown_text(text)  # sentences quote file names and cell values
    if kind == "success":
        st.success(text, icon=":material/check_circle:")
        st.page_link(common.OVERVIEW_PAGE, label="See the Overview",
                     icon=":material/show_chart:")
    elif kind == "warning":
        st.warning(text, icon=":material/warning:")
    elif kind == "info":
        st.info(text, icon=":material/info:")
    else:
        st.error(text, icon=":material/error:")


# --- 1. templates --------------------------------------------------------------------------

def templates() -> None:
    st.subheader("1. Get a template", anchor=False)
    st.markdown("Each template has an instructions sheet and drop-down lists. Fill in the "
                "Data sheet, one row for each record.")
    kinds = list(template_kinds().items())
    for start in range(0, len(kinds), 3):
        for column, (code, kind) in zip(st.columns(3), kinds[start:start + 3], strict=False):
            # the workbook is written when the button is pressed, not on every page run
            column.download_button(kind.label, functools.partial(_template, code),
                                   file_name=f"{code}-template.xlsx", mime=XLSX,
                                   on_click="ignore", icon=":material/download:",
                                   key=f"template_{code}", width="stretch", wrap=True,
                                   help=kind.purpose)


# --- 2. upload -----------------------------------------------------------------------------

def _upload_limit_mb() -> int:
    """The importer's upload limit, made Streamlit's too: the chooser refuses a larger file
    before sending it, and the server refuses to receive one (it reads the option on every
    upload), whether the app was started by `make run` or `streamlit run app.py`."""
    largest = upload_limits().upload_mb
    if st.get_option("server.maxUploadSize") != largest:
        streamlit_config.set_option("server.maxUploadSize", largest)
    return largest


def _format_choices(sha: str, name: str, data: bytes, kind: str | None
                    ) -> tuple[str, dict[str, list[str]]] | str:
    """The format the file is and the choices for its options, or the reason it is unusable.

    Found by checking the file once with no choices made (that check is kept as the plan the
    page shows until choices are made); remembered per file.
    """
    remembered = st.session_state.setdefault(OPTIONS, {})
    if (sha, kind) not in remembered:
        plan = _plan(name, data, sha, kind, {})
        if not plan.kind_label:  # refused before its format was known
            remembered[(sha, kind)] = plan.unusable or ""
        else:
            remembered[(sha, kind)] = (plan.kind, plan.option_choices)
    return remembered[(sha, kind)]


def _ask_options(code: str, choices: dict[str, list[str]]) -> dict[str, Any]:
    """The format's options as plain questions, all optional (each format says what it does
    without an answer). In a form, so a long list of trusts is not re-checked on every click."""
    fmt = importing_formats.get(code)
    values: dict[str, Any] = {}
    # The last choice of which schools to keep is suggested again (it is shown, and can be
    # changed, before anything is written).
    before = remembered_options(common.store())
    for option in fmt.options:
        key = f"upload_option_{code}_{option.name}"
        if option.name not in before or key in st.session_state:
            continue
        wanted = before[option.name]
        if option.kind == "multichoice":
            st.session_state[key] = [w for w in wanted if w in choices[option.name]]
        elif option.kind == "choice" and wanted in choices[option.name]:
            st.session_state[key] = wanted
    with st.form(f"upload_options_{code}"):
        st.markdown(f"**Choices for this {fmt.label} file.** You can leave them empty: the help "
                    "beside each says what happens then.")
        for option in fmt.options:
            key = f"upload_option_{code}_{option.name}"
            helped = option.help or None
            if option.kind == "multichoice":
                picked = st.multiselect(option.label, choices[option.name], help=helped,
                                        key=key, placeholder="None chosen")
                if picked:
                    values[option.name] = list(picked)
            elif option.kind == "choice":
                picked = st.selectbox(option.label, choices[option.name], index=None,
                                      placeholder="Not chosen", help=helped, key=key)
                if picked is not None:
                    values[option.name] = picked
            else:
                typed = st.text_input(option.label, help=helped, key=key).strip()
                if typed:
                    values[option.name] = typed
        st.form_submit_button("Check the file with these choices", icon=":material/refresh:")
    return values


def _plan(name: str, data: bytes, sha: str, kind: str | None, options: dict[str, Any]
          ) -> ImportPlan:
    key = (sha, kind, tuple(sorted((k, str(v)) for k, v in options.items())))
    held = st.session_state.get(PLAN)
    if held is not None and held[0] == key:
        return held[1]
    with st.spinner("Checking your file…"):
        plan = plan_import(common.store(), name, data, common.actor(), kind=kind,
                           options=options)
    # The chooser holds the file's bytes; the plan need not hold a second copy (they are put
    # back when it is saved), and a refused plan needs neither its bytes nor its rows.
    plan.content = b""
    if not plan.ok:
        plan.frames = {}
    st.session_state[PLAN] = (key, plan)
    return plan


def _show_problems(plan: ImportPlan) -> None:
    if plan.unusable:
        st.error(markdown_text(plan.unusable), icon=":material/error:")
        st.markdown("Nothing was saved.")
        return
    st.error(markdown_text(report.problems_headline(plan)), icon=":material/error:")
    common.show_table(report.problems_table(plan), "upload_problems", "problems.csv",
                      column_config={"Problem": st.column_config.TextColumn(width="large")})


def _show_preview(plan: ImportPlan, uploaded: UploadedFile, asked: bool = False) -> None:
    st.markdown(f"**{markdown_text(plan.file_name)}** has no problems (read as: "
                f"{markdown_text(plan.kind_label)}). "
                "Nothing is saved yet: check what will change, then confirm.")
    kept = scope.sentence(plan.summary)
    if kept:
        st.info(kept, icon=":material/filter_alt:")
    st.dataframe(report.counts_table(plan.changes), hide_index=True, key="upload_counts")
    changed = report.changed_values_table(plan.changes)
    if not changed.empty:
        st.markdown("**Figures that will change** (before → after)")
        if report.preview_cut_off(plan.changes):
            st.caption("Only the first changes are listed; all of them will be saved.")
        st.dataframe(changed, hide_index=True, key="upload_changed")
    if plan.rows_added + plan.rows_updated == 0 and asked:
        # Other choices could keep more of the file: keep it, and say so.
        st.info(f"With these choices, everything in {markdown_text(plan.file_name)} "
                f"({plan.rows_unchanged:,} rows) is already stored, so there is nothing to "
                "save. Change the choices above to keep other schools.", icon=":material/info:")
        return
    if plan.rows_added + plan.rows_updated == 0:
        # Nothing to keep the file or its plan for: say so once, and let both go.
        st.session_state[FLASH] = (
            "info", f"Everything in {plan.file_name} ({plan.rows_unchanged:,} rows) is already "
                    "stored, so there is nothing to save.")
        _done_with(uploaded)
        st.rerun()
    if st.button("Confirm and save", type="primary", icon=":material/save:",
                 key="upload_confirm"):
        _commit(plan, uploaded)


def _done_with(uploaded: UploadedFile) -> None:
    """Forget the checked file: its plan, and its bytes in Streamlit's store of uploads (kept
    there for the whole session otherwise), and start the chooser afresh."""
    st.session_state.pop(PLAN, None)
    st.session_state.get(HASHES, {}).pop(uploaded.file_id, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    context = get_script_run_ctx()
    if context is not None and isinstance(context.uploaded_file_mgr, MemoryUploadedFileManager):
        context.uploaded_file_mgr.remove_file(session_id=context.session_id,
                                              file_id=uploaded.file_id)


def _commit(plan: ImportPlan, uploaded: UploadedFile) -> None:
    plan.content = uploaded.getvalue()
    try:
        result = commit(common.store(), plan, common.actor())
    except StalePlan as error:
        st.session_state.pop(PLAN, None)
        st.session_state[FLASH] = ("warning", str(error))
        st.rerun()
    except (StoreUnavailable, NotAllowed) as error:
        plan.content = b""
        st.error(markdown_text(error), icon=":material/error:")
        return
    st.session_state.pop("history_choice", None)  # show the new upload first in the history
    st.session_state[FLASH] = ("success", report.saved_sentence(plan.file_name,
                                                                result.upload_id, plan))
    _done_with(uploaded)
    st.rerun()


def upload() -> None:
    st.subheader("2. Upload your file", anchor=False)
    _flash(FLASH)
    decision = common.may(UPLOAD)
    if not decision:
        st.info(markdown_text(decision.reason), icon=":material/info:")
        return
    all_formats = importing_formats.all_formats()
    kind = st.selectbox("What kind of file is it?", [None, *all_formats],
                        format_func=lambda c: "Find out from the file" if c is None
                        else all_formats[c].label, key="upload_kind")
    largest = _upload_limit_mb()
    worker.warm_up()  # the process files are read in, started while the person picks a file
    uploaded = st.file_uploader(
        "Choose your spreadsheet (.xlsx or .csv)", key=f"upload_file_{st.session_state.get(ROUND, 0)}",
        help="An Excel workbook (.xlsx) or a CSV file: one of our templates, or a DfE, Ofsted "
             f"or GIAS file as published. Up to {largest:,} MB.", max_upload_size=largest)
    if uploaded is None:
        return
    data = uploaded.getvalue()  # the chooser's own bytes, not a copy
    hashes = st.session_state.setdefault(HASHES, {})
    if uploaded.file_id not in hashes:
        hashes.clear()  # one file at a time
        hashes[uploaded.file_id] = hashlib.sha256(data).hexdigest()
    sha = hashes[uploaded.file_id]
    options: dict[str, Any] = {}
    asked = False  # the format's choices are on the page
    wants_options = (any(f.options for f in all_formats.values()) if kind is None
                     else bool(all_formats[kind].options))
    if wants_options:
        found = _format_choices(sha, uploaded.name, data, kind)
        if isinstance(found, str):
            st.error(markdown_text(found), icon=":material/error:")
            st.markdown("Nothing was saved.")
            return
        code, choices = found
        if importing_formats.get(code).options:
            options, asked = _ask_options(code, choices), True
    plan = _plan(uploaded.name, data, sha, kind, options)
    if not plan.ok:
        _show_problems(plan)
    for warning in plan.warnings:
        st.warning(markdown_text(warning), icon=":material/warning:")
    if plan.ok:
        _show_preview(plan, uploaded, asked=asked)


# --- 3. history ----------------------------------------------------------------------------

def history() -> None:
    st.subheader("Uploads so far", anchor=False)
    _flash(HISTORY_FLASH)
    # Read fresh (not cached): who may see which upload depends on the person.
    uploads = visible_uploads(common.store(), common.actor())
    if uploads.empty:
        st.markdown("No uploads yet." if common.may(VIEW_ALL) else "You have made no uploads "
                    "yet. Only the uploads you make are listed here.")
        return
    st.dataframe(report.history_table(uploads), hide_index=True, key="upload_history")
    records = {int(r["upload_id"]): r for r in uploads.to_dict("records")}
    chosen = st.selectbox("Choose an upload to download or undo", list(records),
                          format_func=lambda i: report.upload_label(records[i]),
                          key="history_choice")
    row = records[chosen]
    left, right = st.columns(2)
    store, actor = common.store(), common.actor()
    resource = upload_resource(store, chosen)
    with left:
        if common.may(SEE_UPLOAD, resource):
            # The bytes are read from the store (and the download recorded) when pressed.
            st.download_button("Download the file as it was uploaded",
                               lambda: original_file(store, chosen, actor)[1],
                               file_name=str(row["file_name"]), on_click="ignore",
                               icon=":material/download:", key="history_download")
    with right:
        if row["status"] != "accepted":
            st.markdown(f"Upload {chosen} has already been undone.")
            return
        may_undo = common.may(UNDO, resource)
        if not may_undo:
            st.markdown(may_undo.reason)
            return
        sure = st.checkbox(f"Yes, take back everything upload {chosen} changed",
                           key=f"undo_sure_{chosen}")
        if st.button("Undo this upload", disabled=not sure, icon=":material/undo:",
                     key="undo_button"):
            _undo(chosen)


def _undo(upload_id: int) -> None:
    try:
        affected = undo_upload(common.store(), upload_id, common.actor())
    except (UndoConflict, LookupError) as error:
        st.error(markdown_text(str(error).strip("'\"")), icon=":material/error:")
        return
    except (StoreUnavailable, NotAllowed) as error:
        st.error(markdown_text(error), icon=":material/error:")
        return
    st.session_state.pop(PLAN, None)  # a checked file's preview may no longer be right
    st.session_state[HISTORY_FLASH] = (
        "success", f"Upload {upload_id} was undone: {affected} rows put back as they were.")
    st.rerun()


st.title("Upload", anchor=False)
templates()
upload()
st.divider()
history()
