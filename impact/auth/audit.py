"""The audit log: who signed in (or failed to), uploaded, undid, exported or changed an account,
when, what, and the upload's sha256.

Rows are written in the same transaction as what they record (an upload and its audit row
commit together or not at all) and never changed afterwards. Admins read and export it on the
Audit log page and with `python -m impact audit`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from impact.auth.actor import Actor
from impact.auth.rights import AUDIT, EXPORT, READ_AUDIT, Export, require
from impact.domain.roles import label as role_label
from impact.store import Store

# events
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
SESSION_EXPIRED = "session_expired"
UPLOAD = "upload"
UNDO = "undo"
EXPORT_ROWS = "export"
DOWNLOAD_UPLOAD = "download_upload"
USER_ADDED = "user_added"
USER_REMOVED = "user_removed"
PASSWORD_RESET = "password_reset"
AUDIT_EXPORTED = "audit_exported"

EVENT_LABELS = {
    SIGN_IN: "Signed in", SIGN_IN_FAILED: "Sign-in failed", SIGN_OUT: "Signed out",
    SESSION_EXPIRED: "Session expired", UPLOAD: "Upload", UNDO: "Undo",
    EXPORT_ROWS: "Export", DOWNLOAD_UPLOAD: "Original file downloaded",
    USER_ADDED: "Account added", USER_REMOVED: "Account removed",
    PASSWORD_RESET: "Password reset", AUDIT_EXPORTED: "Audit log exported",
}

OK, REFUSED, FAILED = "ok", "refused", "failed"

_INSERT = ("INSERT INTO audit_log (happened_at, actor_email, actor_name, actor_role, via, event, "
           "outcome, detail, upload_id, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def record(tx: Any, actor: Actor | None, event: str, *, outcome: str = OK, detail: str = "",
           upload_id: int | None = None, sha256: str | None = None, email: str | None = None,
           via: str | None = None) -> None:
    """Add one row inside the caller's write transaction (`tx` from `Store.writing`).

    `email` names who, when there is no actor (a failed sign-in records the address typed).
    """
    tx.execute(_INSERT, [
        dt.datetime.now(), actor.email if actor else (email or "").strip().lower() or None,
        actor.name if actor else None, actor.role if actor else None,
        via if via is not None else (actor.via if actor else None), event, outcome, detail,
        upload_id, sha256])


def write(store: Store, actor: Actor | None, event: str, **details: Any) -> None:
    """`record` in a transaction of its own: for events that change nothing else (an export,
    a refusal, a sign-out)."""
    with store.writing(actor) as tx:
        record(tx, actor, event, **details)


def entries(store: Store, actor: Actor, *, limit: int | None = None) -> pd.DataFrame:
    """The audit log, newest first, for an admin (NotAllowed for anyone else)."""
    require(actor, READ_AUDIT)
    frame = store.run("audit_log")
    return frame.head(limit) if limit is not None else frame


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The log for people: when, who, what happened, the outcome and the details."""
    return pd.DataFrame({
        "When": pd.to_datetime(frame["happened_at"]).dt.strftime("%d/%m/%Y %H:%M:%S"),
        "Who": [e if isinstance(e, str) and e else (n or "") for e, n in
                zip(frame["actor_email"], frame["actor_name"], strict=True)],
        "Role": frame["actor_role"].map(lambda r: role_label(r) if isinstance(r, str) else ""),
        "How": frame["via"].fillna(""),
        "What": frame["event"].map(lambda e: EVENT_LABELS.get(e, e)),
        "Outcome": frame["outcome"],
        "Details": frame["detail"].fillna(""),
        "Upload": frame["upload_id"].astype("Int64"),
        "File sha256": frame["sha256"].fillna(""),
    }).reset_index(drop=True)


def export(store: Store, actor: Actor, fmt: str = "csv") -> bytes:
    """The whole audit log as CSV or xlsx, for an admin; the export is itself recorded."""
    require(actor, EXPORT, Export(AUDIT))
    shown = table(entries(store, actor))
    with store.writing(actor) as tx:
        record(tx, actor, AUDIT_EXPORTED, detail=f"{len(shown)} entries as {fmt}")
    from impact.charts.base import csv_bytes

    if fmt == "csv":
        return csv_bytes(shown)
    if fmt == "xlsx":
        import io

        buffer = io.BytesIO()
        shown.to_excel(buffer, index=False, sheet_name="Audit log")
        return buffer.getvalue()
    raise ValueError("format must be csv or xlsx")
