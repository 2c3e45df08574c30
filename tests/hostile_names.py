"""Names a hostile or careless person could give a file, school, partnership or cohort.

Each must be shown on every page exactly as typed: never as a link, an image, HTML, bold
type or a heading; and stored as plain text (the SQL-looking one changes nothing else).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from impact.store import Store

EVIL = "evil.example"
LINK = "[link](http://evil.example/x)"
IMAGE = "![x](http://evil.example/x.png)"
HTML = "<img src=x onerror=alert(1)>"
ANCHOR = '<a href="http://evil.example/a">click</a>'
BOLD = "**bold**"
SQL = "'; DROP TABLE attainment; --"
BARE = "see http://evil.example/bare and www.evil.com or me@evil.com"
DIRECTIVE = ":red[alarm] :material/warning: $x^2$ `code` # heading"

NAMES = (LINK, IMAGE, HTML, ANCHOR, BOLD, SQL, BARE, DIRECTIVE)

# A store made of them, through the import path: see `build_hostile_store`.
FIRST = 100001
URNS = {name: FIRST + i for i, name in enumerate(NAMES)}
PARTNERSHIP, COHORT, FOCUS = LINK, IMAGE, HTML
FILES = {"schools": f"{LINK}.xlsx", "attainment": f"{IMAGE}.xlsx", "ofsted": f"{HTML}.xlsx",
         "cpd": f"{SQL}.xlsx", "benchmarks": f"{BOLD}.xlsx"}


def build_hostile_store(path: Path) -> None:
    """Schools named with every hostile name (the first four in partnership `LINK`, cohort
    `IMAGE`, focus `HTML`), their results from 2015/16 (no tests in 2019/20 and 2020/21),
    England's, Ofsted and CPD records (described `ANCHOR`), each uploaded as a file named
    hostilely."""
    from tests.factories import attainment_frame, cpd_frame, load, ofsted_frame, schools_frame
    from tests.pages.helpers import england_frame

    schools = schools_frame(len(NAMES), partnership=PARTNERSHIP, cohort=COHORT,
                            in_partnership=4, joined=dt.date(2019, 9, 1))
    schools["School name"] = list(NAMES)
    schools["Cohort focus"] = [FOCUS] * 4 + [None] * (len(NAMES) - 4)
    with Store(path) as store:
        load(store, "schools", schools, name=FILES["schools"])
        figures = attainment_frame(list(URNS.values()), range(2015, 2024))
        figures = figures[~figures["Academic year"].isin(["2019/20", "2020/21"])]
        load(store, "attainment", figures, name=FILES["attainment"])
        load(store, "benchmarks", england_frame({y: 60.0 + y % 3 for y in range(2015, 2024)
                                                 if y not in (2019, 2020)}),
             name=FILES["benchmarks"])
        load(store, "ofsted", ofsted_frame(list(URNS.values())[:4]), name=FILES["ofsted"])
        cpd = cpd_frame(list(URNS.values())[:4], range(2021, 2024))
        cpd["Description"] = ANCHOR
        load(store, "cpd", cpd, name=FILES["cpd"])
