"""A chart's or table's CSV download: opens in Excel, and runs nothing there."""

from __future__ import annotations

import csv
import io

import pandas as pd
import plotly.graph_objects as go

from impact.charts.base import Chart, csv_bytes


def test_download_csv_neutralises_formulas_and_keeps_numbers():
    table = pd.DataFrame({"School": ['=HYPERLINK("http://evil.example")', "Oak Primary"],
                          "Change": ["-0.4", "+1.2"], "Pupils": [30, 12],
                          "Note": ["@SUM(1+1)", "-2+3"]})
    data = Chart("t", "s", go.Figure(), table).csv_bytes()
    assert data == csv_bytes(table) and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("http://evil.example")', "-0.4", "30", "'@SUM(1+1)"]
    assert rows[2] == ["Oak Primary", "+1.2", "12", "'-2+3"]
