"""Every hostile file in the corpus, the whole way in through the command line: refused with
its sentence (naming the limit), exit status 2, and the store exactly as it was. And the
unpleasant-but-legitimate files (names that look like Markdown, HTML, SQL or a formula) are
imported, as text, character for character.

Each file goes through `impact.cli.main` (the CLI's own code, in this process: fast), and the
whole corpus once more through a real `python -m impact import` in a subprocess, as a shell
sees it. The Upload page's tests are in tests/pages/test_upload_hostile.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from impact.cli import main
from impact.config import PROJECT_ROOT
from impact.store import Store
from tests.factories import loaded_store, snapshot
from tests.importing.hostile_files import (
    CORPUS,
    ODD_NAMES,
    Hostile,
    odd_schools_csv,
    odd_schools_xlsx,
)


@cache
def _bytes(code: str) -> bytes:
    return next(h for h in CORPUS if h.code == code).data()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "base.duckdb"
    with Store(path) as store:
        loaded_store(store)
    return path


@pytest.fixture
def db(base_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    path.write_bytes(base_store.read_bytes())
    return path


def _state(db: Path) -> tuple[dict, tuple]:
    with Store(db) as store:
        return snapshot(store), store.revision()


def _write(tmp_path: Path, case: Hostile) -> Path:
    path = tmp_path / case.name
    path.write_bytes(_bytes(case.code))
    return path


@pytest.mark.parametrize("case", CORPUS, ids=[h.code for h in CORPUS])
def test_each_hostile_file_is_refused_by_the_cli_and_changes_nothing(case, db, tmp_path, capsys):
    path = _write(tmp_path, case)
    before = _state(db)
    status = main(["--db", str(db), "import", str(path)])
    out, err = capsys.readouterr()
    assert status == 2, out + err
    assert out.startswith(f"{case.name}: rejected")
    error_lines = [line for line in out.splitlines() if line.startswith("  error: ")]
    assert len(error_lines) == 1, out
    for words in case.says:
        assert words in error_lines[0], (words, error_lines[0])
    assert _state(db) == before


@pytest.mark.parametrize("case", CORPUS[:3], ids=[h.code for h in CORPUS[:3]])
def test_the_json_output_gives_the_same_sentence(case, db, tmp_path, capsys):
    path = _write(tmp_path, case)
    assert main(["--db", str(db), "import", "--json", str(path)]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "rejected" and result["rows_added"] == 0
    assert all(words in result["errors"][0]["message"] for words in case.says)


def test_a_real_shell_sees_every_refusal_and_status_2(db, tmp_path):
    paths = []
    for case in CORPUS:
        folder = tmp_path / case.code
        folder.mkdir()
        paths.append(_write(folder, case))
    before = _state(db)
    done = subprocess.run(
        [sys.executable, "-m", "impact", "--db", str(db), "import", *map(str, paths)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.returncode == 2, done.stdout + done.stderr
    for case in CORPUS:
        assert f"{case.name}: rejected" in done.stdout
        for words in case.says:
            assert words in done.stdout, (case.code, words)
    assert "Traceback" not in done.stderr
    assert _state(db) == before


@pytest.mark.parametrize(("name", "make"), [("odd.csv", odd_schools_csv),
                                            ("odd.xlsx", odd_schools_xlsx)])
def test_names_that_look_like_markdown_html_sql_or_formulas_are_imported_as_text(
        name, make, db, tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(make())
    status = main(["--db", str(db), "import", "--kind", "schools", str(path)])
    out = capsys.readouterr().out
    assert status == 0, out
    with Store(db) as store:
        stored = store.query("SELECT urn, name FROM schools WHERE urn BETWEEN 100001 AND 100004 "
                             "ORDER BY urn")
        assert stored["name"].tolist() == ODD_NAMES
        # The SQL-looking name was a name, not a statement: attainment is all still there.
        assert store.scalar("SELECT count(*) FROM attainment") > 0
