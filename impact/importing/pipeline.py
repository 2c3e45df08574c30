"""An upload from start to finish: read, recognise, validate, preview, confirm, write, undo.

`plan_import` reads and checks a file and compares it with the store without changing
anything, so the user sees what will change. `commit` writes a plan in one transaction, with
the original file, and refuses a plan that another upload has overtaken. `import_file` does both
for the CLI. `undo_upload` takes an upload back as a whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from impact.auth import Actor, NotAllowed, audit
from impact.auth.rights import SEE_UPLOAD, SET_UP, UNDO, Upload, allowed
from impact.importing import formats, worker, writing
from impact.importing.kinds.base import Context, Format, Validated
from impact.importing.layout import ROW
from impact.importing.limits import limits as current_limits
from impact.importing.permissions import import_problems
from impact.importing.problems import Problem, UnusableFile
from impact.importing.reading import Sheet
from impact.importing.screening import refuse_size
from impact.store import Store


class StalePlan(RuntimeError):
    """The store changed under a previewed upload; preview again before confirming."""


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    content: bytes
    kind: str | None
    kind_label: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    changes: list[writing.TableChanges] = field(default_factory=list)
    unusable: str | None = None  # why the file could not be read at all
    option_choices: dict[str, list[str]] = field(default_factory=dict)  # for the format's options
    # A change made on the Set up page may take rows away (a rename, a membership entered by
    # mistake): the keys of the rows to remove, by table, and a partnership's old and new name.
    removals: dict[str, pd.DataFrame] = field(default_factory=dict)
    renamed: dict[str, list[str]] = field(default_factory=dict)
    # Whether `changes` holds a comparison with the store that someone may have seen (the
    # preview), which `commit` must then find unchanged; False when the plan was made to be
    # written straight away (`plan_import(compare=False)`).
    compared: bool = False
    # Who the rights check of a plan to be written straight away was made for: `commit` need
    # not make it again for the same person (an Actor holds everything the check reads).
    rights_checked_for: Actor | None = None

    @property
    def ok(self) -> bool:
        return self.unusable is None and not self.problems

    @property
    def rows_added(self) -> int:
        return sum(c.added for c in self.changes)

    @property
    def rows_updated(self) -> int:
        return sum(c.updated for c in self.changes)

    @property
    def rows_unchanged(self) -> int:
        return sum(c.unchanged for c in self.changes)

    @property
    def rows_removed(self) -> int:
        return sum(c.removed for c in self.changes)

    def problems_frame(self) -> pd.DataFrame:
        """Problems as a table for people: row, column, value, what is wrong."""
        rows = [{"Row": p.row, "Column": p.column, "Value": p.value, "Problem": p.message}
                for p in self.problems]
        return pd.DataFrame(rows, columns=["Row", "Column", "Value", "Problem"])


@dataclass
class ImportResult:
    status: str  # accepted | rejected | dry-run
    plan: ImportPlan
    upload_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        p = self.plan
        errors = [{"row": x.row, "column": x.column, "value": x.value, "message": x.message}
                  for x in p.problems]
        if p.unusable:
            errors.insert(0, {"row": None, "column": None, "value": None, "message": p.unusable})
        return {
            "status": self.status, "file": p.file_name, "kind": p.kind,
            "rows_added": p.rows_added, "rows_updated": p.rows_updated,
            "rows_unchanged": p.rows_unchanged, "errors": errors, "warnings": p.warnings,
            "upload_id": self.upload_id, "summary": p.summary,
        }


def known_schools(store: Store) -> pd.DataFrame:
    return store.run("known_schools")


def remembered_options(store: Store) -> dict[str, Any]:
    """The choice of schools to keep made for the last public file that had one (its option
    values, by option name), so the Upload page can suggest it again."""
    from impact.importing.public import scope

    summaries = []
    for text in store.run("upload_summaries")["summary"]:
        try:
            summaries.append(json.loads(text))
        except (TypeError, ValueError):
            continue
    return scope.remembered(summaries)


Recognised = tuple[Format, list[Sheet]]


def recognise(file_name: str, data: bytes, kind: str | None = None) -> Recognised:
    """What format a file is, and its sheets, before any checking: for pages that must ask
    the user a format's options (which year, which trusts) before planning the import.

    The file is read in a worker process with limits on memory and time
    (`impact.importing.worker`), so no file can take the server down. Raises UnusableFile with
    a sentence for the user.
    """
    sheets = worker.read_file(file_name, data)
    fmt = formats.get(kind) if kind else formats.detect(sheets, file_name)
    return fmt, sheets


def plan_import(store: Store, file_name: str, data: bytes, actor: Actor, *,
                kind: str | None = None, options: dict[str, Any] | None = None,
                compare: bool = True) -> ImportPlan:
    """Read and check a file and compare it with the store. Changes nothing.

    Reading, recognising and validating happen in a worker process with limits on memory and
    time (`impact.importing.worker.check_file`); what comes back is the checked rows.
    `compare=False` leaves the comparison with the store to `commit`, for a caller that
    writes the plan straight away without showing it to anyone (`import_file`): a national
    table is then compared once, inside the write transaction, rather than twice."""
    sha = hashlib.sha256(data).hexdigest()
    plan = ImportPlan(file_name, sha, data, kind, "")
    schools = known_schools(store)
    context = Context(schools, actor, dict(options or {}))
    try:
        checked = worker.check_file(file_name, data, kind, context)
    except UnusableFile as error:
        plan.unusable = str(error)
        return plan
    plan.kind, plan.kind_label = checked.code, checked.label
    plan.option_choices = checked.choices
    if checked.validated is None:
        plan.unusable = checked.unusable
        return plan
    validated: Validated = checked.validated
    plan.problems = list(validated.problems)
    plan.warnings = list(validated.warnings)
    plan.summary = dict(validated.summary)
    plan.frames = validated.frames
    plan.problems += import_problems(actor, validated.frames, validated.headers,
                                     dict(zip(schools["urn"].astype(int), schools["name"],
                                              strict=True)))
    if not plan.problems and all(len(f) == 0 for f in plan.frames.values()):
        plan.problems.append(Problem(None, None, None,
                                     "the file has a header but no rows of figures under it "
                                     "(a template's example row is skipped): add your own rows "
                                     "under the header and upload it again"))
    if plan.problems:
        plan.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
        return plan
    if not compare:
        plan.rights_checked_for = actor
        return plan
    with store.reading() as cursor:
        plan.changes = [writing.stage(cursor, writing.TABLES[name], _rows(frame))
                        for name, frame in _ordered(plan.frames)]
    plan.compared = True
    return plan


def _ordered(frames: dict[str, pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    return [(name, frames[name]) for name in writing.WRITE_ORDER if name in frames]


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[ROW], errors="ignore")


def commit(store: Store, plan: ImportPlan, actor: Actor) -> ImportResult:
    """Write a checked plan in one transaction, with its original file and change log.

    Raises StalePlan if another upload changed the same rows since the plan was made, so the
    user looks at the preview again rather than overwrite something they never saw. A plan
    made with `plan_import(compare=False)` was never compared, so nobody saw a preview: its
    rows are compared with the store here, once, inside the write transaction.
    """
    if not plan.ok:
        raise ValueError("a plan with problems cannot be committed")
    refused = ([] if plan.rights_checked_for == actor  # checked a moment ago, for them
               else import_problems(actor, plan.frames))  # whoever confirms, not who previewed
    removal = _removal_refusal(actor, plan)
    if removal is not None:
        audit.write(store, actor, audit.UPLOAD, outcome=audit.REFUSED, sha256=plan.sha256,
                    detail=f"{plan.file_name}: {removal}")
        raise NotAllowed(removal)
    if refused:
        audit.write(store, actor, audit.UPLOAD, outcome=audit.REFUSED, sha256=plan.sha256,
                    detail=f"{plan.file_name}: {refused[0].message}")
        raise NotAllowed(refused[0].message if refused[0].row is None else
                         f"Row {refused[0].row}: {refused[0].message}")
    compared = plan.compared or bool(plan.changes)
    if not compared and plan.removals:
        raise ValueError("a plan that removes rows must be compared with the store first")
    with store.writing(actor) as tx:
        upload_id = tx.execute("SELECT nextval('upload_id_seq')").fetchone()[0]
        applied = []
        ordered = _ordered(plan.frames)
        planned_changes = plan.changes[:len(ordered)] if compared else [None] * len(ordered)
        for (name, frame), planned in zip(ordered, planned_changes, strict=True):
            done = writing.apply(tx.cursor, writing.TABLES[name], _rows(frame), upload_id,
                                 fingerprint=planned is not None)
            if planned is not None and done.fingerprint != planned.fingerprint:
                raise StalePlan(
                    f"While you were checking {plan.file_name}, another upload changed some of "
                    "the same rows. Nothing from your file was saved: look at the preview again, "
                    "then confirm.")
            applied.append(done)
        for (name, keys), planned in zip(plan.removals.items(),
                                         plan.changes[len(applied):], strict=True):
            done = writing.remove(tx.cursor, writing.TABLES[name], keys, upload_id)
            if done.fingerprint != planned.fingerprint:
                raise StalePlan(
                    f"While you were checking {plan.file_name}, another change touched some of "
                    "the rows it removes. Nothing was saved: look at the change again, then "
                    "confirm.")
            applied.append(done)
        old_new = plan.renamed.get("partnerships")
        if old_new:  # governors linked to the partnership follow it to its new name
            tx.execute("UPDATE user_partnerships SET partnership = ? WHERE partnership = ?",
                       [old_new[1], old_new[0]])
        # The original is kept once per content: looked up by its hash first, so that the
        # bytes are bound only when they are written (binding megabytes into a query that
        # then decides not to insert them costs as much as writing them).
        if not tx.execute("SELECT count(*) FROM upload_files WHERE sha256 = ?",
                          [plan.sha256]).fetchone()[0]:
            tx.execute("INSERT INTO upload_files (sha256, content, size_bytes) VALUES (?, ?, ?)",
                       [plan.sha256, plan.content, len(plan.content)])
        counts = [sum(c.added for c in applied), sum(c.updated for c in applied),
                  sum(c.unchanged for c in applied)]
        tx.execute(
            "INSERT INTO uploads (upload_id, uploaded_at, actor, actor_role, file_name, sha256, "
            "kind, rows_added, rows_updated, rows_unchanged, warnings, summary, status, "
            "actor_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?)",
            [upload_id, dt.datetime.now(), actor.name, actor.role, plan.file_name, plan.sha256,
             plan.kind, *counts, json.dumps(plan.warnings),
             json.dumps(plan.summary, default=str), actor.email])
        removed = sum(c.removed for c in applied)
        audit.record(tx, actor, audit.UPLOAD, upload_id=upload_id, sha256=plan.sha256,
                     detail=f"{plan.file_name} ({plan.kind}): {counts[0]} added, "
                            f"{counts[1]} changed, {counts[2]} unchanged"
                            + (f", {removed} removed" if removed else "")
                            + "".join(f"; renamed {writing.TABLES[t].one} {old!r} to {new!r}"
                                      for t, (old, new) in plan.renamed.items()))
    plan.changes = applied
    return ImportResult("accepted", plan, upload_id)


def _removal_refusal(actor: Actor, plan: ImportPlan) -> str | None:
    """Why `actor` may not take these rows away (renaming or removing is setting up the
    partnership's structure: `allowed(actor, SET_UP)`), or None."""
    if not plan.removals and not plan.renamed:
        return None
    decision = allowed(actor, SET_UP)
    return None if decision else decision.reason


def plan_edit(store: Store, edit: Any, actor: Actor) -> ImportPlan:
    """A change made on the Set up page (`impact.importing.edits.Edit`), checked like an
    upload: its file through the same validator and rights check (`plan_import`); then the
    rows it takes away (a rename's old names, a membership entered by mistake) and the rows
    that follow a renamed partnership (its improvement projects), compared with the store.
    Changes nothing. Every such change is setting up the partnership's structure, so one who
    may not (`allowed(actor, SET_UP)`) is told so before anything is checked."""
    decision = allowed(actor, SET_UP)
    if not decision:
        plan = ImportPlan(edit.file_name, hashlib.sha256(edit.content).hexdigest(),
                          edit.content, edit.kind, "")
        plan.problems.append(Problem(None, None, None, decision.reason))
        return plan
    plan = plan_import(store, edit.file_name, edit.content, actor, kind=edit.kind)
    if not plan.ok:
        return plan
    if edit.record_only:  # the file records what is removed; it adds nothing
        plan.frames = {}
    plan.frames |= dict(edit.follow)
    plan.removals = dict(edit.removals)
    plan.renamed = {table: list(names) for table, names in edit.renamed.items()}
    refusal = _removal_refusal(actor, plan)
    if refusal is not None:
        plan.problems.append(Problem(None, None, None, refusal))
        return plan
    plan.summary = {**plan.summary,
                    "removed": {t: len(k) for t, k in plan.removals.items()},
                    **({"renamed": plan.renamed} if plan.renamed else {})}
    with store.reading() as cursor:
        plan.changes = [writing.stage(cursor, writing.TABLES[name], _rows(frame))
                        for name, frame in _ordered(plan.frames)]
        plan.changes += [writing.stage_removal(cursor, writing.TABLES[name], keys)
                         for name, keys in plan.removals.items()]
    plan.compared = True
    removing = plan.changes[len(plan.changes) - len(plan.removals):]
    for (name, keys), staged in zip(plan.removals.items(), removing, strict=True):
        if staged.removed != len(keys):
            plan.problems.append(Problem(
                None, None, None, f"some of the {writing.TABLES[name].label} this change "
                "removes are no longer stored (another change removed or renamed them): "
                "make the change again"))
    return plan


def import_file(store: Store, path: str | Path, actor: Actor, *, kind: str | None = None,
                dry_run: bool = False, options: dict[str, Any] | None = None,
                name: str | None = None) -> ImportResult:
    """Check and (unless a dry run) write one file: what the CLI and the demo builder call."""
    path = Path(path)
    try:  # a file too big to upload is not read into memory at all
        refuse_size(name or path.name, path.stat().st_size, current_limits())
    except UnusableFile as error:
        plan = ImportPlan(name or path.name, "", b"", kind, "", unusable=str(error))
        return ImportResult("rejected", plan)
    plan = plan_import(store, name or path.name, path.read_bytes(), actor, kind=kind,
                       options=options, compare=dry_run)
    if not plan.ok:
        return ImportResult("rejected", plan)
    if dry_run:
        return ImportResult("dry-run", plan)
    return commit(store, plan, actor)


def _resource(row: dict[str, Any]) -> Upload:
    email = row["actor_email"] if isinstance(row["actor_email"], str) else None
    return Upload(int(row["upload_id"]), email, frozenset(int(u) for u in list(row["urns"])),
                  bool(row["structure"]))


def upload_resource(store: Store, upload_id: int) -> Upload | None:
    """What decides who may undo or see an upload (`impact.auth.rights.Upload`), or None if
    there is no such upload."""
    found = store.run("upload_rights", upload_id=upload_id).to_dict("records")
    return _resource(found[0]) if found else None


def visible_uploads(store: Store, actor: Actor) -> pd.DataFrame:
    """The upload history (`queries/uploads.sql`) as far as `actor` may see it: an admin every
    upload, a head their own; NotAllowed for a governor."""
    from impact.auth.rights import UPLOAD, VIEW_ALL

    if not allowed(actor, UPLOAD):
        raise NotAllowed(f"{actor.name} reads the figures and has no upload history: uploads "
                         "are seen by the heads who made them and the trust's data manager.")
    frame = store.run("uploads")
    if allowed(actor, VIEW_ALL) or frame.empty:  # whoever sees everything sees every upload
        return frame
    seen = {int(r["upload_id"]) for r in store.run("upload_rights", upload_id=None)
            .to_dict("records") if allowed(actor, SEE_UPLOAD, _resource(r))}
    return frame[frame["upload_id"].astype(int).isin(seen)].reset_index(drop=True)


def _require(store: Store, actor: Actor, action: str, upload_id: int, event: str) -> Upload:
    resource = upload_resource(store, upload_id)
    if resource is None:
        raise LookupError(f"There is no upload number {upload_id}.")
    decision = allowed(actor, action, resource)
    if not decision:
        audit.write(store, actor, event, outcome=audit.REFUSED, upload_id=upload_id,
                    detail=decision.reason)
        raise NotAllowed(decision.reason)
    return resource


def undo_upload(store: Store, upload_id: int, actor: Actor) -> int:
    """Take back everything one upload changed, in one transaction; returns rows affected.
    Only the person who made it (if it touched only their schools) or an admin may."""
    _require(store, actor, UNDO, upload_id, audit.UNDO)
    with store.writing(actor) as tx:
        row = tx.execute("SELECT status, sha256 FROM uploads WHERE upload_id = ?",
                         [upload_id]).fetchone()
        if row is None:
            raise LookupError(f"There is no upload number {upload_id}.")
        if row[0] != "accepted":
            raise writing.UndoConflict(f"Upload {upload_id} has already been undone.")
        affected = writing.undo_upload(tx.cursor, upload_id)
        renamed = _renamed(tx.execute("SELECT summary FROM uploads WHERE upload_id = ?",
                                      [upload_id]).fetchone()[0]).get("partnerships")
        if renamed:  # governors linked to the partnership follow it back to its old name
            tx.execute("UPDATE user_partnerships SET partnership = ? WHERE partnership = ?",
                       [renamed[0], renamed[1]])
        tx.execute("UPDATE uploads SET status = 'undone' WHERE upload_id = ?", [upload_id])
        tx.execute("INSERT INTO upload_events (upload_id, event, actor, actor_role, happened_at, "
                   "actor_email) VALUES (?, 'undone', ?, ?, ?, ?)",
                   [upload_id, actor.name, actor.role, dt.datetime.now(), actor.email])
        audit.record(tx, actor, audit.UNDO, upload_id=upload_id, sha256=row[1],
                     detail=f"{affected} rows put back")
    return affected


def _renamed(summary: str | None) -> dict[str, list[str]]:
    try:
        found = json.loads(summary or "{}").get("renamed") or {}
    except (TypeError, ValueError, AttributeError):
        return {}
    return found if isinstance(found, dict) else {}


def original_file(store: Store, upload_id: int, actor: Actor) -> tuple[str, bytes]:
    """The file exactly as it was uploaded, for its uploader or an admin (recorded)."""
    _require(store, actor, SEE_UPLOAD, upload_id, audit.DOWNLOAD_UPLOAD)
    row = store.run("upload_original", upload_id=upload_id)
    if row.empty:
        raise LookupError(f"There is no upload number {upload_id}.")
    sha = store.scalar("SELECT sha256 FROM uploads WHERE upload_id = ?", [upload_id])
    audit.write(store, actor, audit.DOWNLOAD_UPLOAD, upload_id=upload_id, sha256=sha,
                detail=str(row.at[0, "file_name"]))
    return str(row.at[0, "file_name"]), bytes(row.at[0, "content"])
