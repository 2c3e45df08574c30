"""Names that look like Markdown, HTML or SQL are shown as typed on every page, never as a
link, an image or markup, and stored as plain text.

The store is built through the import path with schools, a partnership, a cohort and uploaded
files named as an attacker would name them (`tests/hostile_names.py`). Every Markdown element
each page renders is parsed with an independent CommonMark parser (GitHub's extensions and
bare links on): no link to the attacker's address, no image, no HTML tag from a name; every
Plotly figure is searched for `<a` and `<img`; and the names read back as their own text where
the page shows them.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from impact.reports.text import JOINER, markdown_text, plotly_text
from impact.store import Store
from tests.factories import attainment_frame
from tests.hostile_names import (
    ANCHOR,
    BOLD,
    COHORT,
    FILES,
    FIRST,
    FOCUS,
    HTML,
    IMAGE,
    LINK,
    NAMES,
    PARTNERSHIP,
    SQL,
    URNS,
    build_hostile_store,
)
from tests.pages.helpers import attainment_xlsx, open_app, table_with, upload
from tests.reports.test_text import REMARK_AUTOLINKS

_MD = MarkdownIt("gfm-like")
_MD.linkify.set({"fuzzy_link": False})  # as GitHub and Streamlit: "evil.com" alone is text


@pytest.fixture
def hostile_store(_isolated_store_path: Path) -> Path:
    build_hostile_store(_isolated_store_path)
    return _isolated_store_path


# --- what a page rendered -------------------------------------------------------------------

def _markdown_values(at: Any) -> list[str]:
    """The body of every element Streamlit renders as Markdown (titles, text, captions,
    alerts, badges), and the labels it renders as Markdown (expanders, metrics)."""
    values = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        values += [e.value for e in getattr(at, kind)]
    values += [e.label for e in at.expander] + [e.label for e in at.metric]
    return values


def _tokens(markdown: str) -> list:
    out = []
    for token in _MD.parse(markdown):
        out.append(token)
        out.extend(token.children or ())
    return out


def _rendered(markdown: str) -> str:
    """The text a reader sees (inline text, and the text inside a page's own HTML)."""
    parts = []
    for token in _tokens(markdown):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("html_block", "html_inline"):
            parts.append(html.unescape(re.sub(r"<[^>]*>", "", token.content)))
    return "".join(parts).replace(JOINER, "").strip()  # invisible: see markdown_text


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _figure_strings(at: Any) -> list[str]:
    return [s for chart in at.get("plotly_chart") for s in _strings(json.loads(chart.proto.spec))]


def assert_nothing_from_a_name_is_markup(at: Any) -> list[str]:
    """No link to the attacker, no image, no HTML tag from a name anywhere on the page, in
    Markdown or in a figure; returns the page's rendered texts."""
    assert not at.exception, [e.value for e in at.exception]
    values = _markdown_values(at)
    assert values, "the page rendered nothing to check"
    for value in values:
        for token in _tokens(value):
            assert token.type != "image", value
            if token.type == "link_open":
                assert "evil" not in str(token.attrGet("href")), value
            if token.type in ("html_block", "html_inline"):
                assert not re.search(r"<\s*(a|img)\b", token.content, re.I), value
        text = "".join(t.content for t in _tokens(value) if t.type == "text")
        for pattern in REMARK_AUTOLINKS:  # what Streamlit links up after reading the text
            assert not pattern.search(text), value
    strings = _figure_strings(at)
    for text in strings:
        assert not re.search(r"<\s*(a|img)\b", text, re.I), text
        assert "%{" not in text or text in ("%{y}: %{z} schools %{x}<extra></extra>",
                                             "%{text}"), text
    return [_rendered(v) for v in values]


# --- the pages ------------------------------------------------------------------------------

def test_the_store_holds_every_name_as_typed_and_is_intact(hostile_store):
    with Store(hostile_store) as store:
        names = dict(store.query("SELECT urn, name FROM schools").itertuples(index=False))
        assert {names[u]: u for u in names} == URNS
        assert store.scalar("SELECT count(*) FROM attainment") == len(NAMES) * 7
        assert store.scalar("SELECT partnership FROM partnerships") == PARTNERSHIP
        assert store.scalar("SELECT DISTINCT cohort FROM cohorts") == COHORT
        files = set(store.query("SELECT file_name FROM uploads")["file_name"])
        assert files == set(FILES.values())


def test_overview_shows_the_partnership_name_as_text(hostile_store):
    at = open_app("app_pages/overview.py")
    texts = assert_nothing_from_a_name_is_markup(at)
    assert at.title[0].value == markdown_text(PARTNERSHIP)
    assert texts[0] == PARTNERSHIP
    assert at.get("plotly_chart"), "the overview drew its charts"


def test_overview_of_the_cohort(hostile_store):
    at = open_app("app_pages/overview.py", query={"cohort": COHORT})
    texts = assert_nothing_from_a_name_is_markup(at)
    assert texts[0] == f"{COHORT} ({PARTNERSHIP})"


def test_cohorts_shows_the_cohort_and_partnership_as_text(hostile_store):
    at = open_app("app_pages/cohorts.py")
    texts = assert_nothing_from_a_name_is_markup(at)
    assert any(PARTNERSHIP in t for t in texts)
    cohorts = table_with(at, "Cohort", "Focus")
    assert cohorts["Cohort"].tolist() == [COHORT] and cohorts["Focus"].tolist() == [FOCUS]


def test_one_cohort_with_its_estimate_and_command(hostile_store):
    at = open_app("app_pages/cohorts.py", query={"cohort": COHORT})
    texts = assert_nothing_from_a_name_is_markup(at)
    assert texts[0] == COHORT
    command = next(t for t in texts if "python -m impact estimate" in t)
    assert f'--cohort "{PARTNERSHIP} / {COHORT}"' in command
    assert at.get("plotly_chart")


@pytest.mark.parametrize("name", NAMES)
def test_each_school_page_shows_its_name_as_text(hostile_store, name):
    at = open_app("app_pages/schools.py", query={"school": str(URNS[name])})
    texts = assert_nothing_from_a_name_is_markup(at)
    assert at.title[0].value == markdown_text(name)
    assert texts[0] == name
    figures = _figure_strings(at)
    assert plotly_text(name) in figures, "the school's own line is named in its chart"
    school = at.selectbox(key="filter_school")
    assert school.format_func(URNS[name]) == f"{name} ({URNS[name]})"  # plain option text


def test_ofsted_and_cpd_pages(hostile_store):
    for page in ("app_pages/ofsted.py", "app_pages/cpd.py"):
        at = open_app(page)
        texts = assert_nothing_from_a_name_is_markup(at)
        assert any(PARTNERSHIP in t for t in texts), page
    at = open_app("app_pages/cpd.py", query={"measure": "ks2_rwm_exp"})
    assert any(c.proto.id.endswith("-cpd_results_chart") for c in at.get("plotly_chart"))
    hover = [s for s in _figure_strings(at) if "staff hours a year" in s]
    for name in (HTML, ANCHOR):  # each school beside its results, named as typed
        assert any(s.startswith(plotly_text(name) + ":") for s in hover), hover


def test_upload_history_lists_file_names_as_text(hostile_store):
    at = open_app("app_pages/upload.py")
    assert_nothing_from_a_name_is_markup(at)
    history = table_with(at, "Upload", "File", "Status")
    assert set(history["File"]) == set(FILES.values())
    # A select box's options are plain text in Streamlit: the names, not escaped copies.
    options = at.selectbox(key="history_choice").options
    assert any(f": {HTML}.xlsx, " in o for o in options), options


@pytest.mark.parametrize("name", [LINK, IMAGE, HTML, ANCHOR, BOLD, SQL])
def test_a_saved_file_is_named_as_text(hostile_store, name):
    frame = attainment_frame([FIRST], range(2024, 2025))
    at = upload(open_app("app_pages/upload.py"), f"{name}.xlsx", attainment_xlsx(frame))
    texts = assert_nothing_from_a_name_is_markup(at)
    assert any(t.startswith(f"{name}.xlsx has no problems") for t in texts), texts
    at.button(key="upload_confirm").click().run()
    texts = assert_nothing_from_a_name_is_markup(at)
    assert any(t.startswith(f"Saved {name}.xlsx as upload ") for t in texts), texts


@pytest.mark.parametrize("name", [LINK, IMAGE, HTML])
def test_a_refused_file_and_its_cell_values_are_named_as_text(hostile_store, name):
    frame = attainment_frame([FIRST], range(2024, 2025))
    frame["Value"] = frame["Value"].astype(object)
    frame.loc[0, "Value"] = name
    at = upload(open_app("app_pages/upload.py"), f"{name}.xlsx", attainment_xlsx(frame))
    texts = assert_nothing_from_a_name_is_markup(at)
    assert any(t.startswith(f"{name}.xlsx has 1 problem to fix") for t in texts), texts
    problems = table_with(at, "Row", "Column", "Value", "Problem")
    assert problems["Value"].tolist() == [name]


def test_a_refused_undo_names_the_files_as_text(hostile_store):
    with Store(hostile_store) as store:
        first = int(store.scalar("SELECT min(upload_id) FROM uploads"))
    at = open_app("app_pages/upload.py")
    at.selectbox(key="history_choice").set_value(first).run()
    at.checkbox(key=f"undo_sure_{first}").check().run()
    at.button(key="undo_button").click().run()
    texts = assert_nothing_from_a_name_is_markup(at)
    refusal = next(t for t in texts if t.startswith(f"Upload {first} cannot be undone"))
    for kind in ("attainment", "ofsted", "cpd"):  # each named by its file, as typed
        assert f"({FILES[kind]}, " in refusal, refusal
    with Store(hostile_store) as store:
        assert store.scalar("SELECT count(*) FROM schools") == len(NAMES)


def test_data_page(hostile_store):
    at = open_app("app_pages/data.py")
    assert_nothing_from_a_name_is_markup(at)
    counts = table_with(at, "Rows").set_index(table_with(at, "Rows").columns[0])["Rows"]
    assert counts.sum() > 0


# --- what the download buttons serve ------------------------------------------------------------

@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind each download button, by the URL the page gives the button."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):  # noqa: ANN001
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[self.get_url(file_id)] = bytes(path_or_data) if isinstance(
            path_or_data, bytes | bytearray) else b""
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred = MediaFileManager.add_deferred

    def press(self, make, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        # written when the button is pressed: written here as a browser's press would
        file_id = deferred(self, make, *args, **kwargs)
        data = make()
        files[file_id] = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", press)
    return files


def _download(at: Any, served: dict[str, bytes], key: str) -> list[list[str]]:
    import csv
    import io

    button = next(b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}"))
    # a file written only when the button is pressed is found by its deferred id
    data = served[button.proto.deferred_file_id or button.proto.url]
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_problem_table_download_neutralises_formulas(hostile_store, served):
    frame = attainment_frame([FIRST], range(2024, 2025))
    frame["Value"] = frame["Value"].astype(object)
    frame.loc[0, "Value"] = '=HYPERLINK("http://evil.example","fix here")'
    from tests.factories import csv_bytes

    at = upload(open_app("app_pages/upload.py"), "results.csv", csv_bytes(frame), "text/csv")
    assert table_with(at, "Row", "Value")["Value"].tolist() == [frame.loc[0, "Value"]]
    rows = _download(at, served, "upload_problems_csv")
    assert rows[0] == ["Row", "Column", "Value", "Problem"]
    assert rows[1][2] == "'" + frame.loc[0, "Value"]


def test_a_chart_download_neutralises_a_formula_named_school(_isolated_store_path, served):
    from tests.factories import load, schools_frame
    from tests.pages.helpers import add_accounts

    hostile = "=HYPERLINK(\"http://evil.example\",\"Oak\")"
    schools = schools_frame(2)
    schools.loc[0, "School name"] = hostile
    with Store(_isolated_store_path) as store:
        load(store, "schools", schools)
        load(store, "attainment", attainment_frame([FIRST], range(2016, 2019)))
        add_accounts(store, admin_only=True)
    at = open_app("app_pages/schools.py", query={"school": str(FIRST)})
    assert at.title[0].value == markdown_text(hostile)
    header = _download(at, served, "school_csv")[0]
    assert "'" + hostile in header and hostile not in header


def test_tables_offer_no_raw_csv_export_of_their_own():
    """st.dataframe's own download (and copy) writes cells raw, formulas and all: it is off,
    and every table's CSV comes from our neutralising download buttons."""
    import tomllib

    from tests.pages.helpers import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
