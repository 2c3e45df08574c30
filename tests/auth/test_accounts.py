"""Accounts in a real store: adding and checking them, Argon2id hashes, sign-in that is slowed
and locks out, the audit trail of every attempt, the command line's actor, and matching the
trust's Microsoft/Google sign-in by e-mail."""

from __future__ import annotations

import datetime as dt

import pytest

from impact.auth import BOOTSTRAP, DEMO_ADMIN, NotAllowed, accounts
from impact.auth.sessions import IDLE, TOO_LONG, SignedIn
from tests.factories import load, schools_frame

PASSWORD = "correct horse"


@pytest.fixture
def people(store):
    load(store, "schools", schools_frame(4))  # Test Trust: 100001 and 100002
    accounts.add(store, DEMO_ADMIN, "Ada@Trust.example", "admin", name="Ada", password=PASSWORD)
    accounts.add(store, DEMO_ADMIN, "hal@trust.example", "head", name="Hal", urns=[100001],
                 password=PASSWORD)
    accounts.add(store, DEMO_ADMIN, "gil@trust.example", "governor", name="Gil",
                 partnerships=["Test Trust"])
    return store


def _log(store, event=None):
    where = "" if event is None else "WHERE event = ?"
    return store.query(f"SELECT actor_email, event, outcome, detail, via FROM audit_log {where} "
                       "ORDER BY audit_id", [event] if event else None)


def test_accounts_are_kept_with_argon2id_hashes_and_their_links(people):
    ada = accounts.account(people, "ADA@trust.example ")
    assert ada.email == "ada@trust.example" and ada.role == "admin"
    assert ada.password_hash.startswith("$argon2id$") and PASSWORD not in ada.password_hash
    hal = accounts.account(people, "hal@trust.example")
    assert hal.actor("password").urns == frozenset({100001})
    gil = accounts.account(people, "gil@trust.example")
    assert gil.password_hash is None and gil.partnerships == frozenset({"Test Trust"})
    assert [a.email for a in accounts.accounts(people)] == [
        "ada@trust.example", "hal@trust.example", "gil@trust.example"]
    added = _log(people, "user_added")["detail"].tolist()
    assert added[1] == "hal@trust.example as head (school 100001)"


@pytest.mark.parametrize(("email", "role", "links", "message"), [
    ("not-an-address", "admin", {}, "is not an e-mail address"),
    ("x@trust.example", "data_manager", {}, "The role must be one of admin, head, governor"),
    ("x@trust.example", "head", {}, "A head is linked to one or more schools"),
    ("x@trust.example", "head", {"urns": [999999]}, "There is no school with URN 999999 here"),
    ("x@trust.example", "governor", {}, "A governor is linked to a partnership"),
    ("x@trust.example", "governor", {"partnerships": ["Nope"]},
     "There is no partnership called Nope here. The partnerships are: Test Trust."),
    ("x@trust.example", "admin", {"urns": [100001]}, "An admin sees and changes everything"),
    ("hal@TRUST.example", "head", {"urns": [100001]}, "There is already an account"),
])
def test_an_account_that_makes_no_sense_is_refused(people, email, role, links, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add(people, DEMO_ADMIN, email, role, password=PASSWORD, **links)


def test_passwords_are_hashed_at_argon2s_recommended_cost_by_default(people, monkeypatch):
    monkeypatch.delenv("IMPACT_ARGON2_TIME_COST")
    monkeypatch.delenv("IMPACT_ARGON2_MEMORY_KIB")
    stored = accounts.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    # An account hashed at another cost is hashed again at the next sign-in.
    assert accounts.sign_in(people, "hal@trust.example", PASSWORD).ok
    assert "m=65536,t=3" in accounts.account(people, "hal@trust.example").password_hash


def test_short_passwords_and_removing_the_last_admin_are_refused(people):
    with pytest.raises(accounts.AccountError, match="at least 10 characters"):
        accounts.add(people, DEMO_ADMIN, "new@trust.example", "admin", password="short")
    ada = accounts.account(people, "ada@trust.example").actor()
    with pytest.raises(accounts.AccountError, match="the only admin"):
        accounts.remove(people, ada, "ada@trust.example")
    accounts.remove(people, ada, "hal@trust.example")
    assert accounts.account(people, "hal@trust.example") is None
    assert people.scalar("SELECT count(*) FROM user_schools") == 0


def test_only_admins_manage_accounts_and_refusals_are_recorded(people):
    hal = accounts.account(people, "hal@trust.example").actor("password")
    with pytest.raises(NotAllowed, match="Only an admin can manage accounts"):
        accounts.add(people, hal, "mate@trust.example", "admin", password=PASSWORD)
    with pytest.raises(NotAllowed):
        accounts.reset(people, hal, "hal@trust.example", "new password 1")
    with pytest.raises(NotAllowed):
        accounts.listing(people, hal)
    refused = _log(people).query("outcome == 'refused'")
    assert refused[["actor_email", "event"]].values.tolist() == [
        ["hal@trust.example", "user_added"], ["hal@trust.example", "password_reset"]]


def test_a_good_password_signs_in_and_is_recorded(people):
    result = accounts.sign_in(people, " HAL@trust.example", PASSWORD, sleep=_never)
    assert result.ok and result.actor.role == "head" and result.actor.via == "password"
    assert accounts.account(people, "hal@trust.example").last_sign_in is not None
    assert _log(people, "sign_in").values.tolist() == [
        ["hal@trust.example", "sign_in", "ok", "password", "password"]]


def _never(seconds: float) -> None:
    raise AssertionError("a good sign-in is not slowed")


def test_failed_sign_ins_are_slowed_more_each_time_then_lock_the_account(people, monkeypatch):
    monkeypatch.setenv("IMPACT_FAILED_SIGN_IN_DELAY", "2")
    monkeypatch.setenv("IMPACT_LOCK_AFTER", "3")
    monkeypatch.setenv("IMPACT_LOCK_MINUTES", "15")
    waits: list[float] = []
    now = dt.datetime(2025, 1, 6, 9, 0)
    for _ in range(2):
        result = accounts.sign_in(people, "hal@trust.example", "guess", now=now,
                                  sleep=waits.append)
        assert not result.ok and result.message == accounts.WRONG
    locked = accounts.sign_in(people, "hal@trust.example", "guess", now=now, sleep=waits.append)
    assert "this account is locked until 09:15" in locked.message
    assert waits == [2.0, 4.0, 6.0]
    # Locked: even the right password is refused (and still slowed) until the lock runs out.
    refused = accounts.sign_in(people, "hal@trust.example", PASSWORD,
                               now=now + dt.timedelta(minutes=14), sleep=waits.append)
    assert not refused.ok and "locked" in refused.message
    later = accounts.sign_in(people, "hal@trust.example", PASSWORD,
                             now=now + dt.timedelta(minutes=16), sleep=_never)
    assert later.ok
    assert accounts.account(people, "hal@trust.example").failed_sign_ins == 0
    failures = _log(people, "sign_in_failed")
    assert failures["outcome"].tolist() == ["failed", "failed", "failed", "refused"]
    assert failures["detail"].tolist()[2] == "wrong password (3 in a row, account locked)"


def test_a_lapsed_lock_starts_the_count_again(people, monkeypatch):
    monkeypatch.setenv("IMPACT_LOCK_AFTER", "2")
    now = dt.datetime(2025, 1, 6, 9, 0)
    for _ in range(2):
        accounts.sign_in(people, "hal@trust.example", "guess", now=now, sleep=lambda s: None)
    after = now + dt.timedelta(hours=1)
    one_more = accounts.sign_in(people, "hal@trust.example", "guess", now=after,
                                sleep=lambda s: None)
    assert one_more.message == accounts.WRONG  # not locked again by a single failure


def test_an_unknown_address_fails_like_a_wrong_password_and_is_recorded(people):
    waits: list[float] = []
    result = accounts.sign_in(people, "nobody@trust.example", PASSWORD, sleep=waits.append)
    assert result.message == accounts.WRONG and waits == [1.0]
    assert _log(people, "sign_in_failed").values.tolist() == [
        ["nobody@trust.example", "sign_in_failed", "failed",
         "no account with this e-mail address", "password"]]
    # An account without a password (Microsoft/Google only) cannot be signed in with one.
    assert not accounts.sign_in(people, "gil@trust.example", "", sleep=waits.append).ok


def test_a_reset_sets_a_new_password_and_unlocks(people, monkeypatch):
    monkeypatch.setenv("IMPACT_LOCK_AFTER", "1")
    accounts.sign_in(people, "hal@trust.example", "guess", sleep=lambda s: None)
    assert accounts.account(people, "hal@trust.example").locked(dt.datetime.now())
    ada = accounts.account(people, "ada@trust.example").actor()
    accounts.reset(people, ada, "hal@trust.example", "a brand new one")
    assert accounts.sign_in(people, "hal@trust.example", "a brand new one").ok
    assert not accounts.sign_in(people, "hal@trust.example", PASSWORD,
                                sleep=lambda s: None).ok


def test_the_command_line_acts_as_the_first_admin_or_the_named_account(store, people):
    assert accounts.cli_actor(people).email == "ada@trust.example"
    assert accounts.cli_actor(people, "Hal@trust.example").role == "head"
    with pytest.raises(accounts.AccountError, match="There is no account who@trust.example"):
        accounts.cli_actor(people, "who@trust.example")


def test_a_store_with_no_accounts_lets_the_command_line_add_the_first_admin(tmp_path):
    from impact.store import Store

    with Store(tmp_path / "new.duckdb") as fresh:
        assert accounts.cli_actor(fresh) == BOOTSTRAP
        accounts.add(fresh, BOOTSTRAP, "first@trust.example", "admin", password=PASSWORD)
        assert accounts.cli_actor(fresh).email == "first@trust.example"
        logged = fresh.query("SELECT actor_name, detail FROM audit_log").values.tolist()
        assert logged == [["Command line (no accounts yet)", "first@trust.example as admin"]]


def test_the_trusts_sign_in_is_matched_by_email(people):
    matched = accounts.sign_in_with_provider(people, "Gil@Trust.example", "microsoft",
                                             {"email_verified": True})
    assert matched.ok and matched.actor.role == "governor"
    assert matched.actor.via == "oidc:microsoft"
    unknown = accounts.sign_in_with_provider(people, "eve@elsewhere.example", "google", {})
    assert "there is no account for that address here" in unknown.message
    unverified = accounts.sign_in_with_provider(people, "hal@trust.example", "google",
                                                {"email_verified": False})
    assert not unverified.ok and "has not verified" in unverified.message
    assert _log(people, "sign_in_failed")["via"].tolist() == ["oidc:google", "oidc:google"]


def test_a_session_lapses_when_idle_or_too_long(monkeypatch):
    monkeypatch.setenv("IMPACT_IDLE_MINUTES", "30")
    monkeypatch.setenv("IMPACT_SESSION_HOURS", "12")
    start = dt.datetime(2025, 1, 6, 9, 0)
    session = SignedIn.begin("Hal@trust.example", "password", now=start)
    assert session.email == "hal@trust.example"
    assert session.lapsed(start + dt.timedelta(minutes=29)) is None
    assert session.lapsed(start + dt.timedelta(minutes=31)) == IDLE
    busy = session
    for minutes in range(20, 13 * 60, 20):
        busy = busy.touched(start + dt.timedelta(minutes=minutes))
        if busy.lapsed(busy.seen):
            break
    assert busy.lapsed(busy.seen) == TOO_LONG
    assert busy.seen - start > dt.timedelta(hours=12)
