"""Upload: templates, a file's problems as a table, the preview of what will change, confirm,
history, the original file, undo — each through the real page and a real store."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.importing.templates import template_kinds
from tests.factories import PNG_BYTES, load, xls_bytes
from tests.pages.helpers import (
    ROOT,
    TRUST,
    attainment_xlsx,
    figure,
    open_app,
    rwm_frame,
    table_with,
    texts,
    upload,
    weighted_mean,
)

UPLOAD = "app_pages/upload.py"
NEW_YEAR = {2018: {100001: 80.0, 100002: 60.0, 100003: 72.0},  # as stored: unchanged
            2021: {100001: 30.0, 100002: 40.0, 100003: 50.0}}  # new


def _counts(at) -> pd.DataFrame:
    return table_with(at, "What", "New", "Changed", "Already stored, no change")


def test_every_template_can_be_downloaded(app_store):
    at = open_app(UPLOAD)
    labels = [b.label for b in at.download_button]
    for kind in template_kinds().values():
        assert kind.label in labels


def test_a_file_with_problems_lists_each_by_row_column_and_value_and_saves_nothing(app_store):
    frame = rwm_frame({2021: {100001: 50.0, 100002: 60.0, 100003: 70.0}})
    frame.loc[1, "Value"] = "sixty"
    frame.loc[2, "URN"] = 999999
    rows_before = app_store.scalar("SELECT count(*) FROM attainment")
    at = upload(open_app(UPLOAD), "returns.xlsx", attainment_xlsx(frame))
    assert "has 2 problems to fix. Nothing was saved." in at.error[0].value
    problems = table_with(at, "Row", "Column", "Value", "Problem")
    by_row = {int(r["Row"]): r for _, r in problems.iterrows()}
    assert by_row[3]["Column"] == "Value" and by_row[3]["Value"] == "sixty"
    assert by_row[4]["Column"] == "URN" and by_row[4]["Value"] == "999999"
    assert "no school with this URN" in by_row[4]["Problem"]
    assert not [b for b in at.button if b.key == "upload_confirm"]
    assert app_store.scalar("SELECT count(*) FROM attainment") == rows_before


@pytest.mark.parametrize(("name", "data", "words"), [
    ("photo.png", PNG_BYTES, "a PNG image, not a spreadsheet"),
    ("old.xls", xls_bytes(), "Save As"),
])
def test_a_file_that_is_not_a_spreadsheet_gets_our_sentence(app_store, name, data, words):
    at = upload(open_app(UPLOAD), name, data, "application/octet-stream")
    assert words in at.error[0].value
    assert "Nothing was saved." in texts(at.markdown)


def test_a_good_file_is_previewed_then_saved_and_the_overview_changes(app_store):
    at = upload(open_app(UPLOAD), "summer.xlsx", attainment_xlsx(rwm_frame(NEW_YEAR)))
    counts = _counts(at)
    assert counts.iloc[0].tolist() == ["Attainment figures", 3, 0, 3]
    assert app_store.scalar("SELECT count(*) FROM attainment WHERE academic_year = '2021/22'") == 0
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    success = at.success[0].value
    assert success.startswith("Saved summer.xlsx as upload ") and "3 new" in success
    assert at.get("page_link")[0].proto.label == "See the Overview"
    assert at.file_uploader[0].value is None, "the chooser is ready for the next file"
    assert app_store.scalar("SELECT count(*) FROM attainment WHERE academic_year = '2021/22'") == 3
    history = table_with(at, "Upload", "File", "Status")
    assert history.iloc[0][["File", "New", "Status"]].tolist() == ["summer.xlsx", 3, "Saved"]

    at.switch_page("app_pages/overview.py").run()
    trust = [t for t in figure(at, "overview")["data"] if t["name"] == TRUST][0]
    assert trust["x"][-1] == "2021/22"
    expected = (30 * 10 + 40 * 30 + 50 * 60) / 100
    assert trust["y"][-1] == pytest.approx(expected)
    assert trust["y"][2] == pytest.approx(weighted_mean(2018))


def test_the_preview_shows_each_changed_value_before_and_after(app_store):
    corrected = {2018: {100001: 80.0, 100002: 66.0, 100003: 72.0}}
    at = upload(open_app(UPLOAD), "fix.xlsx", attainment_xlsx(rwm_frame(corrected)))
    assert _counts(at).iloc[0].tolist() == ["Attainment figures", 0, 1, 2]
    changed = table_with(at, "Which row", "Column", "Before", "After")
    assert len(changed) == 1
    row = changed.iloc[0]
    assert "100002" in row["Which row"] and "2018/19" in row["Which row"]
    assert (row["Column"], float(row["Before"]), float(row["After"])) == ("Value", 60.0, 66.0)


def test_a_file_with_nothing_new_has_nothing_to_confirm(app_store):
    same = {2018: {100001: 80.0, 100002: 60.0, 100003: 72.0}}
    at = upload(open_app(UPLOAD), "again.xlsx", attainment_xlsx(rwm_frame(same)))
    assert any("nothing to save" in t for t in texts(at.info))
    assert not [b for b in at.button if b.key == "upload_confirm"]


def test_a_preview_overtaken_by_another_upload_is_not_saved(app_store):
    at = upload(open_app(UPLOAD), "mine.xlsx", attainment_xlsx(rwm_frame(NEW_YEAR)))
    assert _counts(at).iloc[0]["New"] == 3
    other = {2021: {100001: 31.0, 100002: 41.0, 100003: 51.0}}
    with app_store.open() as store:
        load(store, "attainment", rwm_frame(other), name="theirs.xlsx")
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert "another upload changed some of the same rows" in at.warning[0].value
    assert app_store.scalar("SELECT count(*) FROM uploads WHERE file_name = 'mine.xlsx'") == 0
    assert app_store.scalar(
        "SELECT value FROM attainment WHERE urn = 100001 AND academic_year = '2021/22'") == 31.0
    # The file is checked again against the store as it is now: 3 figures would change.
    assert _counts(at).iloc[0].tolist() == ["Attainment figures", 0, 3, 3]


def test_undo_from_history_puts_the_figures_back(app_store):
    at = upload(open_app(UPLOAD), "summer.xlsx", attainment_xlsx(rwm_frame(NEW_YEAR)))
    at.button(key="upload_confirm").click().run()
    upload_id = app_store.scalar("SELECT max(upload_id) FROM uploads")
    assert at.selectbox(key="history_choice").value == upload_id
    assert at.button(key="undo_button").disabled, "undo needs the box ticked first"
    at.checkbox(key=f"undo_sure_{upload_id}").check().run()
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert f"Upload {upload_id} was undone: 3 rows put back as they were." in texts(at.success)
    assert app_store.scalar("SELECT count(*) FROM attainment WHERE academic_year = '2021/22'") == 0
    history = table_with(at, "Upload", "Status")
    assert history.iloc[0]["Status"] == "Undone"
    assert f"Upload {upload_id} has already been undone." in texts(at.markdown)
    at.switch_page("app_pages/overview.py").run()
    assert figure(at, "overview")["data"][-1]["x"][-1] == "2018/19"


def test_undo_refused_when_a_later_upload_changed_the_same_rows(app_store):
    with app_store.open() as store:
        first = load(store, "attainment", rwm_frame({2018: {100002: 61.0}}, {100002: 30}))
        load(store, "attainment", rwm_frame({2018: {100002: 62.0}}, {100002: 30}))
    at = open_app(UPLOAD)
    at.selectbox(key="history_choice").set_value(first.upload_id).run()
    at.checkbox(key=f"undo_sure_{first.upload_id}").check().run()
    at.button(key="undo_button").click().run()
    assert not at.exception
    message = at.error[0].value
    assert f"Upload {first.upload_id} cannot be undone on its own" in message
    assert not message.startswith(("'", '"'))
    assert app_store.scalar(
        "SELECT value FROM attainment WHERE urn = 100002 AND academic_year = '2018/19'") == 62.0


def test_the_original_file_of_an_upload_can_be_downloaded(app_store):
    at = open_app(UPLOAD)
    assert at.download_button(key="history_download").label == \
        "Download the file as it was uploaded"
    history = table_with(at, "Upload", "File")
    assert len(history) == app_store.scalar("SELECT count(*) FROM uploads")


def test_a_head_uploading_another_schools_figures_is_told_row_by_row(app_store):
    at = open_app(UPLOAD, user="head")  # the head of School 100001
    assert "Signed in as **Hal Head**, head" in " ".join(texts(at.sidebar.caption))
    at = upload(at, "summer.xlsx", attainment_xlsx(rwm_frame(NEW_YEAR)))
    problems = table_with(at, "Row", "Column", "Value", "Problem")
    # Rows 2 and 5 are the head's own school; the rest name the school they are for.
    assert sorted(problems["Row"].tolist()) == [3, 4, 6, 7]
    assert all(p.startswith(("this row is for School 100002 (URN 100002): Hal Head can upload "
                             "figures only for their own school",
                             "this row is for School 100003 (URN 100003)"))
               for p in problems["Problem"]), problems["Problem"].tolist()
    assert app_store.scalar("SELECT count(*) FROM attainment WHERE academic_year = '2021/22'") == 0


REALDATA = ROOT.parent / "shared" / "realdata"


def test_a_public_file_asks_its_choices_and_previews_with_them(app_store):
    """A real GIAS links file (the Surrey rows): its options appear as questions with choices
    read from the file, and the preview follows the choice."""
    lines = (REALDATA / "gias_group_links_resaved.csv").read_text(encoding="utf-8").splitlines()
    surrey = "\n".join([lines[0], *[ln for ln in lines[1:] if ln.endswith(",Surrey")][:40]])
    at = upload(open_app(UPLOAD), "links.csv", surrey.encode("utf-8"), "text/csv")
    questions = {m.label: m for m in at.multiselect}
    assert set(questions) == {"Trusts and groups to bring in", "Group types", "Local authorities"}
    assert questions["Local authorities"].options == ["Surrey"]
    assert "nothing to bring in by default" in table_with(at, "Problem")["Problem"][0]
    group = questions["Trusts and groups to bring in"].options[0]
    questions["Trusts and groups to bring in"].select(group)
    [b for b in at.button if b.label == "Check the file with these choices"][0].click().run()
    assert not at.exception
    counts = _counts(at).set_index("What")
    assert counts.loc["Partnerships", "New"] == 1
    assert counts.loc["Memberships", "New"] >= 1


def test_a_performance_table_previews_schools_results_and_england(app_store):
    data = (REALDATA / "ks2_2018-19_936_surrey.csv").read_bytes()
    at = upload(open_app(UPLOAD), "ks2_2018-19_936_surrey.csv", data, "text/csv")
    assert [t.label for t in at.text_input] == ["Academic year"]
    counts = _counts(at).set_index("What")
    assert counts.loc["Attainment figures", "New"] > 1000
    assert any("never as 0" in w for w in texts(at.warning))
