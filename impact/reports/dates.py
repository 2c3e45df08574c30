"""Dates as GOV.UK writes them: 1 September 2019."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd


def long_date(value: Any) -> str:
    """'1 September 2019'; empty for a missing date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    day = pd.Timestamp(value).date() if not isinstance(value, dt.date) else value
    return f"{day.day} {day:%B %Y}"
