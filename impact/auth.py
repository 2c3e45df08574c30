"""Who is acting, and what they may change.

Every write is told who is acting, so each change is attributable and rights are enforced in
one place (`impact.store.Store.writing`). Until sign-in exists the app acts as the demo admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADMIN = "admin"
DATA_MANAGER = "data_manager"
HEAD = "head"
GOVERNOR = "governor"
ROLES = (ADMIN, DATA_MANAGER, HEAD, GOVERNOR)


class NotAllowed(PermissionError):
    """The actor may not make this change; the message says why in plain words."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    urns: frozenset[int] = field(default_factory=frozenset)  # a head's own schools

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")

    @property
    def can_write(self) -> bool:
        return self.role != GOVERNOR

    def may_change_school(self, urn: int) -> bool:
        """Heads change only their own schools' figures; admins and data managers any."""
        if self.role in (ADMIN, DATA_MANAGER):
            return True
        return self.role == HEAD and urn in self.urns

    @property
    def may_change_structure(self) -> bool:
        """Partnerships, cohorts, memberships and public data are set up by the trust."""
        return self.role in (ADMIN, DATA_MANAGER)


DEMO_ADMIN = Actor("Demo admin", ADMIN)
CLI_ACTOR = Actor("Command line", ADMIN)
