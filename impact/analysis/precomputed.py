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

import json
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from impact.analysis.data import UnknownName
from impact.analysis.estimate import Estimate, impact_estimate
from impact.analysis.serialised import from_json, to_json
from impact.domain import comparisons
from impact.store import Store, StoreUnavailable

# Estimates kept at once (an estimate against every school in England holds its 17,000
# comparison schools: about 5 MB); the defaults beyond this are made when asked for.
KEEP = 60

Key = tuple[tuple[str, Any], ...]
Result = Estimate | str


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
        kept = None if being_made else self._read(revision, params)
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
            self._queue = deque((r, p) for r, p in self._queue if r == revision)
            self._queued = {(r, _key(p)) for r, p in self._queue}
            room = self._keep - len(self._done)
            for params in jobs:
                key = (revision, _key(params))
                if room <= 0:
                    break
                if key in self._done or key in self._queued:
                    continue
                self._queue.append((revision, params))
                self._queued.add(key)
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
            with self._lock:
                self._done[key] = result
                self._trim()
                self._working = None
                self._lock.notify_all()
