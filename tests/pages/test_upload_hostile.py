"""The Upload page against hostile files: each refused with its sentence and "Nothing was
saved.", the store exactly as it was; odd-but-legitimate names imported as text; the upload
limit is one number for the importer and for Streamlit's file chooser and server; and a
checked file is not held in the session once it is saved or found to hold nothing new.
"""

from __future__ import annotations

import pickle
from functools import cache

import pytest
import streamlit as st

from impact.importing.limits import limits
from tests.factories import csv_rows_bytes, snapshot
from tests.importing.hostile_files import CORPUS, ODD_NAMES, odd_schools_csv
from tests.pages.helpers import open_app, rwm_frame, texts, upload
from tests.reports.test_text import rendered_text

UPLOAD = "app_pages/upload.py"


@cache
def _bytes(code: str) -> bytes:
    return next(h for h in CORPUS if h.code == code).data()


def _state(app_store) -> tuple[dict, tuple]:
    with app_store.open() as store:
        return snapshot(store), store.revision()


@pytest.mark.parametrize("case", CORPUS, ids=[h.code for h in CORPUS])
def test_each_hostile_file_is_refused_with_its_sentence_and_nothing_saved(app_store, case):
    before = _state(app_store)
    at = upload(open_app(UPLOAD), case.name, _bytes(case.code), "application/octet-stream")
    errors = [rendered_text(e) for e in texts(at.error)]  # what a reader sees
    assert len(errors) == 1, errors
    for words in case.says:
        assert words in errors[0], (words, errors[0])
    assert "Nothing was saved." in texts(at.markdown)
    assert not [b for b in at.button if b.key == "upload_confirm"]
    assert _state(app_store) == before
    # The page still works for the next person's next click.
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception


def test_odd_names_are_imported_as_text(app_store):
    at = upload(open_app(UPLOAD), "odd.csv", odd_schools_csv(), "text/csv")
    assert not texts(at.error), texts(at.error)
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved odd.csv as upload ")
    with app_store.open() as store:
        names = store.query("SELECT name FROM schools WHERE urn BETWEEN 100001 AND 100004 "
                            "ORDER BY urn")["name"].tolist()
        assert names == ODD_NAMES
        assert store.scalar("SELECT count(*) FROM attainment") > 0


# --- one upload limit -----------------------------------------------------------------------

@pytest.fixture
def _restore_streamlit_upload_limit():
    before = st.get_option("server.maxUploadSize")
    yield
    from streamlit import config

    config.set_option("server.maxUploadSize", before)


@pytest.mark.usefixtures("_restore_streamlit_upload_limit")
@pytest.mark.parametrize("setting", [None, "3"])
def test_the_chooser_and_the_server_use_the_importers_upload_limit(app_store, monkeypatch,
                                                                   setting):
    if setting:
        monkeypatch.setenv("IMPACT_LIMIT_UPLOAD_MB", setting)
    expected = int(setting) if setting else 50
    assert limits().upload_mb == expected
    at = open_app(UPLOAD)
    assert at.file_uploader[0].proto.max_upload_size_mb == expected
    assert st.get_option("server.maxUploadSize") == expected  # what the server receives
    assert f"Up to {expected:,} MB" in at.file_uploader[0].help


def test_the_streamlit_config_file_has_the_same_default():
    import tomllib

    from tests.pages.helpers import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == limits().upload_mb == 50


# --- what the session holds -------------------------------------------------------------------

def _held(at) -> dict[str, int]:
    """Bytes each session value takes (pickled): what the server keeps for this person."""
    return {key: len(pickle.dumps(value)) for key, value in at.session_state.to_dict().items()}


def _big_return(values: dict[int, dict[int, float]]) -> bytes:
    """An attainment return padded with a notes column to about 2.7 MB."""
    frame = rwm_frame(values)
    frame["Notes"] = ["x" * 900_000] * len(frame)
    return csv_rows_bytes([list(frame.columns), *frame.values.tolist()])


def test_a_file_with_nothing_new_is_not_held_after_saying_so(app_store):
    data = _big_return({2018: {100001: 80.0, 100002: 60.0, 100003: 72.0}})  # as stored
    at = upload(open_app(UPLOAD), "again.csv", data, "text/csv")
    assert texts(at.info) == ["Everything in again.csv (3 rows) is already stored, so there "
                              "is nothing to save."]
    held = _held(at)
    assert "upload_plan" not in held
    assert at.file_uploader[0].value is None
    assert sum(held.values()) < 20_000, held  # the file was 2.7 MB
    at.run()  # the message is said once
    assert not texts(at.info)


def test_a_saved_file_is_not_held_and_a_waiting_one_is_held_once(app_store):
    data = _big_return({2021: {100001: 30.0, 100002: 40.0, 100003: 50.0}})
    at = upload(open_app(UPLOAD), "new.csv", data, "text/csv")
    held = _held(at)
    # Waiting for "Confirm and save": the chooser holds the file; the plan holds its rows,
    # not a second copy of the bytes.
    assert held["upload_plan"] < 20_000
    assert sum(held.values()) < len(data) + 40_000
    at.button(key="upload_confirm").click().run()
    assert at.success[0].value.startswith("Saved new.csv as upload ")
    held = _held(at)
    assert "upload_plan" not in held and sum(held.values()) < 20_000, held
    with app_store.open() as store:  # the original file is kept, byte for byte
        kept = store.scalar("SELECT content FROM upload_files f JOIN uploads u USING (sha256) "
                            "WHERE u.file_name = 'new.csv'")
    assert bytes(kept) == data
