"""What every chart carries besides its figure: the brief's title, sentence, table and notes."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from impact.formulas import neutralised

# How every interactive chart is shown, on a page or in the HTML board pack: no Plotly toolbar
# (on a projector or a phone it sits over the chart's title and labels; the numbers are in the
# table beneath and its CSV download), and the width of whatever holds it.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


@dataclass
class Chart:
    """A figure and the words and numbers that must travel with it.

    `title` states the finding in ten words or fewer; `what_it_shows` is one plain sentence;
    `table` is the plotted data as people read it (`c` for hidden figures, never 0); `notes`
    explain gaps and symbols.
    """

    title: str
    what_it_shows: str
    figure: go.Figure
    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    file_name: str = "chart-data.csv"
    # Small multiples, one figure each (the tiles): pages lay them out side by side where
    # there is room and one under another where there is not (a phone, a zoomed projector).
    # `figure` is all of them in one, for a printed page.
    parts: tuple[go.Figure, ...] = ()

    def csv_bytes(self) -> bytes:
        return csv_bytes(self.table)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as a CSV file that opens cleanly in Excel (UTF-8 with a byte-order mark), and
    safely: text that Excel would run as a formula (a school named `=HYPERLINK(…)`) is
    written with a leading `'` (`impact.formulas.neutralise`). Every download button's CSV
    is made here."""
    buffer = io.StringIO()
    neutralised(table).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def word_count(text: str) -> int:
    return len(text.split())
