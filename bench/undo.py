"""Undo at national scale (`python -m bench.undo`): what logging every sent row costs.

A national attainment file has about 500,000 rows. Every upload now logs each key it sent,
unchanged ones too (key only), so that undoing an earlier upload can see a later one that
re-sent the same rows. This writes 500,000 rows through `impact.importing.writing.apply`
(the pipeline's write step, after validation), sends them again unchanged, and times: the
first write, the re-send (with and without the unchanged rows logged, the ratio is the cost),
the refused undo of the first (it names the re-send) and the undos in the right order.
Writes bench/results/undo.json.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd

from bench import machine
from impact.auth import DEMO_ADMIN
from impact.domain.natural_keys import TABLES
from impact.importing import writing
from impact.store import Store

RESULTS = Path(__file__).resolve().parent / "results"


def _frame(schools: int) -> pd.DataFrame:
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2000, 2020)]
    urns = np.repeat(np.arange(100000, 100000 + schools), len(years))
    return pd.DataFrame({
        "urn": urns, "academic_year": np.tile(years, schools), "term": "Summer",
        "measure": "ks2_rwm_exp", "pupil_group": "all", "cohort_size": 30,
        "value": np.random.default_rng(1).normal(60, 5, len(urns)), "value_note": None,
        "source": "bench", "lower": None, "upper": None})


def _upload(store: Store, frame: pd.DataFrame, upload_id: int) -> float:
    started = time.perf_counter()
    with store.writing(DEMO_ADMIN) as tx:
        tx.execute("INSERT INTO uploads VALUES (?, now(), 'bench', 'admin', 'national.csv', "
                   "'x', 'attainment', 0, 0, 0, '[]', '{}', 'accepted')", [upload_id])
        writing.apply(tx.cursor, TABLES["attainment"], frame, upload_id)
    return time.perf_counter() - started


def _undo(store: Store, upload_id: int) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        with store.writing(DEMO_ADMIN) as tx:
            writing.undo_upload(tx.cursor, upload_id)
            tx.execute("UPDATE uploads SET status = 'undone' WHERE upload_id = ?", [upload_id])
        said = "undone"
    except writing.UndoConflict as refused:
        said = str(refused)
    return time.perf_counter() - started, said


def once(folder: Path, frame: pd.DataFrame, log_unchanged: bool = True) -> dict:
    store = Store(folder / f"undo-{time.perf_counter_ns()}.duckdb")
    try:
        out = {"first_s": _upload(store, frame, 1)}
        if log_unchanged:
            out["resend_s"] = _upload(store, frame, 2)
            out["refused_s"], out["refusal"] = _undo(store, 1)
            out["undo_resend_s"], _ = _undo(store, 2)
            out["undo_first_s"], _ = _undo(store, 1)
            out["log_rows"] = int(store.scalar("SELECT count(*) FROM attainment_changes"))
        else:
            with mock.patch.object(writing, "KEYS_LOGGED", ("added",)):
                out["resend_s"] = _upload(store, frame, 2)
        return out
    finally:
        store.close()


def run(schools: int = 25000, runs: int = 3) -> dict:
    frame = _frame(schools)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        logged = [once(folder, frame) for _ in range(runs)]
        plain = [once(folder, frame, log_unchanged=False) for _ in range(runs)]

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    result = {
        "machine": machine.describe(), "rows": len(frame), "runs": runs,
        "first_upload_s": median(logged, "first_s"),
        "resend_logged_s": median(logged, "resend_s"),
        "resend_not_logged_s": median(plain, "resend_s"),
        "refused_undo_s": median(logged, "refused_s"),
        "undo_resend_s": median(logged, "undo_resend_s"),
        "undo_first_s": median(logged, "undo_first_s"),
        "log_rows": logged[0]["log_rows"],
        "refusal": logged[0]["refusal"],
    }
    result["resend_cost_ratio"] = result["resend_logged_s"] / result["resend_not_logged_s"]
    return result


def main() -> None:
    result = run()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "undo.json").write_text(json.dumps(result, indent=2, default=str),
                                       encoding="utf-8")
    from bench import report

    report.write()
    for key, value in result.items():
        if key not in ("machine", "refusal"):
            print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")
    print(result["refusal"])


if __name__ == "__main__":
    main()
