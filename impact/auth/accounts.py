"""Accounts in the store: who may sign in, as what, linked to which schools or partnership.

Passwords are kept only as Argon2id hashes (`argon2-cffi`). A failed sign-in waits a little
longer each time (`config.failed_sign_in_delay`) and, after `config.lock_after` failures in a
row, locks the account for `config.lock_minutes`; every attempt, good or bad, is in the audit
log. An account without a password signs in only through the trust's Microsoft 365 or Google
Workspace (`impact.auth.oidc`), matched by e-mail address.

Managing accounts needs an admin (`allowed(actor, MANAGE_USERS)`), except the very first one:
a store with no accounts yet lets the command line add its first admin.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from impact import config
from impact.auth import audit
from impact.auth.actor import BOOTSTRAP, Actor, NotAllowed
from impact.auth.rights import MANAGE_USERS, require
from impact.domain import roles
from impact.store import Store

MIN_PASSWORD = 10
MAX_DELAY_SECONDS = 10.0


def _hasher() -> PasswordHasher:
    """Argon2id with the library's recommended cost (3 passes over 64 MiB), unless
    `IMPACT_ARGON2_TIME_COST` / `IMPACT_ARGON2_MEMORY_KIB` say otherwise (a very small server;
    the test suite, which makes hundreds of accounts). A stored hash keeps the cost it was made
    with, and is made again at the next sign-in when the setting changes."""
    return PasswordHasher(time_cost=int(config._number("IMPACT_ARGON2_TIME_COST", 3)),
                          memory_cost=int(config._number("IMPACT_ARGON2_MEMORY_KIB", 65536)))


_DUMMY: dict[tuple[int, int], str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """Checked when the e-mail matches no account, so a wrong address takes as long as a wrong
    password and the time taken does not tell a guesser which addresses exist."""
    key = (hasher.time_cost, hasher.memory_cost)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY[key]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

WRONG = "That e-mail address and password do not match an account here. Check them and try again."


class AccountError(ValueError):
    """An account cannot be added or changed as asked; the message says why."""


@dataclass(frozen=True)
class Account:
    user_id: int
    email: str
    name: str
    role: str
    password_hash: str | None
    urns: frozenset[int] = field(default_factory=frozenset)
    partnerships: frozenset[str] = field(default_factory=frozenset)
    failed_sign_ins: int = 0
    locked_until: dt.datetime | None = None
    last_sign_in: dt.datetime | None = None

    def actor(self, via: str = "") -> Actor:
        """Who this account acts as: its role and links exactly as the store holds them."""
        return Actor(self.name, self.role, self.urns, self.email, self.partnerships, via)

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True)
class SignInResult:
    actor: Actor | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.actor is not None


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"A password needs at least {MIN_PASSWORD} characters."
    return None


def new_password() -> str:
    """A random password to hand to someone (16 characters)."""
    return secrets.token_urlsafe(12)


# --- reading ---------------------------------------------------------------------------------

def _nullable(value: object) -> object:
    return None if value is None or (not isinstance(value, list | tuple) and pd.isna(value)) \
        else value


def _account(row: dict) -> Account:
    locked, last = _nullable(row["locked_until"]), _nullable(row["last_sign_in"])
    return Account(
        int(row["user_id"]), str(row["email"]), str(row["name"]), roles.canonical(row["role"]),
        _nullable(row["password_hash"]), frozenset(int(u) for u in list(row["urns"])),
        frozenset(str(p) for p in list(row["partnerships"])), int(row["failed_sign_ins"]),
        pd.Timestamp(locked).to_pydatetime() if locked is not None else None,
        pd.Timestamp(last).to_pydatetime() if last is not None else None)


def accounts(store: Store) -> list[Account]:
    """Every account, in the order they were made."""
    return [_account(r) for r in store.run("users", email=None).to_dict("records")]


def account(store: Store, email: str) -> Account | None:
    """The account for an e-mail address (any case), or None."""
    found = store.run("users", email=normalise(email)).to_dict("records")
    return _account(found[0]) if found else None


def has_accounts(store: Store) -> bool:
    return bool(store.scalar("SELECT count(*) FROM users"))


def first_admin(store: Store) -> Account | None:
    return next((a for a in accounts(store) if a.role == roles.ADMIN), None)


def listing(store: Store, actor: Actor) -> pd.DataFrame:
    """Accounts for people (admins only): who, role, links, how they sign in, lock-out."""
    require(actor, MANAGE_USERS)
    now = dt.datetime.now()
    rows = [{
        "E-mail": a.email, "Name": a.name, "Role": roles.label(a.role),
        "Schools (URN)": ", ".join(str(u) for u in sorted(a.urns)),
        "Partnerships": ", ".join(sorted(a.partnerships)),
        "Signs in with": "password" if a.password_hash else "Microsoft or Google only",
        "Locked until": a.locked_until.strftime("%d/%m/%Y %H:%M") if a.locked(now) else "",
        "Last signed in": a.last_sign_in.strftime("%d/%m/%Y %H:%M") if a.last_sign_in else "never",
    } for a in accounts(store)]
    return pd.DataFrame(rows, columns=["E-mail", "Name", "Role", "Schools (URN)",
                                       "Partnerships", "Signs in with", "Locked until",
                                       "Last signed in"])


# --- the command line's actor ----------------------------------------------------------------

def cli_actor(store: Store, email: str | None = None) -> Actor:
    """Who the command line acts as: `--as EMAIL`, else the store's first admin.

    A store with no accounts yet (a new store, or the demo while it is being built) is the
    file's owner's alone, so the command line acts as an admin with no account, recorded as
    such in the audit log, until the first account is added.
    """
    if email:
        found = account(store, email)
        if found is None:
            raise AccountError(f"There is no account {normalise(email)} in this store. See "
                               "them with `python -m impact users list`.")
        return found.actor("cli")
    if not has_accounts(store):
        return BOOTSTRAP
    admin = first_admin(store)
    if admin is None:
        raise AccountError("This store has no admin account, so say who you are with --as "
                           "EMAIL.")
    return admin.actor("cli")


# --- managing accounts -----------------------------------------------------------------------

def _may_manage(store: Store, actor: Actor, event: str) -> None:
    """Admins manage accounts; on a store with no accounts the first may be added by whoever
    holds the file (the command line's bootstrap actor)."""
    if actor == BOOTSTRAP and not has_accounts(store):
        return
    try:
        require(actor, MANAGE_USERS)
    except NotAllowed as refused:
        audit.write(store, actor, event, outcome=audit.REFUSED, detail=str(refused))
        raise


def _check_links(store: Store, role: str, urns: frozenset[int],
                 partnerships: frozenset[str]) -> None:
    if role == roles.HEAD:
        if not urns or partnerships:
            raise AccountError("A head is linked to one or more schools (--school URN) and to "
                               "no partnership.")
        known = {int(u) for u in store.run("known_schools")["urn"]}
        missing = sorted(urns - known)
        if missing:
            raise AccountError(f"There is no school with URN {', '.join(map(str, missing))} "
                               "here: upload the schools file first, then add the head.")
    elif role == roles.GOVERNOR:
        if not partnerships or urns:
            raise AccountError("A governor is linked to a partnership (--partnership NAME) and "
                               "to no school.")
        known = set(store.run("partnerships")["partnership"])
        missing = sorted(partnerships - known)
        if missing:
            raise AccountError(f"There is no partnership called {', '.join(missing)} here. "
                               f"The partnerships are: {', '.join(sorted(known)) or 'none yet'}.")
    elif urns or partnerships:
        raise AccountError("An admin sees and changes everything, so is linked to no school "
                           "or partnership.")


def add(store: Store, actor: Actor, email: str, role: str, *, name: str | None = None,
        urns: Iterable[int] = (), partnerships: Iterable[str] = (),
        password: str | None = None) -> Account:
    """Add an account. `password` None makes one that signs in only through Microsoft or
    Google."""
    _may_manage(store, actor, audit.USER_ADDED)
    email = normalise(email)
    if not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address.")
    role_code = (role or "").strip().lower()
    if role_code not in roles.ROLES:
        raise AccountError(f"The role must be one of {', '.join(roles.ROLES)}, not {role!r}.")
    urns, partnerships = frozenset(int(u) for u in urns), frozenset(partnerships)
    _check_links(store, role_code, urns, partnerships)
    if password is not None and (problem := _password_problem(password)):
        raise AccountError(problem)
    name = (name or "").strip() or email.split("@")[0]
    with store.writing(actor) as tx:
        if tx.execute("SELECT count(*) FROM users WHERE email = ?", [email]).fetchone()[0]:
            raise AccountError(f"There is already an account {email}.")
        tx.execute("INSERT INTO users (user_id, email, name, role, password_hash, created_at) "
                   "VALUES (nextval('user_id_seq'), ?, ?, ?, ?, ?)",
                   [email, name, role_code, hash_password(password) if password else None,
                    dt.datetime.now()])
        for urn in sorted(urns):
            tx.execute("INSERT INTO user_schools (email, urn) VALUES (?, ?)", [email, urn])
        for partnership in sorted(partnerships):
            tx.execute("INSERT INTO user_partnerships (email, partnership) VALUES (?, ?)",
                       [email, partnership])
        links = ", ".join([*(f"school {u}" for u in sorted(urns)),
                           *(f"partnership {p}" for p in sorted(partnerships))])
        audit.record(tx, actor, audit.USER_ADDED,
                     detail=f"{email} as {role_code}" + (f" ({links})" if links else ""))
    return account(store, email)


def remove(store: Store, actor: Actor, email: str) -> None:
    """Remove an account (never the last admin). Its uploads stay, recorded under its name."""
    _may_manage(store, actor, audit.USER_REMOVED)
    email = normalise(email)
    found = account(store, email)
    if found is None:
        raise AccountError(f"There is no account {email}.")
    if found.role == roles.ADMIN and sum(a.role == roles.ADMIN for a in accounts(store)) == 1:
        raise AccountError(f"{email} is the only admin: add another admin before removing it.")
    with store.writing(actor) as tx:
        for table in ("user_schools", "user_partnerships", "users"):
            tx.execute(f"DELETE FROM {table} WHERE email = ?", [email])
        audit.record(tx, actor, audit.USER_REMOVED, detail=f"{email} ({found.role})")


def reset(store: Store, actor: Actor, email: str, password: str) -> None:
    """Set a new password and unlock the account."""
    _may_manage(store, actor, audit.PASSWORD_RESET)
    email = normalise(email)
    if account(store, email) is None:
        raise AccountError(f"There is no account {email}.")
    if problem := _password_problem(password):
        raise AccountError(problem)
    with store.writing(actor) as tx:
        tx.execute("UPDATE users SET password_hash = ?, failed_sign_ins = 0, locked_until = NULL "
                   "WHERE email = ?", [hash_password(password), email])
        audit.record(tx, actor, audit.PASSWORD_RESET, detail=f"{email}: new password, unlocked")


# --- signing in ------------------------------------------------------------------------------

def _delay(failures: int) -> float:
    return min(config.failed_sign_in_delay() * max(failures, 1), MAX_DELAY_SECONDS)


def sign_in(store: Store, email: str, password: str, *, now: dt.datetime | None = None,
            sleep: Callable[[float], None] = time.sleep) -> SignInResult:
    """Check an e-mail address and password. Slowed and recorded when it fails; an account
    that failed `config.lock_after()` times in a row is locked for `config.lock_minutes()`."""
    now = now or dt.datetime.now()
    email = normalise(email)
    found = account(store, email)
    if found is not None and found.locked(now):
        audit.write(store, found.actor("password"), audit.SIGN_IN_FAILED, outcome=audit.REFUSED,
                    detail=f"account locked until {found.locked_until:%H:%M}")
        sleep(_delay(found.failed_sign_ins))
        return SignInResult(None, _locked_message(found.locked_until))
    hasher = _hasher()
    dummy = _dummy_hash(hasher)
    hashed = found.password_hash if found is not None and found.password_hash else dummy
    try:
        good = hasher.verify(hashed, password or "") and hashed != dummy
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        good = False
    if good:
        actor = found.actor("password")
        with store.writing(actor) as tx:
            rehash = hasher.check_needs_rehash(found.password_hash)
            tx.execute("UPDATE users SET failed_sign_ins = 0, locked_until = NULL, "
                       "last_sign_in = ?" + (", password_hash = ?" if rehash else "")
                       + " WHERE email = ?",
                       [now, *([hash_password(password)] if rehash else []), email])
            audit.record(tx, actor, audit.SIGN_IN, detail="password")
        return SignInResult(actor)
    if found is None:
        audit.write(store, None, audit.SIGN_IN_FAILED, outcome=audit.FAILED, email=email,
                    via="password", detail="no account with this e-mail address")
        sleep(_delay(1))
        return SignInResult(None, WRONG)
    # A lock that has run out starts the count again.
    lapsed = found.locked_until is not None and found.locked_until <= now
    failures = (0 if lapsed else found.failed_sign_ins) + 1
    locks = failures >= config.lock_after()
    until = now + dt.timedelta(minutes=config.lock_minutes()) if locks else None
    with store.writing(found.actor("password")) as tx:
        tx.execute("UPDATE users SET failed_sign_ins = ?, locked_until = ? WHERE email = ?",
                   [failures, until, email])
        audit.record(tx, found.actor("password"), audit.SIGN_IN_FAILED, outcome=audit.FAILED,
                     detail=("no password: signs in with Microsoft or Google"
                             if not found.password_hash else "wrong password")
                     + f" ({failures} in a row" + (", account locked" if locks else "") + ")")
    sleep(_delay(failures))
    return SignInResult(None, _locked_message(until) if locks else WRONG)


def _locked_message(until: dt.datetime | None) -> str:
    when = f" until {until:%H:%M}" if until else ""
    return (f"Too many failed sign-ins: this account is locked{when}. Try again then, or ask "
            "the trust's data manager to reset your password.")


def sign_in_with_provider(store: Store, email: str | None, provider: str,
                          claims: dict | None = None) -> SignInResult:
    """Match someone the trust's Microsoft 365 or Google Workspace vouched for to an account,
    by e-mail address; recorded either way."""
    via = f"oidc:{provider}"
    claims = claims or {}
    email = normalise(email or "")
    if not email:
        audit.write(store, None, audit.SIGN_IN_FAILED, outcome=audit.FAILED, via=via,
                    detail="the provider gave no e-mail address")
        return SignInResult(None, "Your organisation's sign-in did not give an e-mail "
                                  "address, so we cannot tell who you are.")
    if claims.get("email_verified") is False:
        audit.write(store, None, audit.SIGN_IN_FAILED, outcome=audit.FAILED, email=email,
                    via=via, detail="e-mail address not verified by the provider")
        return SignInResult(None, f"Your organisation has not verified {email}, so it cannot "
                                  "be used to sign in here.")
    found = account(store, email)
    if found is None:
        audit.write(store, None, audit.SIGN_IN_FAILED, outcome=audit.FAILED, email=email,
                    via=via, detail="no account with this e-mail address")
        return SignInResult(None, f"You signed in as {email}, but there is no account for that "
                                  "address here. Ask the trust's data manager to add you.")
    if found.locked(dt.datetime.now()):
        audit.write(store, found.actor(via), audit.SIGN_IN_FAILED, outcome=audit.REFUSED,
                    detail=f"account locked until {found.locked_until:%H:%M}")
        return SignInResult(None, _locked_message(found.locked_until))
    actor = found.actor(via)
    with store.writing(actor) as tx:
        tx.execute("UPDATE users SET last_sign_in = ? WHERE email = ?",
                   [dt.datetime.now(), email])
        audit.record(tx, actor, audit.SIGN_IN, detail=provider)
    return SignInResult(actor)


def password_matches(found: Account, password: str) -> bool:
    """Whether `password` is this account's (for showing the demo's passwords while they still
    work); records nothing and never slows down."""
    if not found.password_hash:
        return False
    try:
        return _hasher().verify(found.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
