"""Who someone is in the product: the three roles, their plain names, and the old name kept
readable.

- admin: the trust's data manager. Everything: partnerships, cohorts, memberships, accounts,
  undoing any upload, the audit log.
- head: linked to one or more schools by URN. Uploads, corrects and undoes only their own
  schools' figures; sees partnership aggregates and their own schools' detail.
- governor: linked to a partnership. Reads only, always in the governor view (no pupil group
  under 11 pupils, no school-level figure about 6 to 10 pupils, no Upload page).

Before accounts existed, uploads were recorded with a fourth role, `data_manager`. It is folded
into admin: a store that still records it reads as admin, and nobody can be given it again.
"""

from __future__ import annotations

ADMIN = "admin"
HEAD = "head"
GOVERNOR = "governor"
ROLES = (ADMIN, HEAD, GOVERNOR)

LEGACY = {"data_manager": ADMIN}  # old role name -> the role it became

LABELS = {ADMIN: "admin (trust data manager)", HEAD: "head", GOVERNOR: "governor"}


def canonical(role: str) -> str:
    """The role a stored or typed name means now (`data_manager` became admin)."""
    role = (role or "").strip().lower()
    return LEGACY.get(role, role)


def label(role: str | None) -> str:
    """A role in words, for pages and the command line; an old name says what it became."""
    if role is None:
        return ""
    if role in LEGACY:
        return f"{LABELS[LEGACY[role]]}, recorded as {role.replace('_', ' ')}"
    return LABELS.get(role, role)
