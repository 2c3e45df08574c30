"""The years filter's range: read from a link, written back, applied to rows."""

from __future__ import annotations

import pandas as pd

from impact.reports import years

OPTIONS = ["2015/16", "2016/17", "2017/18", "2021/22", "2022/23"]


def test_a_range_round_trips_through_a_link():
    assert years.encode(("2016/17", "2021/22")) == "2016/17-2021/22"
    assert years.decode("2016/17-2021/22", OPTIONS) == ("2016/17", "2021/22")
    assert years.encode(("2021/22", "2021/22")) == "2021/22"
    assert years.decode("2021/22", OPTIONS) == ("2021/22", "2021/22")


def test_links_people_type_are_read_and_clipped_to_the_years_there_are():
    assert years.decode("2016-17 to 2018-19", OPTIONS) == ("2016/17", "2017/18")
    assert years.decode("2010/11-2030/31", OPTIONS) == ("2015/16", "2022/23")
    assert years.decode("2019/20-2020/21", OPTIONS) is None
    assert years.decode("nonsense", OPTIONS) is None


def test_rows_outside_the_range_are_dropped():
    frame = pd.DataFrame({"academic_year": OPTIONS, "value": range(5)})
    assert years.within(frame, ("2017/18", "2021/22"))["value"].tolist() == [2, 3]
    assert years.within(frame, None) is frame
    assert years.describe(("2016/17", "2021/22")) == "2016/17 to 2021/22"
