"""What each role may do: one function, `allowed(actor, action, resource)`.

Every write and export asks it at its entry point (imports and their rows, undo, exports, the
original files, accounts, the audit log), and pages ask it only what to show, so the rules
live here and nowhere else. It answers with a `Decision`: true or false, and when false, the
sentence to show the person.

The resources are plain facts the caller already has (which table and school a row is for,
who made an upload and which schools it touched, which schools are in a partnership), so this
module needs no store and no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from impact.auth.actor import Actor, NotAllowed
from impact.domain.roles import ADMIN, GOVERNOR, HEAD

# --- actions ---------------------------------------------------------------------------------
UPLOAD = "upload"                    # upload anything at all (the Upload page); no resource
WRITE_ROWS = "write_rows"            # Rows: write these rows of a table
UNDO = "undo"                        # Upload: take an upload back
SEE_UPLOAD = "see_upload"            # Upload: see it in the history, download the original
EXPORT = "export"                    # Export: download stored rows (or one school's)
MANAGE_USERS = "manage_users"        # add, remove, reset, list accounts
READ_AUDIT = "read_audit"            # read and export the audit log
SET_UP = "set_up"                    # partnerships, cohorts, memberships, schools
REBUILD = "rebuild"                  # replace the whole store (`demo --force`)
VIEW_ALL = "view_all_schools"        # every partnership, and "All schools"
VIEW_PARTNERSHIP = "view_partnership"  # Partnership: its aggregate figures
VIEW_SCHOOL = "view_school"          # School: one school's own detail
SMALL_GROUPS = "see_small_groups"    # pupil groups under 11 and school figures about 6-10

ACTIONS = (UPLOAD, WRITE_ROWS, UNDO, SEE_UPLOAD, EXPORT, MANAGE_USERS, READ_AUDIT, SET_UP,
           REBUILD, VIEW_ALL, VIEW_PARTNERSHIP, VIEW_SCHOOL, SMALL_GROUPS)

# Export kinds that are not school rows: public comparison figures, and what a page shows.
PUBLIC_KINDS = ("benchmarks",)
VIEW = "view"     # a table or chart's numbers as the page shows them (already suppressed)
AUDIT = "audit"   # the audit log itself


# --- resources -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rows:
    """Rows an import would write: a table (`structure` if the trust sets it up: schools,
    partnerships, cohorts, memberships, public benchmarks) and the school they are for."""

    table: str
    label: str
    structure: bool = False
    urn: int | None = None


@dataclass(frozen=True)
class Upload:
    """An upload: who made it (their e-mail; None before accounts existed) and what it
    touched."""

    upload_id: int
    uploader: str | None
    urns: frozenset[int] = field(default_factory=frozenset)
    structure: bool = False


@dataclass(frozen=True)
class Export:
    """A download: a template kind (`attainment`, …), `view` or `audit`; `urn` when asking
    about one school's rows."""

    kind: str
    urn: int | None = None


@dataclass(frozen=True)
class School:
    urn: int
    partnerships: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Partnership:
    name: str
    urns: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


YES = Decision(True)
_ASK_ADMIN = "ask the trust's data manager (an admin)"


def _no(reason: str) -> Decision:
    return Decision(False, reason)


def _read_only(actor: Actor, what: str) -> Decision:
    return _no(f"{actor.label} can look at the data but not change it: ask the school's head "
               f"or the trust's data manager to {what}.")


def allowed(actor: Actor | None, action: str, resource: object = None) -> Decision:
    """Whether `actor` may do `action` (to `resource`), and if not, why, in a sentence."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if actor is None:
        return _no("Sign in first.")
    if actor.role == ADMIN:
        return YES
    head, governor = actor.role == HEAD, actor.role == GOVERNOR

    if action == UPLOAD:
        return YES if head else _read_only(actor, "upload this file")
    if action == WRITE_ROWS:
        rows = _expect(resource, Rows)
        if governor:
            return _read_only(actor, "upload this file")
        if rows.structure:
            return _no(f"{actor.label} cannot change {rows.label}: {_ASK_ADMIN} to upload "
                       "this file.")
        if rows.urn is None or rows.urn in actor.urns:
            return YES
        return _no(f"{actor.name} can upload figures only for their own "
                   f"school{'s' if len(actor.urns) != 1 else ''}")
    if action in (UNDO, SEE_UPLOAD):
        upload = _expect(resource, Upload)
        doing = "undo" if action == UNDO else "see"
        if governor:
            return _no(f"{actor.label} cannot {doing} uploads: governors read only.")
        if not actor.is_(upload.uploader):
            return _no(f"Only the person who made upload {upload.upload_id} or an admin can "
                       f"{doing} it.")
        if upload.structure or not upload.urns <= actor.urns:
            return _no(f"Upload {upload.upload_id} changed figures for schools that are not "
                       f"yours now, so only an admin can {doing} it.")
        return YES
    if action == EXPORT:
        export = _expect(resource, Export)
        if export.kind == VIEW or export.kind in PUBLIC_KINDS:
            return YES
        if export.kind == AUDIT:
            return _no(f"Only an admin can read the audit log; {actor.label} cannot.")
        if governor:
            return _no("Governors see the figures on the app's pages, where small groups are "
                       "hidden. The stored rows name single schools and small groups, so "
                       f"governors cannot download them: {_ASK_ADMIN}.")
        if export.urn is None or export.urn in actor.urns:
            return YES
        return _no(f"{actor.name} can download only their own schools' rows.")
    if action == VIEW_PARTNERSHIP:
        partnership = _expect(resource, Partnership)
        if governor and partnership.name in actor.partnerships:
            return YES
        if head and partnership.urns & actor.urns:
            return YES
        return _no(f"{partnership.name} is not a partnership {actor.name} is linked to.")
    if action == VIEW_SCHOOL:
        school = _expect(resource, School)
        if head and school.urn in actor.urns:
            return YES
        if governor and school.partnerships & actor.partnerships:
            return YES
        return _no(f"School {school.urn} is not one of {actor.name}'s schools.")
    if action == SMALL_GROUPS:
        return YES if head else _no("Governor view: pupil groups under 11 and school figures "
                                    "about 6 to 10 pupils are not shown.")
    # MANAGE_USERS, READ_AUDIT, SET_UP, REBUILD, VIEW_ALL: the trust's admins only.
    what = {MANAGE_USERS: "manage accounts", READ_AUDIT: "read the audit log",
            SET_UP: "set up partnerships, cohorts and schools",
            REBUILD: "replace the whole data store",
            VIEW_ALL: "see every partnership and every school"}[action]
    return _no(f"Only an admin can {what}; {actor.label} cannot.")


def require(actor: Actor | None, action: str, resource: object = None) -> None:
    """`allowed`, raising NotAllowed with its sentence when the answer is no."""
    decision = allowed(actor, action, resource)
    if not decision:
        raise NotAllowed(decision.reason)


def _expect(resource: object, kind: type) -> object:
    if not isinstance(resource, kind):
        raise TypeError(f"this action needs a {kind.__name__}, not {resource!r}")
    return resource
