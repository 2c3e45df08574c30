"""Plotly figure builders and the words that go with them (titles, "what this shows").

No streamlit here: a builder takes frames from `queries/` (or `impact.analysis`) and returns a
`Chart` — the figure, its active title, its plain-English sentence, the data as a table and
notes — that a page renders and a report could print.
"""

from impact.charts.base import Chart

__all__ = ["Chart"]
