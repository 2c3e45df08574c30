"""Who is acting: a signed-in account (or, on a store with no accounts yet, the command line).

An `Actor` is what every write, export and page is told. It is made from an account in the
store when someone signs in (`impact.auth.accounts.actor_for`), so its role and links are the
store's, never the visitor's say-so. What an actor may do is decided in one place,
`impact.auth.rights.allowed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from impact.domain import roles


class NotAllowed(PermissionError):
    """The actor may not do this; the message says why in plain words."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    urns: frozenset[int] = field(default_factory=frozenset)  # a head's own schools
    email: str | None = None  # the account; None for the command line before any account
    partnerships: frozenset[str] = field(default_factory=frozenset)  # a governor's
    via: str = ""  # how they came in: password, oidc:<provider>, cli

    def __post_init__(self) -> None:
        role = roles.canonical(self.role)  # `data_manager` became admin
        if role not in roles.ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of "
                             f"{', '.join(roles.ROLES)}")
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "urns", frozenset(int(u) for u in self.urns))
        object.__setattr__(self, "partnerships", frozenset(self.partnerships))
        if self.email is not None:
            object.__setattr__(self, "email", self.email.strip().lower())

    @property
    def label(self) -> str:
        """"Name (role)", as messages and the sidebar say who is acting."""
        return f"{self.name} ({self.role})"

    def is_(self, email: str | None) -> bool:
        """Whether this actor is the account `email` (e-mail addresses ignore case)."""
        return bool(self.email) and bool(email) and self.email == email.strip().lower()


# The admin the demo builder and the library's own tests act as. It has no account: the app
# never acts as it (a visitor must sign in), and the command line uses it only while a store
# has no accounts yet (`impact.auth.accounts.cli_actor`).
DEMO_ADMIN = Actor("Demo admin", roles.ADMIN)
BOOTSTRAP = Actor("Command line (no accounts yet)", roles.ADMIN, via="cli")
