"""Scoping a public file on the Upload page, with the real West Midlands Ofsted file: the
choice of schools is asked before anything is written, the preview says what is kept, and the
next public file suggests the same choice."""

from __future__ import annotations

from impact.importing.public import scope
from tests.importing.public.published_files import OFSTED_RESAVED
from tests.pages.helpers import open_app, table_with, texts, upload

UPLOAD = "app_pages/upload.py"
SCOPE_KEY = "upload_option_ofsted_mi_scope"
LAS_KEY = "upload_option_ofsted_mi_scope_local_authorities"


def test_keep_one_local_authority_then_the_choice_is_suggested_again(empty_store):
    data = OFSTED_RESAVED.read_bytes()
    at = upload(open_app(UPLOAD), OFSTED_RESAVED.name, data, "text/csv")
    assert at.selectbox(key=SCOPE_KEY).options == list(scope.SCOPES.values())
    assert "Shropshire" in at.multiselect(key=LAS_KEY).options
    at.selectbox(key=SCOPE_KEY).select(scope.SCOPES["local_authorities"])
    at.multiselect(key=LAS_KEY).select("Shropshire")
    next(b for b in at.button if b.label == "Check the file with these choices").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kept = [t for t in texts(at.info) if t.startswith("Keeping schools in Shropshire")]
    assert kept and "of the 1,605 schools in the file" in kept[0]
    counts = table_with(at, "What", "New", "Changed").set_index("What")
    kept_schools = int(kept[0].split(": ")[1].split(" of")[0].replace(",", ""))
    assert counts.loc["Schools", "New"] == kept_schools < 200
    assert empty_store.scalar("SELECT count(*) FROM schools") == 0, "nothing written yet"
    at.button(key="upload_confirm").click().run()
    assert at.success and empty_store.scalar("SELECT count(*) FROM schools") == kept_schools
    with empty_store.open() as store:
        las = set(store.query("SELECT DISTINCT local_authority FROM schools")["local_authority"])
    assert las == {"Shropshire"}

    again = upload(open_app(UPLOAD), OFSTED_RESAVED.name, data, "text/csv")
    assert again.selectbox(key=SCOPE_KEY).value == scope.SCOPES["local_authorities"]
    assert again.multiselect(key=LAS_KEY).value == ["Shropshire"]
    # with that choice nothing is new; the file stays, so another choice can keep more
    assert any("With these choices, everything in" in t for t in texts(again.info))
    assert not [b for b in again.button if b.key == "upload_confirm"]
