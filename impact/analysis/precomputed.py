"""Impact estimates as derived data: made once per store revision, in the background.

An estimate runs a difference-in-differences with a 999-draw bootstrap: from a tenth of a
second at a trust's scale to most of a second against every school in England. A governor who
opens the link after a head's upload should not wait for it, so the estimates the pages show
by default (every cohort, each headline measure with results, all pupils, the default
comparison) are made as soon as the store changes (an upload, an undo, a new store) by one
background thread of the server, and kept with the store revision they came from
(`Store.revision()`). A page asks for an estimate; it gets it if it is made, or `Pending`
(and the estimate is moved to the front of the queue) so the page can say so and fill in when
it is ready. A result is never shown for another revision than the store's: a revision that
changes while an estimate is being made is simply made again.

Made estimates are also kept in the store (table `derived_estimates`, migration 006) with
the revision they came from, as JSON of the typed result (`impact.analysis.serialised`), so a
server that restarts reads them rather than making them again: a page, and the thread before
it makes one, looks in the store first. A write of the store only ever comes after the
upload's transaction has committed (through `Store.writing`, so never in the middle of one),
and a store opened read-only simply keeps its estimates in memory. Results are the typed `Estimate` (or the sentence a
name that matches nothing gets, as `impact_estimate` raises it); an unexpected error is kept
and raised again where the page asks, as it would have been without the cache.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import duckdb

from impact.analysis.data import UnknownName
from impact.analysis.estimate import Estimate, SchoolUse, impact_estimate
from impact.analysis.pairings import suggest_pairings
from impact.analysis.serialised import from_json, to_json
from impact.analysis.trends import trend
from impact.domain import comparisons, measures
from impact.store import Store, StoreUnavailable

# Estimates kept at once; the defaults beyond this are made when asked for. An estimate
# against every school in England lists its 17,000 comparison schools (3.6 MB as made), but
# the kept ones share each school's entry (`Estimates._shared`): about 0.15 MB each beyond
# the one shared set of schools.
KEEP = 60

Key = tuple[tuple[str, Any], ...]
Result = Estimate | str
R = TypeVar("R")


@dataclass(frozen=True)
class Pending:
    """An estimate that is still being made: the page says so and fills it in later."""

    cohort: str
    measure: str
    key: Key


def estimate_params(partnership: str, cohort: str, measure: str, *, group: str = "all",
                    comparison: str = comparisons.DEFAULT,
                    urns: Sequence[int] = ()) -> dict[str, Any]:
    """The arguments of `impact_estimate` for one cohort, as every page asks for them."""
    picked = {"urns": tuple(int(u) for u in urns)} if comparison == comparisons.CHOSEN else {}
    return {"cohort": f"{partnership} / {cohort}", "measure": measure, "group": group,
            "comparison": comparison, "partnership": partnership, **picked}


def default_jobs(store: Store, measures: Sequence[str]) -> list[dict[str, Any]]:
    """What the pages show before anyone chooses anything: every cohort with the first of
    `measures` (the default measure), then with each other one that has results."""
    cohorts = store.run("cohorts", partnership=None)
    with_data = set(store.run("measures_with_data")["measure"])
    wanted = [code for code in measures if code in with_data]
    return [estimate_params(r.partnership, r.cohort, code)
            for code in wanted for r in cohorts.itertuples()]


def _key(params: dict[str, Any]) -> Key:
    return tuple(sorted(params.items()))


# --- derived data besides the estimates ------------------------------------------------------
# A trend (`impact.analysis.trends.trend`) or a partnership's pairings
# (`impact.analysis.pairings.suggest_pairings`) takes from a tenth of a second to over a second
# against every school in England: the ones the pages show by default are made by the same
# thread after the estimates, kept in memory per revision (`Estimates.made`).
KIND = "_made"  # a job's key naming what it makes, for anything but an estimate
TREND, PAIRINGS = "trend", "pairings"
MAKERS: dict[str, Callable[..., Any]] = {TREND: trend, PAIRINGS: suggest_pairings}
DERIVED_KEEP = 400  # trends and pairings kept at once
# Partnerships whose defaults are made ahead (a trust has a few; against every school in
# England, the first few: the rest are worked out when a page asks, as before).
DERIVED_PARTNERSHIPS = 5
OVERVIEW_COMPARISONS = ("national", "local_authority")


def derived_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """A job making `kind` with these arguments (as the page passes them)."""
    return {KIND: kind, **params}


def trend_params(measure: str, *, group: str = "all", partnership: str | None = None,
                 cohort: str | None = None,
                 comparisons: Sequence[str] = OVERVIEW_COMPARISONS) -> dict[str, Any]:
    """The arguments of the Overview's `trend` for one measure, as the page asks for them."""
    return {"measure": measure, "group": group, "partnership": partnership, "cohort": cohort,
            "by": "year" if measures.measure(measure).statutory else "term",
            "comparisons": tuple(comparisons)}


def default_derived_jobs(store: Store, measures_: Sequence[str], today: dt.date
                         ) -> list[dict[str, Any]]:
    """What the Overview and the Schools page show by default, partnership by partnership
    (the first `DERIVED_PARTNERSHIPS`, in the sidebar's order): the trends of the headline
    measures with results (the tiles and the chart over time), the partnership's pairings
    (all pupils), and the lines of the Schools page's first school."""
    partnerships = store.run("partnerships")["partnership"].tolist()[:DERIVED_PARTNERSHIPS]
    with_data = set(store.run("measures_with_data")["measure"])
    wanted = [code for code in measures_ if code in with_data]
    jobs = []
    for partnership in partnerships:
        jobs.extend(derived_params(TREND, trend_params(code, partnership=partnership))
                    for code in wanted)
        jobs.append(derived_params(PAIRINGS, {"partnership": partnership, "group": "all",
                                              "today": today}))
        # the Schools page opens on the partnership's first school by name, with the
        # default measure: its line against England, and its partnership's line
        first = store.run("school_choices", partnership=partnership)
        if wanted and not first.empty:
            code = wanted[0]
            by = trend_params(code)["by"]
            jobs.append(derived_params(TREND, {
                "measure": code, "group": "all", "urn": int(first.iloc[0]["urn"]), "by": by,
                "comparisons": ("national",)}))
            jobs.append(derived_params(TREND, {
                "measure": code, "group": "all", "partnership": partnership, "by": by,
                "comparisons": ()}))
    return jobs


# --- kept in the store ----------------------------------------------------------------------

ESTIMATE, SENTENCE = "estimate", "sentence"
_NAMED = ("cohort", "measure", "comparison")  # key columns of their own; the rest: `options`


def _row_key(revision: Any, params: dict[str, Any]) -> dict[str, str]:
    """The key of a kept estimate: the revision and what was asked, as the table's text."""
    options = {k: list(v) if isinstance(v, tuple) else v
               for k, v in params.items() if k not in _NAMED}
    return {"revision": json.dumps(list(revision), default=str),
            **{k: str(params.get(k, "")) for k in _NAMED},
            "options": json.dumps(options, sort_keys=True, default=str)}


def stored(store: Store, revision: Any, params: dict[str, Any]) -> Result | None:
    """The estimate kept in the store for this revision and these arguments, if any."""
    found = store.run("derived_estimate", **_row_key(revision, params))
    if found.empty:
        return None
    kind, text = found.at[0, "kind"], str(found.at[0, "result"])
    return from_json(Estimate, text) if kind == ESTIMATE else json.loads(text)


def keep(store: Store, revision: Any, params: dict[str, Any], result: Result) -> bool:
    """Keep a made estimate in the store with its revision, and drop those of earlier
    revisions; False when the store cannot take it (opened read-only, a full disk): the
    estimate is then only kept in memory."""
    if store.read_only:
        return False
    kind, text = (ESTIMATE, to_json(result)) if isinstance(result, Estimate) else \
        (SENTENCE, json.dumps(result))
    key = _row_key(revision, params)
    try:
        with store.writing(None) as tx:
            tx.execute("DELETE FROM derived_estimates WHERE revision <> $revision",
                       {"revision": key["revision"]})
            tx.execute("INSERT OR REPLACE INTO derived_estimates (revision, cohort, measure, "
                       "comparison, options, kind, result) VALUES ($revision, $cohort, "
                       "$measure, $comparison, $options, $kind, $result)",
                       {**key, "kind": kind, "result": text})
    except (StoreUnavailable, duckdb.Error):
        return False
    return True


class Estimates:
    """The estimates of one store, made in one background thread, per store revision."""

    def __init__(self, store: Store, *, keep: int = KEEP,
                 make: Callable[..., Estimate] = impact_estimate) -> None:
        self._store = store
        self._keep = keep
        self._make = make
        self._lock = threading.Condition()
        self._done: OrderedDict[tuple[Any, Key], Result | BaseException] = OrderedDict()
        self._queue: deque[tuple[Any, dict[str, Any]]] = deque()
        self._queued: set[tuple[Any, Key]] = set()
        self._warmed: set[Any] = set()
        self._working: tuple[Any, Key] | None = None
        self._closed = False
        self._thread: threading.Thread | None = None
        # derived data other than estimates (trends, pairings): kept in memory only
        self._makers = dict(MAKERS)
        self._derived: OrderedDict[tuple[Any, Key], Any] = OrderedDict()
        # every kept estimate's schools, one entry per school (`_shared`)
        self._schools: dict[SchoolUse, SchoolUse] = {}

    # --- what pages call ---------------------------------------------------------------------

    def get(self, params: dict[str, Any]) -> Result | Pending:
        """The estimate for the store as it is now, or `Pending` (and it is made next)."""
        revision = self._store.revision()
        key = (revision, _key(params))
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._returned(self._done[key])
            being_made = key in self._queued or key == self._working
        # Looked for in the store first (kept there by this or an earlier server process),
        # unless the thread already has it in hand (it looks there itself before making it).
        kept = None if being_made else self._shared(self._read(revision, params))
        with self._lock:
            if kept is not None:
                self._done[key] = kept
                self._trim()
                return self._returned(kept)
            if key not in self._queued and key != self._working:
                self._queue.appendleft((revision, params))
                self._queued.add(key)
            self._start()
        return Pending(str(params.get("cohort")), str(params.get("measure")), _key(params))

    def wait(self, params: dict[str, Any], seconds: float) -> Result | Pending:
        """`get`, waiting up to `seconds` for an estimate being made."""
        found = self.get(params)
        deadline = time.monotonic() + seconds
        while isinstance(found, Pending) and time.monotonic() < deadline:
            with self._lock:
                self._lock.wait(min(0.05, max(deadline - time.monotonic(), 0)))
            found = self.get(params)
        return found

    def ready(self, pending: Iterable[Pending]) -> bool:
        """Whether every one of these estimates is made for the store as it is now."""
        revision = self._store.revision()
        with self._lock:
            return all((revision, p.key) in self._done for p in pending)

    def idle(self) -> bool:
        """Whether nothing is queued or being made."""
        with self._lock:
            return not self._queue and self._working is None

    def made(self, kind: str, params: dict[str, Any]) -> Any | None:
        """The `kind` of derived data (`MAKERS`: a trend, a partnership's pairings) for these
        arguments, if the thread has made it for the store as it is now; None if not (the
        page works it out itself, as it would have without the thread). Never queues."""
        key = (self._store.revision(), _key(derived_params(kind, params)))
        with self._lock:
            found = self._derived.get(key)
            if found is not None:
                self._derived.move_to_end(key)
            return found

    def warm_needed(self) -> bool:
        """Whether the store has changed since the defaults were last queued."""
        revision = self._store.revision()
        with self._lock:
            return revision not in self._warmed

    def warm(self, jobs: Iterable[dict[str, Any]]) -> None:
        """Queue these estimates for the store's current revision, once per revision, and
        forget those of earlier revisions."""
        revision = self._store.revision()
        with self._lock:
            if revision in self._warmed:
                return
            self._warmed = {revision}
            for key in [k for k in self._done if k[0] != revision]:
                del self._done[key]
            # the shared schools of the estimates still kept (an earlier revision's go)
            self._schools = {s: s for found in self._done.values()
                             if isinstance(found, Estimate)
                             for s in (*found.comparison_schools, *found.joining_schools)}
            for key in [k for k in self._derived if k[0] != revision]:
                del self._derived[key]
            self._queue = deque((r, p) for r, p in self._queue if r == revision)
            self._queued = {(r, _key(p)) for r, p in self._queue}
            room = self._keep - len(self._done)
            derived_room = DERIVED_KEEP - len(self._derived)
            for params in jobs:
                key = (revision, _key(params))
                derived = KIND in params
                if (derived_room if derived else room) <= 0:
                    continue
                if key in self._done or key in self._derived or key in self._queued:
                    continue
                self._queue.append((revision, params))
                self._queued.add(key)
                if derived:
                    derived_room -= 1
                else:
                    room -= 1
            self._start()

    def close(self) -> None:
        """Stop the thread after the estimate it is making (the store is being closed)."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._lock.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)

    # --- the thread ----------------------------------------------------------------------------

    def _read(self, revision: Any, params: dict[str, Any]) -> Result | None:
        try:
            return stored(self._store, revision, params)
        except (duckdb.Error, ValueError, TypeError, KeyError):
            return None  # unreadable (closed store, a result of an older shape): made again

    def _make_derived(self, revision: Any, key: tuple[Any, Key], params: dict[str, Any]
                      ) -> None:
        """Make a trend or pairings job; an error is not kept (the page meets it itself)."""
        args = {k: v for k, v in params.items() if k != KIND}
        result = None
        try:
            if self._store.revision() == revision:
                result = self._makers[params[KIND]](self._store, **args)
        except Exception:  # noqa: BLE001, S110 - the page works it out and meets it itself
            result = None
        with self._lock:
            if result is not None and self._store_revision_is(revision):
                self._derived[key] = result
                while len(self._derived) > DERIVED_KEEP:
                    self._derived.popitem(last=False)
            self._working = None
            self._lock.notify_all()

    def _store_revision_is(self, revision: Any) -> bool:
        try:
            return self._store.revision() == revision
        except Exception:  # noqa: BLE001 - closed under the thread
            return False

    def _shared(self, result: R) -> R:
        """The estimate with its schools' entries shared with the other kept estimates (the
        same school, used the same way, is one object): the estimates of every cohort against
        the schools of all England list much the same 17,000 comparison schools, each entry
        made afresh (its name too), which kept 60 of them at about 200 MB. The entries are
        equal field for field, so the estimate is too; nothing changes an entry once made."""
        if not isinstance(result, Estimate):
            return result
        schools = self._schools
        result.comparison_schools = [schools.setdefault(s, s)
                                     for s in result.comparison_schools]
        result.joining_schools = [schools.setdefault(s, s) for s in result.joining_schools]
        return result

    def _trim(self) -> None:
        while len(self._done) > self._keep:
            self._done.popitem(last=False)

    @staticmethod
    def _returned(found: Result | BaseException) -> Result:
        if isinstance(found, BaseException):
            raise found
        return found

    def _start(self) -> None:
        if self._closed or (self._thread is not None and self._thread.is_alive()):
            return
        self._thread = threading.Thread(target=self._work, name="impact-estimates",
                                        daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._closed or not self._queue:
                    self._working = None
                    return
                revision, params = self._queue.popleft()
                key = (revision, _key(params))
                self._queued.discard(key)
                self._working = key
            if KIND in params:
                self._make_derived(revision, key, params)
                continue
            try:
                if self._store.revision() != revision:
                    continue  # the store changed: its own revision's jobs are queued
                result: Result | BaseException | None = self._read(revision, params)
                if result is None:  # not kept in the store by an earlier run: make it
                    try:
                        result = self._make(self._store, **params)
                    except UnknownName as error:
                        result = str(error)
                    except Exception as error:  # noqa: BLE001 - raised again where asked for
                        result = error
                    if self._store.revision() != revision:
                        continue
                    if not isinstance(result, BaseException):
                        keep(self._store, revision, params, result)
            except Exception:  # noqa: BLE001 - the store was closed under the thread
                with self._lock:
                    self._working = None
                    self._closed = True
                return
            result = self._shared(result)
            with self._lock:
                self._done[key] = result
                self._trim()
                self._working = None
                self._lock.notify_all()
