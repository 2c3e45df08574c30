"""The board pack: both formats from real stores (the demo store, and a store of hostile names
built in the test), read back the way a person's tools read them: `pdftotext` and `pdftoppm`
(poppler-utils) for the PDF, headless Chromium with every request recorded for the HTML.

The pack's numbers must be the pages' numbers: its estimates are compared with
`impact_estimate` called as the Cohorts page calls it, and its statements with the Overview's
own (tests/pages/test_pack_on_pages.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from impact import demo
from impact.analysis import impact_estimate
from impact.auth import NotAllowed, accounts
from impact.auth.audit import entries
from impact.cli import EXIT_OK, EXIT_REFUSED, EXIT_UNUSABLE, main
from impact.domain import comparisons
from impact.reports.pack import PackRefused, build_pack
from impact.reports.pack_files import pack_bytes, render_html
from impact.store import Store
from tests import hostile_names as hostile
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS
from tests.pages.helpers import build_demo_once

IMPROVING = demo.PLANTED["improving"]
A4_POINTS = (595, 842)  # 210 x 297 mm at 72 points per inch


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = build_demo_once(tmp_path_factory)
    copy = tmp_path_factory.mktemp("pack-demo") / "demo.duckdb"
    shutil.copyfile(source, copy)
    return copy


@pytest.fixture(scope="module")
def programme_pack(demo_path: Path):
    """The whole programme's pack, as its governor would take it... except the demo governor
    sits on the trust's board, so the admin makes it (always the governor view)."""
    with Store(demo_path) as store:
        admin = accounts.cli_actor(store, demo.DEMO_ACCOUNTS[0].email)
        return build_pack(store, admin, partnership=IMPROVING["partnership"])


@pytest.fixture(scope="module")
def programme_pdf(programme_pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack-pdf") / "pack.pdf"
    out.write_bytes(pack_bytes(programme_pack, "pdf"))
    return out


def _text(pdf: Path) -> str:
    """The PDF's text in reading order (a table cell's lines one after another)."""
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          check=True, text=True)
    return done.stdout


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_pack_estimates_are_the_cohorts_pages_estimates(demo_path, programme_pack):
    with Store(demo_path) as store:
        cohorts = store.run("cohorts", partnership=IMPROVING["partnership"])
        expected = {c: impact_estimate(store, cohort=f"{IMPROVING['partnership']} / {c}",
                                       measure=IMPROVING["measure"], group="all",
                                       comparison=comparisons.DEFAULT,
                                       partnership=IMPROVING["partnership"])
                    for c in cohorts["cohort"]}
    assert len(programme_pack.estimates) == len(expected) >= 3
    for result in programme_pack.estimates:
        assert result.as_dict() == expected[result.cohort].as_dict()
    improving = next(e for e in programme_pack.estimates if e.cohort == IMPROVING["cohort"])
    assert improving.low > 0  # the planted +12 points is found, with a clear interval


def test_the_pdf_is_a4_and_says_the_statements_figures_and_sources(programme_pack,
                                                                   programme_pdf):
    text = _squeeze(_text(programme_pdf))
    assert programme_pack.partnership in text
    assert programme_pack.period in text
    assert programme_pack.made.strftime("%-d %B %Y") in text
    assert programme_pack.sources, "the pack names the files it was made from"
    for source in programme_pack.sources:
        assert source.file_name in text
    assert len(programme_pack.statements) == 6
    for statement in programme_pack.statements:
        assert _squeeze(statement.claim) in text
        assert _squeeze(statement.evidence) in text
        assert _squeeze(statement.caveat) in text
    improving = next(e for e in programme_pack.estimates if e.cohort == IMPROVING["cohort"])
    said = improving.words
    for sentence in (said.headline, said.check, said.caveat, said.comparison):
        assert _squeeze(sentence) in text
    assert f"Difference after joining: {said.value}, {said.span}." in text
    assert re.search(r"[+−]\d+\.\d points", said.value)  # a figure, with its interval
    charts = [c for s in programme_pack.sections for c in s.charts]
    assert len(charts) >= 5
    for chart in charts:
        assert _squeeze(chart.title) in text
    for heading in ("Impact to date", "Ofsted", "CPD and working together",
                    "What the words mean", "How the numbers were made"):
        assert heading in text
    assert "fewer than 11 pupils" in text  # the governor view is said, with its threshold

    folder = programme_pdf.parent / "pages"
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(programme_pdf), str(folder / "p")],
                   check=True)
    pages = sorted(folder.glob("p-*.png"))
    assert len(pages) >= 8
    from PIL import Image

    for page in pages:
        with Image.open(page) as image:
            width, height = image.size
        assert abs(width - A4_POINTS[0]) <= 1 and abs(height - A4_POINTS[1]) <= 1, page.name


def test_the_html_pack_draws_its_charts_with_no_toolbar_and_makes_no_request(
        programme_pack, tmp_path):
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "pack.html"
    page_file.write_bytes(pack_bytes(programme_pack, "html"))
    charts = [c for s in programme_pack.sections for c in s.charts]
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            def block(route) -> None:  # noqa: ANN001
                if route.request.url == page_file.as_uri():
                    route.continue_()
                else:  # anything else the page asks for is recorded and refused
                    requests.append(route.request.url)
                    route.abort()

            context.route("**/*", block)
            tab = context.new_page()
            tab.on("request", lambda request: requests.append(request.url))
            tab.goto(page_file.as_uri(), wait_until="load")
            tab.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                f"{len(charts)}", timeout=60_000)
            drawn = tab.locator(".js-plotly-plot").count()
            title = tab.title()
            for chart in range(drawn):  # the toolbar appears on hovering a chart
                tab.locator(".js-plotly-plot").nth(chart).hover()
            toolbars = tab.locator(".modebar-btn").count()
        finally:
            browser.close()
    assert drawn == len(charts) >= 5
    assert toolbars == 0  # no Plotly toolbar over the charts, as on the pages
    assert title == programme_pack.title
    others = [u for u in requests if u != page_file.as_uri() and not u.startswith("data:")]
    assert others == []


def test_a_cohort_pack_up_to_a_year(demo_path):
    with Store(demo_path) as store:
        admin = accounts.cli_actor(store, demo.DEMO_ACCOUNTS[0].email)
        pack = build_pack(store, admin, partnership=IMPROVING["partnership"],
                          cohort=IMPROVING["cohort"], year="2022/23")
        with pytest.raises(PackRefused, match="Cohort 2"):
            build_pack(store, admin, partnership=IMPROVING["partnership"], cohort="Cohort 99")
        with pytest.raises(PackRefused, match="academic year"):
            build_pack(store, admin, partnership=IMPROVING["partnership"], year="1999/00")
    assert [e.cohort for e in pack.estimates] == [IMPROVING["cohort"]]
    assert pack.period.endswith("2022/23")
    # the Overview's chart over time stops at the year asked for, as the Years filter does
    over_time = [c.table for s in pack.sections for c in s.charts
                 if c.file_name.startswith("overview-")]
    assert len(over_time) == 1
    assert max(str(y) for y in over_time[0]["Year"]) == "2022/23"


def test_a_governor_gets_only_their_own_partnership(demo_path):
    governor = next(a for a in demo.DEMO_ACCOUNTS if a.role == "governor")
    theirs = governor.partnerships[0]
    with Store(demo_path) as store:
        actor = accounts.cli_actor(store, governor.email)
        other = next(p for p in store.run("partnerships")["partnership"] if p != theirs)
        with pytest.raises(NotAllowed, match="not a partnership"):
            build_pack(store, actor, partnership=other)
        pack = build_pack(store, actor, partnership=theirs)
    assert pack.partnership == theirs and pack.made_by == governor.name


def test_the_command_line_writes_both_formats_and_records_them(demo_path, tmp_path, capsys):
    out_pdf, out_html = tmp_path / "pack.pdf", tmp_path / "pack.html"
    governor = next(a for a in demo.DEMO_ACCOUNTS if a.role == "governor")
    common = ["--db", str(demo_path), "--as", governor.email]
    theirs = governor.partnerships[0]
    assert main([*common, "report", "--partnership", theirs, "--out", str(out_pdf)]) == EXIT_OK
    assert out_pdf.read_bytes().startswith(b"%PDF-")
    assert main([*common, "report", "--partnership", theirs, "--year", "2023/24",
                 "--out", str(out_html)]) == EXIT_OK
    assert b"2015/16 to 2023/24" in out_html.read_bytes()
    assert main([*common, "report", "--partnership", IMPROVING["partnership"],
                 "--out", str(tmp_path / "no.pdf")]) == EXIT_REFUSED
    assert main([*common, "report", "--partnership", theirs,
                 "--out", str(tmp_path / "pack.docx")]) == EXIT_UNUSABLE
    # a governor is not told which other partnerships exist; an admin is
    assert main([*common, "report", "--partnership", "Nowhere Trust",
                 "--out", str(tmp_path / "no.html")]) == EXIT_REFUSED
    assert main(["--db", str(demo_path), "report", "--partnership", "Nowhere Trust",
                 "--out", str(tmp_path / "no.html")]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "There is no partnership called 'Nowhere Trust'. Choose one of: " in err
    assert IMPROVING["partnership"] in err
    assert not (tmp_path / "no.pdf").exists() and not (tmp_path / "no.html").exists()
    with Store(demo_path) as store:
        admin = accounts.cli_actor(store, demo.DEMO_ACCOUNTS[0].email)
        log = entries(store, admin)
    packs = log[log["detail"].str.startswith("board pack")]
    assert sorted(packs["detail"].head(2)) == [
        f"board pack (html) for {theirs}: pack.html", f"board pack (pdf) for {theirs}: pack.pdf"]
    assert set(packs["actor_email"].head(2)) == {governor.email}


def test_names_people_typed_are_text_in_both_formats(tmp_path):
    path = tmp_path / "hostile.duckdb"
    hostile.build_hostile_store(path)
    with Store(path) as store:
        admin = accounts.cli_actor(store, None)
        pack = build_pack(store, admin, partnership=hostile.PARTNERSHIP)
    page = render_html(pack)
    assert pack.estimates and pack.sources
    for raw in (hostile.HTML, hostile.ANCHOR):
        assert raw not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(pack_bytes(pack, "pdf"))
    text = _squeeze(_text(pdf))
    for name in (hostile.PARTNERSHIP, hostile.FILES["schools"], hostile.FILES["ofsted"]):
        assert name in text


def test_meeting_screens_from_made_results_are_the_full_packs_screens(demo_path,
                                                                      programme_pack):
    """Meeting mode builds only what its screens show, from the estimates and trend made
    already and the pages' queries: the same screens, figures and all."""
    from impact.analysis import trends
    from impact.reports.meeting import screens

    partnership = IMPROVING["partnership"]
    with Store(demo_path) as store:
        admin = accounts.cli_actor(store, demo.DEMO_ACCOUNTS[0].email)
        cohorts = store.run("cohorts", partnership=partnership)["cohort"].tolist()
        made = {c: impact_estimate(store, cohort=f"{partnership} / {c}",
                                   measure=programme_pack.measure, group="all",
                                   comparison=comparisons.DEFAULT, partnership=partnership)
                for c in cohorts[:2]}  # the others the pack makes itself
        asked: list[str] = []

        def run(name: str, **params: object):
            asked.append(name)
            return store.run(name, **params)

        brief = build_pack(store, admin, partnership=partnership, for_screens=True,
                           estimates=made, run=run,
                           trend_of=lambda measure, **p: trends.trend(store, measure, **p))
    assert "ofsted_overall_all" in asked and "pack_sources" not in asked
    full, shown = screens(programme_pack), screens(brief)
    assert len(full) == len(shown) >= 4
    for a, b in zip(full, shown, strict=True):
        assert (a.about, a.title, a.sentence, a.comparison, a.sureness, a.questions) == \
            (b.about, b.title, b.sentence, b.comparison, b.sureness, b.questions)
        assert (a.chart is None) == (b.chart is None)
        if a.chart is not None:
            assert a.chart.figure.to_dict() == b.chart.figure.to_dict()
            assert a.chart.table.equals(b.chart.table)
    assert brief.statements == () and not brief.sources
