"""The role matrix over every command of `python -m impact`, called directly (`impact.cli.main`)
with `--as`: what an admin, a head (of School 100001) and a governor (of Test Trust) see, may
do and are refused (exit status 3 and the reason), with the audit log holding every step.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN, accounts
from impact.cli import EXIT_OK, EXIT_REFUSED, EXIT_REJECTED, EXIT_UNUSABLE, main
from impact.store import Store
from tests.factories import attainment_frame, benchmarks_frame, load, schools_frame, xlsx_bytes

ADMIN, HEAD, GOVERNOR = "ada@trust.example", "hal@trust.example", "gil@trust.example"
PASSWORD = "a long password"


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "roles.duckdb"
    with Store(path) as store:
        load(store, "schools", schools_frame(6, in_partnership=3))  # Test Trust: 100001-3
        load(store, "attainment", attainment_frame([100001, 100002, 100004], range(2016, 2020)))
        load(store, "benchmarks", benchmarks_frame())
        accounts.add(store, DEMO_ADMIN, ADMIN, "admin", name="Ada", password=PASSWORD)
        accounts.add(store, DEMO_ADMIN, HEAD, "head", name="Hal", urns=[100001],
                     password=PASSWORD)
        accounts.add(store, DEMO_ADMIN, GOVERNOR, "governor", name="Gil",
                     partnerships=["Test Trust"], password=PASSWORD)
    return path


def _run(capsys, db: Path, who: str | None, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), *(["--as", who] if who else []), *args])
    out, err = capsys.readouterr()
    return status, out, err


def _audit(db: Path) -> pd.DataFrame:
    with Store(db) as store:
        return store.query("SELECT actor_email, via, event, outcome, detail, upload_id, sha256 "
                           "FROM audit_log WHERE via = 'cli' ORDER BY audit_id")


def _file(tmp_path: Path, urns: list[int]) -> Path:
    path = tmp_path / f"attainment-{'-'.join(map(str, urns))}.xlsx"
    path.write_bytes(xlsx_bytes("attainment", attainment_frame(urns, range(2020, 2021))))
    return path


def test_with_no_as_the_command_line_is_the_first_admin(capsys, db):
    status, out, _ = _run(capsys, db, None, "users", "list")
    assert status == EXIT_OK and ADMIN in out
    assert _audit(db).empty, "listing changes nothing"
    status, _, err = _run(capsys, db, "who@trust.example", "uploads")
    assert status == EXIT_UNUSABLE and "There is no account who@trust.example" in err


def test_template_is_for_everyone(capsys, db, tmp_path):
    for who in (ADMIN, HEAD, GOVERNOR):
        out = tmp_path / f"{who}.xlsx"
        assert _run(capsys, db, who, "template", "attainment", "--out", str(out))[0] == EXIT_OK
        assert out.stat().st_size > 0


def test_import_each_role_and_the_schools_they_may_write(capsys, db, tmp_path):
    own, other = _file(tmp_path, [100001]), _file(tmp_path, [100002])
    status, out, _ = _run(capsys, db, HEAD, "import", str(own), "--json")
    assert status == EXIT_OK and json.loads(out)["status"] == "accepted"
    status, out, _ = _run(capsys, db, HEAD, "import", str(other), "--json")
    result = json.loads(out)
    assert status == EXIT_REJECTED
    assert result["errors"][0]["row"] == 2 and result["errors"][0]["value"] == "100002"
    assert result["errors"][0]["message"] == "this row is for School 100002 (URN 100002): Hal can upload figures only for " \
           "their own school"
    status, out, _ = _run(capsys, db, GOVERNOR, "import", str(own), "--json")
    assert status == EXIT_REJECTED
    assert "can look at the data but not change it" in json.loads(out)["errors"][0]["message"]
    status, out, _ = _run(capsys, db, ADMIN, "import", str(other), "--json")
    assert status == EXIT_OK
    logged = _audit(db)
    uploads = logged[logged["event"] == "upload"]
    assert uploads["actor_email"].tolist() == [HEAD, ADMIN]
    assert uploads["sha256"].str.len().tolist() == [64, 64]


def _export(capsys, db, who, kind) -> tuple[int, pd.DataFrame | None, str]:
    status, out, err = _run(capsys, db, who, "export", kind)
    frame = pd.read_csv(io.StringIO(out), dtype=str) if status == EXIT_OK else None
    return status, frame, err


def test_export_what_each_role_may_download(capsys, db):
    status, everything, _ = _export(capsys, db, ADMIN, "attainment")
    assert status == EXIT_OK and set(everything["URN"]) == {"100001", "100002", "100004"}
    status, own, _ = _export(capsys, db, HEAD, "attainment")
    assert status == EXIT_OK and set(own["URN"]) == {"100001"} and len(own) == 4
    status, _, err = _export(capsys, db, GOVERNOR, "attainment")
    assert status == EXIT_REFUSED and "governors cannot download them" in err
    status, public, _ = _export(capsys, db, GOVERNOR, "benchmarks")
    assert status == EXIT_OK and len(public) > 0
    logged = _audit(db)
    assert logged[["actor_email", "event", "outcome"]].values.tolist() == [
        [ADMIN, "export", "ok"], [HEAD, "export", "ok"], [GOVERNOR, "export", "refused"],
        [GOVERNOR, "export", "ok"]]
    assert logged["detail"].tolist()[1] == "attainment as csv: 4 rows"


def test_uploads_each_role_sees(capsys, db, tmp_path):
    _run(capsys, db, HEAD, "import", str(_file(tmp_path, [100001])))
    status, out, _ = _run(capsys, db, ADMIN, "uploads", "--json")
    assert status == EXIT_OK and len(json.loads(out)) == 4
    status, out, _ = _run(capsys, db, HEAD, "uploads", "--json")
    mine = json.loads(out)
    assert status == EXIT_OK and [u["actor"] for u in mine] == ["Hal"]
    status, _, err = _run(capsys, db, GOVERNOR, "uploads")
    assert status == EXIT_REFUSED and "has no upload history" in err


def test_undo_only_by_the_uploader_or_an_admin(capsys, db, tmp_path):
    _run(capsys, db, HEAD, "import", str(_file(tmp_path, [100001])))
    with Store(db) as store:
        heads = int(store.scalar("SELECT max(upload_id) FROM uploads"))
    admins = 2  # the attainment loaded by the fixture, which includes School 100001
    status, _, err = _run(capsys, db, HEAD, "undo", str(admins))
    assert status == EXIT_REFUSED
    assert err.strip() == f"Only the person who made upload {admins} or an admin can undo it."
    status, _, err = _run(capsys, db, GOVERNOR, "undo", str(heads))
    assert status == EXIT_REFUSED and "governors read only" in err
    status, out, _ = _run(capsys, db, HEAD, "undo", str(heads))
    assert status == EXIT_OK and f"Undid upload {heads}" in out
    status, _, _ = _run(capsys, db, ADMIN, "undo", str(admins))
    assert status == EXIT_OK
    logged = _audit(db).query("event == 'undo'")
    assert logged[["actor_email", "outcome", "upload_id"]].values.tolist() == [
        [HEAD, "refused", admins], [GOVERNOR, "refused", heads], [HEAD, "ok", heads],
        [ADMIN, "ok", admins]]


def test_estimate_for_each_role(capsys, db):
    args = ("estimate", "--cohort", "Test Trust / Cohort A", "--measure", "ks2_rwm_exp",
            "--draws", "49", "--json")
    for who in (ADMIN, HEAD, GOVERNOR):
        status, out, err = _run(capsys, db, who, *args)
        assert status == EXIT_OK, err
        assert json.loads(out)["cohort"] == "Cohort A"


def test_estimate_of_a_partnership_not_yours_is_refused(capsys, tmp_path):
    path = tmp_path / "two.duckdb"
    with Store(path) as store:
        load(store, "schools", schools_frame(4, in_partnership=2))
        load(store, "schools", schools_frame(2, first_urn=200001, partnership="Other Trust",
                                             in_partnership=2), name="other.xlsx")
        accounts.add(store, DEMO_ADMIN, GOVERNOR, "governor", partnerships=["Test Trust"],
                     password=PASSWORD)
    status, _, err = _run(capsys, path, GOVERNOR, "estimate", "--cohort",
                          "Other Trust / Cohort A", "--measure", "ks2_rwm_exp")
    assert status == EXIT_REFUSED
    assert "Other Trust is not a partnership Gil is linked to" in err or \
        "is not a partnership" in err


@pytest.mark.parametrize("who", [HEAD, GOVERNOR])
def test_accounts_and_the_audit_log_are_for_admins_only(capsys, db, who):
    for args in (("users", "list"), ("users", "add", "x@trust.example", "--role", "admin"),
                 ("users", "reset", HEAD), ("users", "remove", GOVERNOR), ("audit",),
                 ("audit", "--format", "csv")):
        status, _, err = _run(capsys, db, who, *args)
        assert status == EXIT_REFUSED, args
        assert "Only an admin can" in err
    with Store(db) as store:
        assert len(accounts.accounts(store)) == 3


def test_an_admin_manages_accounts_and_reads_the_audit_log(capsys, db, tmp_path):
    status, out, _ = _run(capsys, db, ADMIN, "users", "add", "new@trust.example", "--role",
                          "head", "--school", "100002", "--school", "100003", "--name", "Neo")
    assert status == EXIT_OK and "Added new@trust.example as head." in out
    password = out.split("Password: ")[1].split()[0]
    with Store(db) as store:
        assert accounts.sign_in(store, "new@trust.example", password).ok
    status, out, _ = _run(capsys, db, ADMIN, "users", "list")
    assert "new@trust.example" in out and "(100002, 100003)" in out
    status, out, _ = _run(capsys, db, ADMIN, "users", "reset", "new@trust.example")
    assert status == EXIT_OK and "Password: " in out
    assert _run(capsys, db, ADMIN, "users", "remove", "new@trust.example")[0] == EXIT_OK
    status, out, _ = _run(capsys, db, ADMIN, "audit", "--json", "--limit", "3")
    events = [e["event"] for e in json.loads(out)]
    assert events == ["user_removed", "password_reset", "sign_in"]
    exported = tmp_path / "audit.xlsx"
    assert _run(capsys, db, ADMIN, "audit", "--out", str(exported))[0] == EXIT_OK
    sheet = pd.read_excel(exported, engine="calamine")
    assert {"When", "Who", "What", "Outcome", "File sha256"} <= set(sheet.columns)
    assert "Account added" in sheet["What"].tolist()
    assert _audit(db)["event"].tolist()[-1] == "audit_exported"


def test_a_password_can_be_given_on_standard_input_and_bad_ones_are_refused(capsys, db,
                                                                           monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    status, _, err = _run(capsys, db, ADMIN, "users", "add", "s@trust.example", "--role",
                          "admin", "--password-stdin")
    assert status == EXIT_UNUSABLE and "at least 10 characters" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough one\n"))
    status, out, _ = _run(capsys, db, ADMIN, "users", "add", "s@trust.example", "--role",
                          "admin", "--password-stdin")
    assert status == EXIT_OK and "Password:" not in out
    status, _, err = _run(capsys, db, ADMIN, "users", "add", "g@trust.example", "--role",
                          "governor", "--no-password")
    assert status == EXIT_UNUSABLE and "A governor is linked to a partnership" in err


def test_only_an_admin_may_replace_the_store_with_the_demo(capsys, db, tmp_path):
    status, _, err = _run(capsys, db, HEAD, "demo", "--force", "--dir", str(tmp_path / "d"))
    assert status == EXIT_REFUSED and "Only an admin can replace the whole data store" in err
    with Store(db) as store:
        assert accounts.account(store, HEAD) is not None, "nothing was replaced"


def test_benchmarks_import_needs_an_admin(capsys, db, tmp_path):
    path = tmp_path / "benchmarks.xlsx"
    path.write_bytes(xlsx_bytes("benchmarks", benchmarks_frame()))
    status, out, _ = _run(capsys, db, HEAD, "import", str(path), "--json")
    assert status == EXIT_REJECTED
    assert "Hal (head) cannot change national and local benchmark figures" in \
        json.loads(out)["errors"][0]["message"]
