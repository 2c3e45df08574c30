"""Similar-school matching reads each school's share of disadvantaged pupils; ties between
comparison schools are broken on it, so it must be the same number every time it is read.
A parallel average of doubles is not: DuckDB adds row groups in whatever order its threads
finish, and on a national store the last bits changed on every run (so did the "similar
schools" and their estimate). The store here is large enough for DuckDB to split the work."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from impact.store import Store

SCHOOLS, YEARS, MEASURES = 3_000, 10, 12


def _store(path: Path) -> Store:
    store = Store(path)
    with store.writing() as con:
        con.execute(f"""
            INSERT INTO attainment (urn, academic_year, term, measure, pupil_group,
                                    cohort_size, value)
            SELECT 100000 + s, (2010 + y)::VARCHAR || '/' || lpad(((11 + y) % 100)::VARCHAR, 2, '0'),
                   'Summer', 'm' || m, g,
                   CASE g WHEN 'disadvantaged' THEN 1 + (s * 7 + y * 13 + m) % 29
                          ELSE 40 + (s * 11 + y * 3 + m * 5) % 53 END,
                   50.0
            FROM range({SCHOOLS}) r(s), range({YEARS}) t(y), range({MEASURES}) u(m),
                 (VALUES ('all'), ('disadvantaged')) v(g)
        """)
    return store


def test_the_share_is_the_same_number_on_every_read_and_the_exact_mean(tmp_path: Path):
    store = _store(tmp_path / "big.duckdb")
    reads = [store.run("analysis_disadvantage") for _ in range(4)]
    assert len(reads[0]) == SCHOOLS
    first = reads[0]["disadvantaged_share"].to_numpy()
    for again in reads[1:]:
        assert again["disadvantaged_share"].to_numpy().tobytes() == first.tobytes()
    # ... and it is the mean of each school's shares, to the 12 places it is summed in
    s = 17
    shares = [Fraction(1 + (s * 7 + y * 13 + m) % 29, 40 + (s * 11 + y * 3 + m * 5) % 53)
              for y in range(YEARS) for m in range(MEASURES)]
    row = reads[0].set_index("urn").loc[100000 + s]
    assert row["pairs"] == YEARS * MEASURES
    assert abs(row["disadvantaged_share"] - float(sum(shares) / len(shares))) < 1e-11


def test_the_shares_are_read_once_per_store_revision(tmp_path: Path):
    from impact.analysis import data

    store = _store(tmp_path / "big.duckdb")
    first = data.disadvantage(store)
    assert len(first) == SCHOOLS
    assert data.disadvantage(store) is first, "read again although nothing changed"
    with store.writing() as con:
        con.execute("UPDATE attainment SET cohort_size = 1 WHERE pupil_group = 'disadvantaged' "
                    "AND urn = 100017")
        # a write the store's revision sees (real ones are uploads, undos and settings)
        con.execute("INSERT INTO settings (key, value) VALUES ('note', 'changed')")
    again = data.disadvantage(store)
    assert again is not first
    assert again.loc[100017] < first.loc[100017]
    assert again.drop(100017).equals(first.drop(100017))
