"""A board pack (`impact.reports.pack.Pack`) as a file: a self-contained HTML page or an A4 PDF.

The HTML carries plotly.js inside it (interactive charts, no network request: it opens from a
memory stick in a meeting room with no Wi-Fi). The PDF is the same page with each chart drawn
as a static SVG by kaleido, printed to A4 by the system Chromium (the browser kaleido uses):
one engine lays out both, so the PDF reads like the HTML, with no second layout to keep true.
Every name people typed is escaped (`html_text`); nothing in either file is fetched.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from impact.charts import Chart
from impact.charts.base import CHART_CONFIG
from impact.charts.palette import DARK_BLUE, DARK_GREY, TEXT
from impact.reports.pack import Pack, PackRefused
from impact.reports.text import html_text

HTML, PDF = "html", "pdf"
FORMATS = (HTML, PDF)
MIME = {HTML: "text/html", PDF: "application/pdf"}
# A chart on an A4 page (180 mm of text width at 96 px per inch is about 680 px; drawn larger
# and scaled down, so the chart's own large type stays in proportion).
STATIC_WIDTH, STATIC_HEIGHT = 1000, 560
PRINT_TIMEOUT_S = 120

_STYLE = f"""
@page {{ size: A4; margin: 16mm 15mm 18mm 15mm; }}
html {{ font-family: Arial, Helvetica, sans-serif; color: {TEXT}; font-size: 12pt; }}
body {{ max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.45; }}
h1 {{ color: {DARK_BLUE}; font-size: 2rem; margin: 0 0 0.5rem 0; }}
h2 {{ color: {DARK_BLUE}; font-size: 1.5rem; margin-top: 2rem; border-bottom: 2px solid
      {DARK_BLUE}; padding-bottom: 0.2rem; }}
h3 {{ font-size: 1.2rem; margin: 1.4rem 0 0.3rem 0; }}
p.what {{ font-size: 1.1rem; }}
p.note, p.small {{ color: {DARK_GREY}; font-size: 0.95rem; }}
.cover {{ min-height: 80vh; }}
.verdict {{ display: inline-block; border: 2px solid {DARK_BLUE}; border-radius: 0.3rem;
            padding: 0 0.4rem; font-weight: bold; color: {DARK_BLUE}; }}
.statement {{ border-left: 4px solid {DARK_BLUE}; padding: 0.2rem 0 0.2rem 0.8rem;
              margin: 0.8rem 0; break-inside: avoid; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1rem 0; font-size: 0.9rem; }}
th, td {{ border: 1px solid #B1B4B6; padding: 0.2rem 0.4rem; text-align: left;
          vertical-align: top; }}
th {{ background: #F3F2F1; }}
figure {{ margin: 0.5rem 0; break-inside: avoid; }}
figure img {{ width: 100%; height: auto; }}
.chart {{ break-inside: avoid; }}
.page-break {{ break-before: page; }}
dt {{ font-weight: bold; margin-top: 0.5rem; }}
dd {{ margin-left: 1rem; }}
"""


def _p(text: str, cls: str = "") -> str:
    return f"<p{f' class={cls!r}' if cls else ''}>{html_text(text)}</p>"


def _table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html_text(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html_text(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _for_print(figure: go.Figure) -> go.Figure:
    """A copy without the hover-only parts, sized for a page."""
    copy = go.Figure(figure)
    copy.update_layout(width=STATIC_WIDTH, height=STATIC_HEIGHT)
    return copy


async def _svgs_async(figures: Sequence[go.Figure]) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(n=1) as k:
        return [await k.calc_fig(_for_print(f), opts={"format": "svg"}) for f in figures]


def static_svgs(figures: Sequence[go.Figure]) -> list[bytes]:
    """Each figure as SVG, through kaleido with one browser for them all."""
    if not figures:
        return []
    return asyncio.run(_svgs_async(figures))


def _chart(chart: Chart, drawn: str) -> str:
    notes = "".join(_p(n, "note") for n in chart.notes)
    return (f"<section class='chart'><h3>{html_text(chart.title)}</h3>"
            f"{_p(chart.what_it_shows, 'what')}<figure>{drawn}</figure>{notes}</section>"
            f"{_table(chart.table)}")


def _interactive(figure: go.Figure) -> str:
    return pio.to_html(figure, include_plotlyjs=False, full_html=False, config=CHART_CONFIG)


def _static(svg: bytes, title: str) -> str:
    data = base64.b64encode(svg).decode("ascii")
    return f"<img alt='{html_text(title)}' src='data:image/svg+xml;base64,{data}'>"


def render_html(pack: Pack, *, static: bool = False) -> str:
    """The pack as one HTML document: interactive charts with plotly.js inside it, or (for
    printing) each chart as an SVG image."""
    charts = [c for s in pack.sections for c in s.charts]
    if static:
        drawn = [_static(svg, c.title) for svg, c in
                 zip(static_svgs([c.figure for c in charts]), charts, strict=True)]
    else:
        drawn = [_interactive(c.figure) for c in charts]
    by_chart = dict(zip((id(c) for c in charts), drawn, strict=True))

    out = [_cover(pack), "<h2 class='page-break'>Impact to date</h2>",
           _p("What a case study would claim, checked against the data: each line says what "
              "the numbers show and what they cannot show.")]
    for statement in pack.statements:
        out.append(f"<div class='statement'><h3>{html_text(statement.claim)} "
                   f"<span class='verdict'>{html_text(statement.verdict)}</span></h3>"
                   f"{_p(statement.evidence)}"
                   f"<p class='small'><b>What this cannot show:</b> "
                   f"{html_text(statement.caveat)} Source: {html_text(statement.source)}.</p>"
                   "</div>")
    if pack.estimates:
        out.append("<h2 class='page-break'>Did working together make a difference?</h2>")
        for result in pack.estimates:
            said = result.words
            ev = result.evidence
            strength = (f"Strength of evidence: {ev.padlocks} of {ev.out_of} ({ev.label}). "
                        f"{ev.explanation}")
            parts = [f"<div class='statement'><h3>{html_text(result.cohort)}: "
                     f"{html_text(said.title)}</h3>", _p(said.headline, "what"),
                     _p(f"Difference after joining: {said.value}, {said.span}."),
                     _p(f"Effect size: {said.size} ({said.size_words})."), _p(said.check),
                     _p(said.dip) if said.dip else "", _p(said.comparison), _p(strength),
                     _p(said.caveat, "small"), _p(said.dropped, "small") if said.dropped
                     else "", _p(said.left, "small") if said.left else "", "</div>"]
            out.append("".join(parts))
    for section in pack.sections:
        if not section.charts and not section.paragraphs:
            continue
        out.append(f"<h2 class='page-break'>{html_text(section.heading)}</h2>")
        out.extend(_p(x) for x in section.paragraphs)
        out.extend(_chart(c, by_chart[id(c)]) for c in section.charts)
    out.append("<h2 class='page-break'>What the words mean</h2><dl>")
    out.extend(f"<dt>{html_text(t[:1].upper() + t[1:])}</dt><dd>{html_text(text)}</dd>"
               for t, text in pack.glossary)
    out.append("</dl><h2>How the numbers were made</h2>")
    out.extend(_p(x) for x in pack.method)
    script = "" if static else f"<script>{_plotly_js()}</script>"
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html_text(pack.title)}</title><style>{_STYLE}</style>{script}</head>"
            f"<body>{''.join(out)}</body></html>")


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _cover(pack: Pack) -> str:
    sources = pd.DataFrame(
        [{"File": s.file_name, "What it is": s.what,
          "Uploaded": s.uploaded.strftime("%-d %B %Y %H:%M"), "Years": s.years or "–",
          "Rows used": s.rows} for s in pack.sources],
        columns=["File", "What it is", "Uploaded", "Years", "Rows used"])
    return ("<section class='cover'>"
            f"<h1>{html_text(pack.place)}</h1>"
            f"<p class='what'>Board pack: did working together make a difference?</p>"
            f"{_p(f'Partnership: {pack.partnership}')}"
            + (_p(f"Cohort: {pack.cohort}") if pack.cohort else "")
            + _p(f"Period: {pack.period}")
            + _p(f"Made on {pack.made.strftime('%-d %B %Y at %H:%M')} by {pack.made_by}")
            + _p("Governor view: no pupil group of fewer than 11 pupils is shown, and nothing "
                 "about a single pupil.", "small")
            + "<h3>Made from these files</h3>"
            + _p("Each upload and public file whose figures are in the store now, with the "
                 "date it was uploaded and the academic years its figures cover.", "small")
            + _table(sources) + "</section>")


def chromium() -> str:
    """The system Chromium (the browser kaleido uses too); `IMPACT_CHROMIUM` overrides it."""
    for candidate in (os.environ.get("IMPACT_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    raise PackRefused("Making a PDF needs the Chromium browser, which is not installed here. "
                      "Make the HTML pack instead, and print it from a browser.")


def print_pdf(document: str) -> bytes:
    """An HTML document printed to PDF by headless Chromium, on the page size its CSS names
    (A4), with no header or footer and no network."""
    with tempfile.TemporaryDirectory(prefix="impact-pack-") as folder:
        page, out = Path(folder) / "pack.html", Path(folder) / "pack.pdf"
        page.write_text(document, encoding="utf-8")
        done = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", f"--user-data-dir={folder}/profile",
             "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
            capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(f"Chromium did not print the pack (exit {done.returncode}): "
                               f"{done.stderr.decode(errors='replace')[-500:]}")
        return out.read_bytes()


def pack_bytes(pack: Pack, fmt: str) -> bytes:
    """The pack as an `html` or `pdf` file."""
    if fmt == HTML:
        return render_html(pack).encode("utf-8")
    if fmt == PDF:
        return print_pdf(render_html(pack, static=True))
    raise PackRefused(f"A pack can be {' or '.join(FORMATS)}, not {fmt!r}.")
