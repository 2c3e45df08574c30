"""`python -m impact`, as documented: every command, its --help, its output and exit status.

Most tests call `impact.cli.main` in-process (fast, same code); a few run the real
`python -m impact` in a subprocess, to check what a shell sees: exit status, stdout, stderr.
Every command is given `--db` in a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from impact.cli import main
from impact.config import PROJECT_ROOT
from impact.store import Store
from tests.factories import (
    PNG_BYTES,
    attainment_frame,
    csv_bytes,
    schools_frame,
    xlsx_bytes,
)

COMMANDS = ("demo", "template", "import", "export", "uploads", "undo", "estimate", "users",
            "audit", "setup")
JSON_KEYS = {"status", "kind", "rows_added", "rows_updated", "rows_unchanged", "errors",
             "warnings", "upload_id"}


def _shell(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "impact", *(["--db", str(db)] if db else []), *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})


def _run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "cli.duckdb"


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    made = {
        "schools": tmp_path / "schools.xlsx",
        "attainment": tmp_path / "attainment.csv",
        "bad": tmp_path / "bad.xlsx",
        "image": tmp_path / "photo.xlsx",
    }
    made["schools"].write_bytes(xlsx_bytes("schools", schools_frame(4)))
    made["attainment"].write_bytes(csv_bytes(attainment_frame([100001, 100002],
                                                              range(2017, 2019))))
    bad = attainment_frame([100001, 999999], range(2018, 2019)).astype({"Value": object})
    bad.loc[0, "Value"] = "lots"
    made["bad"].write_bytes(xlsx_bytes("attainment", bad))
    made["image"].write_bytes(PNG_BYTES)
    return made


# --- help -----------------------------------------------------------------------------------

def test_help_lists_every_command():
    done = _shell("--help")
    assert done.returncode == 0
    for command in COMMANDS:
        assert command in done.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys, command):
    status, out, _ = _run(capsys, command, "--help")
    assert status == 0
    assert out.startswith(f"usage: python -m impact {command}")
    assert "--db" in out and "--as" in out


def test_an_unusable_command_exits_2(capsys):
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["template", "pupils", "--out", "x.xlsx"]) == 2
    assert main(["undo", "first"]) == 2
    assert "invalid choice" in capsys.readouterr().err


# --- template -------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["schools", "attainment", "ofsted", "cpd", "benchmarks"])
def test_template_writes_the_kinds_workbook(capsys, tmp_path, kind):
    out = tmp_path / "sub" / f"{kind}.xlsx"
    status, printed, _ = _run(capsys, "template", kind, "--out", str(out))
    assert status == 0 and str(out) in printed
    book = load_workbook(out)
    assert {"Data", "Instructions"} <= set(book.sheetnames)


# --- import ---------------------------------------------------------------------------------

def test_import_json_accepted_then_unchanged(files, db):
    done = _shell("import", str(files["schools"]), "--json", db=db)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= JSON_KEYS
    assert (result["status"], result["kind"], result["rows_added"], result["errors"]) == (
        "accepted", "schools", 8, [])
    assert isinstance(result["upload_id"], int)

    done = _shell("import", str(files["attainment"]), "--json", db=db)
    first = json.loads(done.stdout)
    assert (first["status"], first["kind"], first["rows_added"]) == ("accepted", "attainment", 4)
    again = json.loads(_shell("import", str(files["attainment"]), "--json", db=db).stdout)
    assert (again["rows_added"], again["rows_updated"], again["rows_unchanged"]) == (0, 0, 4)
    assert again["upload_id"] == first["upload_id"] + 1


def test_import_rejected_reports_every_error_and_exits_1(files, db, capsys):
    assert main(["--db", str(db), "import", str(files["schools"])]) == 0
    capsys.readouterr()
    status, out, _ = _run(capsys, "--db", str(db), "import", str(files["bad"]), "--json")
    assert status == 1
    result = json.loads(out)
    assert (result["status"], result["kind"], result["upload_id"]) == (
        "rejected", "attainment", None)
    assert [(e["row"], e["column"], e["value"]) for e in result["errors"]] == [
        (2, "Value", "lots"), (3, "URN", "999999")]
    assert all(set(e) == {"row", "column", "value", "message"} for e in result["errors"])
    assert result["errors"][0]["message"].startswith("expected a number")
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM attainment") == 0


def test_import_dry_run_writes_nothing(files, db, capsys):
    main(["--db", str(db), "import", str(files["schools"])])
    capsys.readouterr()
    status, out, _ = _run(capsys, "--db", str(db), "import", str(files["attainment"]),
                          "--dry-run", "--json")
    assert status == 0
    result = json.loads(out)
    assert (result["status"], result["rows_added"], result["upload_id"]) == ("dry-run", 4, None)
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM attainment") == 0
        assert store.scalar("SELECT count(*) FROM uploads") == 1


def test_an_unreadable_file_exits_2_with_the_sentence(files, db):
    done = _shell("import", str(files["image"]), "--json", db=db)
    assert done.returncode == 2
    result = json.loads(done.stdout)
    assert result["status"] == "rejected"
    assert result["errors"] == [{"row": None, "column": None, "value": None, "message":
                                 "photo.xlsx is a PNG image, not a spreadsheet. Upload the "
                                 ".xlsx or .csv file itself (download a template from this "
                                 "page if you need one)."}]
    assert "Traceback" not in done.stderr


def test_a_missing_file_exits_2(db, capsys, tmp_path):
    status, out, _ = _run(capsys, "--db", str(db), "import", str(tmp_path / "nope.csv"))
    assert status == 2
    assert "There is no file" in out


def test_import_several_files_prints_a_list_and_the_worst_status(files, db, capsys):
    status, out, _ = _run(capsys, "--db", str(db), "import", str(files["schools"]),
                          str(files["attainment"]), str(files["bad"]), "--json")
    assert status == 1
    results = json.loads(out)
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]


def test_import_with_a_kind_and_human_output(files, db, capsys):
    status, out, _ = _run(capsys, "--db", str(db), "import", str(files["schools"]),
                          "--kind", "schools")
    assert status == 0
    assert out.splitlines()[:2] == [
        "schools.xlsx: accepted as schools",
        "  rows added 8, updated 0, unchanged 0 (upload 1)"]
    status, out, _ = _run(capsys, "--db", str(db), "import", str(files["bad"]))
    assert status == 1
    assert "  error: row 2, column 'Value', value 'lots': expected a number" in out


def test_the_db_option_may_follow_the_command(files, db, capsys):
    status, _, _ = _run(capsys, "import", str(files["schools"]), "--db", str(db))
    assert status == 0
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM schools") == 4


# --- export, uploads, undo ------------------------------------------------------------------

def test_export_then_import_via_the_cli_changes_nothing(files, db, capsys, tmp_path):
    main(["--db", str(db), "import", str(files["schools"]), str(files["attainment"])])
    capsys.readouterr()
    status, out, _ = _run(capsys, "--db", str(db), "export", "attainment")
    assert status == 0 and out.startswith("URN,School,Academic year,Term,Measure")
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"out.{fmt}"
        assert main(["--db", str(db), "export", "attainment", "--out", str(target)]) == 0
        assert target.read_bytes().startswith(b"PK" if fmt == "xlsx" else b"\xef\xbb\xbfURN")
        status, out, _ = _run(capsys, "--db", str(db), "import", str(target), "--json")
        result = json.loads(out)
        assert (result["rows_added"], result["rows_updated"], result["rows_unchanged"]) == (
            0, 0, 4)
    target = tmp_path / "named.csv"
    assert main(["--db", str(db), "export", "cpd", "--out", str(target), "--format",
                 "xlsx"]) == 0
    assert target.read_bytes().startswith(b"PK")


def test_uploads_lists_and_undo_takes_back(files, db, capsys):
    status, out, _ = _run(capsys, "--db", str(db), "uploads")
    assert (status, out) == (0, "No uploads yet.\n")
    main(["--db", str(db), "import", str(files["schools"]), str(files["attainment"])])
    capsys.readouterr()
    status, out, _ = _run(capsys, "--db", str(db), "uploads", "--json")
    listed = json.loads(out)
    assert [(u["upload_id"], u["kind"], u["status"], u["rows_added"]) for u in listed] == [
        (2, "attainment", "accepted", 4), (1, "schools", "accepted", 8)]
    status, out, _ = _run(capsys, "--db", str(db), "uploads")
    assert "attainment.csv" in out.splitlines()[0] and "+4" in out.splitlines()[0]

    status, out, _ = _run(capsys, "--db", str(db), "undo", "2")
    assert (status, out) == (0, "Undid upload 2: 4 rows put back as they were.\n")
    status, _, err = _run(capsys, "--db", str(db), "undo", "2")
    assert (status, err) == (1, "Upload 2 has already been undone.\n")
    status, _, err = _run(capsys, "--db", str(db), "undo", "99")
    assert (status, err) == (1, "There is no upload number 99.\n")
    listed = json.loads(_run(capsys, "--db", str(db), "uploads", "--json")[1])
    assert listed[0]["status"] == "undone"


def test_undo_refused_when_a_later_upload_changed_the_rows(files, db, capsys, tmp_path):
    main(["--db", str(db), "import", str(files["schools"]), str(files["attainment"])])
    corrected = attainment_frame([100001, 100002], range(2017, 2019), seed=9)
    later = tmp_path / "later.csv"
    later.write_bytes(csv_bytes(corrected))
    main(["--db", str(db), "import", str(later)])
    capsys.readouterr()
    status, _, err = _run(capsys, "--db", str(db), "undo", "2")
    assert status == 1
    assert err.startswith("Upload 2 cannot be undone on its own: upload 3 (later.csv, ")
    assert "afterwards sent 4 of the same attainment figures, changing them." in err
    assert "Undo upload 3, then upload 2;" in err


def test_a_file_that_cannot_be_written_is_a_plain_message(capsys):
    status, _, err = _run(capsys, "template", "cpd", "--out", "/proc/impact-test/cpd.xlsx")
    assert status == 2
    assert err.startswith("Could not use the file /proc/impact-test")


# --- demo -----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not (PROJECT_ROOT / "impact" / "demo.py").exists(),
                    reason="impact/demo.py is not written yet")
def test_demo_builds_once_and_rebuilds_only_when_forced(tmp_path):
    db = tmp_path / "demo.duckdb"
    Store(db).close()  # an existing (empty) store: demo leaves it alone without --force
    done = _shell("demo", "--dir", str(tmp_path / "sheets"), db=db)
    assert done.returncode == 0
    assert "already exists; use --force" in done.stdout
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM uploads") == 0
    done = _shell("demo", "--force", "--dir", str(tmp_path / "sheets"), db=db)
    assert done.returncode == 0, done.stderr
    assert any((tmp_path / "sheets").glob("*.xlsx"))
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM schools") > 0
        assert store.scalar("SELECT count(*) FROM uploads WHERE status = 'accepted'") > 0
