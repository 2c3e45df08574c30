"""Helpers for driving the real app: a sample store built through the import pipeline (with one
account per role), signing in, and ways to read what a page shows (figure specs, tables,
texts). Shared by the AppTest page tests and the browser tests.

Signing in: `open_app(page, user="head")` runs the app as the store's head. It puts in the
session exactly the record the sign-in form puts there after checking a password
(`SignedIn.begin(email, "password")`); the app then reads that account from the store on every
run, as it does for anyone. `sign_in(at, email, password)` drives the form itself."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from impact.auth import DEMO_ADMIN, accounts
from impact.auth.sessions import SignedIn
from impact.config import db_path
from impact.domain import roles
from impact.store import Store
from tests.factories import load, schools_frame, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
RWM = "KS2 reading, writing and maths: % at expected standard"
READING = "KS2 reading: average scaled score"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The partnership's three schools and their RWM results: different cohort sizes, so the
# weighted mean differs from the plain mean.
TRUST = "Test Trust"
MEMBERS = (100001, 100002, 100003)
OTHERS = (100004, 100005, 100006)
SIZES = {100001: 10, 100002: 30, 100003: 60}
RWM_VALUES = {  # year -> school -> %
    2016: {100001: 40.0, 100002: 50.0, 100003: 70.0},
    2017: {100001: 60.0, 100002: 55.0, 100003: 70.0},
    2018: {100001: 80.0, 100002: 60.0, 100003: 72.0},
}
ENGLAND = {2016: 61.0, 2017: 62.0, 2018: 63.0}


# One account of each role in the sample store; the head runs School 100001 (in Test Trust).
PASSWORD = "test-password-1"
ADMIN_EMAIL, HEAD_EMAIL, GOVERNOR_EMAIL = ("admin@test.example", "head@test.example",
                                           "governor@test.example")
HEAD_URN = 100001
SESSION = "signed_in"  # app_pages._signin.SESSION


def add_accounts(store: Store, *, admin_only: bool = False) -> None:
    """The sample accounts: an admin, and (with schools) a head of 100001 and a governor of
    Test Trust, all with `PASSWORD`."""
    accounts.add(store, DEMO_ADMIN, ADMIN_EMAIL, roles.ADMIN, name="Ada Admin",
                 password=PASSWORD)
    if admin_only:
        return
    accounts.add(store, DEMO_ADMIN, HEAD_EMAIL, roles.HEAD, name="Hal Head", urns=[HEAD_URN],
                 password=PASSWORD)
    accounts.add(store, DEMO_ADMIN, GOVERNOR_EMAIL, roles.GOVERNOR, name="Gil Governor",
                 partnerships=[TRUST], password=PASSWORD)


def email_of(user: str, path: Path | None = None) -> str:
    """An e-mail address as given, or the store's first account of a role ("head").

    A store a test built without accounts (the honesty worlds, a store made row by row) gets
    the sample admin when the test signs in as "admin", so every page test signs in for real."""
    if "@" in user:
        return user
    with Store(path or db_path()) as store:
        if user == roles.ADMIN and not accounts.accounts(store):
            add_accounts(store, admin_only=True)
        found = next((a for a in accounts.accounts(store) if a.role == user), None)
    if found is None:
        raise AssertionError(f"the store has no {user} account")
    return found.email


@dataclass
class AppStore:
    path: Path

    def open(self) -> Store:
        """A second handle on the same store file (the app holds its own)."""
        return Store(self.path)

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        with self.open() as store:
            return store.scalar(sql, params)


def weighted_mean(year: int, urns: tuple[int, ...] = MEMBERS) -> float:
    values = RWM_VALUES[year]
    total = sum(SIZES[u] for u in urns)
    return sum(values[u] * SIZES[u] for u in urns) / total


def rwm_frame(values: dict[int, dict[int, float]], sizes: dict[int, int] = SIZES,
              measure: str = RWM, group: str = "All pupils") -> pd.DataFrame:
    rows = []
    for year, by_school in values.items():
        for urn, value in by_school.items():
            rows.append({"URN": urn, "Academic year": f"{year}/{(year + 1) % 100:02d}",
                         "Term": "Summer", "Measure": measure, "Pupil group": group,
                         "Cohort size": sizes[urn], "Value": value})
    return pd.DataFrame(rows, dtype=object)


def england_frame(values: dict[int, float], measure: str = RWM) -> pd.DataFrame:
    return pd.DataFrame([
        {"Area type": "National", "Area code": "E92000001", "Area": "England",
         "Academic year": f"{year}/{(year + 1) % 100:02d}", "Term": "Summer",
         "Measure": measure, "Pupil group": "All pupils", "Cohort size": 600000,
         "Value": value} for year, value in values.items()], dtype=object)


def build_store(path: Path) -> None:
    """Six schools (three in Test Trust's Cohort A since 1 September 2019), RWM results for
    2016/17 to 2018/19 with England's, and reading scores for one school."""
    with Store(path) as store:
        load(store, "schools", schools_frame(6, partnership=TRUST, in_partnership=3,
                                             joined=dt.date(2019, 9, 1)))
        others = {y: {u: 50.0 for u in OTHERS} for y in RWM_VALUES}
        load(store, "attainment", rwm_frame(RWM_VALUES))
        load(store, "attainment", rwm_frame(others, {u: 20 for u in OTHERS}))
        load(store, "attainment", rwm_frame({2018: {100001: 104.0}}, measure=READING))
        load(store, "benchmarks", england_frame(ENGLAND))
        add_accounts(store)


def open_app(page: str | None = None, *, query: dict[str, str] | None = None,
             state: dict[str, Any] | None = None, user: str | None = "admin") -> AppTest:
    """Run app.py signed in as `user` (a role: the store's first account of it; or an e-mail
    address; None: nobody, so the sign-in page), optionally with URL parameters or session
    state, then switch page."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if user is not None:
        at.session_state[SESSION] = SignedIn.begin(email_of(user), "password")
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    """Fill in and send the sign-in form, as a person would."""
    at.text_input(key="sign_in_email").input(email)
    at.text_input(key="sign_in_password").input(password)
    at.button(key="FormSubmitter:sign_in-Sign in").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def signed_in_caption(at: AppTest) -> str:
    return " ".join(texts(at.sidebar.caption))


def figure(at: AppTest, which: int | str = 0) -> dict[str, Any]:
    """A chart's Plotly spec: by position, or by the key the page gave it (`show_chart`'s
    key, e.g. "overview" for the Overview's trend chart)."""
    charts = at.get("plotly_chart")
    if isinstance(which, int):
        return json.loads(charts[which].proto.spec)
    for chart in charts:
        if chart.proto.id.endswith(f"-{which}_chart"):
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart with key {which!r}; charts: "
                         f"{[c.proto.id.rsplit('-', 1)[-1] for c in charts]}")


def has_chart(at: AppTest, which: str) -> bool:
    return any(c.proto.id.endswith(f"-{which}_chart") for c in at.get("plotly_chart"))


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first data table on the page that has all these columns."""
    for frame in at.dataframe:
        value = frame.value
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no table with columns {columns}; tables: "
                         f"{[list(f.value.columns) for f in at.dataframe]}")


def texts(elements: Any) -> list[str]:
    return [e.value for e in elements]


def upload(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def attainment_xlsx(frame: pd.DataFrame) -> bytes:
    return xlsx_bytes("attainment", frame)


def sentences(at: AppTest) -> list[str]:
    """Each chart's "what this shows" sentence, as rendered."""
    return [m.value for m in at.markdown if m.value.startswith("<p class='what-it-shows'>")]


def build_demo_once(tmp_path_factory: Any) -> Path:
    """The demo store (`impact.demo.build`), built once per test session and shared by xdist
    workers: the first to take the lock builds it, the others wait and reuse it. Callers copy
    it before opening it (DuckDB lets one process hold a file)."""
    import fcntl
    import os

    from impact import demo

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "demo-store"
    target = folder / "demo.duckdb"
    with open(root / "demo-store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            folder.mkdir(exist_ok=True)
            demo.build(target, directory=folder / "files")
    return target
