"""A national-scale store with the real schema: ~22,000 schools, 10 years, millions of facts.

A local authority, a research partnership or a national programme compares against all of
England, so pages and queries must stay quick at this size. The data are synthetic but shaped
like the real thing: phases, local authorities, 150 trusts with cohorts and staggered joining
dates, statutory results each summer (none in 2019/20 and 2020/21), termly teacher assessment,
four pupil groups, suppressed small groups, Ofsted histories and CPD records.

Rows are made inside DuckDB from `range()` with hash-based pseudo-random numbers, so a build is
deterministic and takes seconds rather than minutes. Usage:

    python -m bench.national --out /tmp/national.duckdb [--schools 22000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from impact.auth import Actor
from impact.store import Store

BENCH_ACTOR = Actor("Benchmark generator", "admin")
FIRST_YEAR = 2015
YEARS = 10
GROUPS = ("all", "disadvantaged", "boys", "girls")
PRIMARY_MEASURES = ("ks2_rwm_exp", "ks2_rwm_high", "ks2_read_score", "ks2_mat_score",
                    "ks2_read_progress", "ks2_writ_progress", "ks2_mat_progress", "eyfs_gld",
                    "phonics_y1")
SECONDARY_MEASURES = ("ks4_att8", "ks4_p8", "ks4_basics_94", "ks4_basics_95")
TERMLY_MEASURES = ("ta_reading", "ta_maths")  # with the 13 above: 15 measures


def _u(*parts: str) -> str:
    """SQL for a deterministic uniform(0, 1) number from the given column expressions."""
    return f"((hash({', '.join(parts)}) % 1000003) / 1000003.0)"


def _bound(sql: str, params: dict[str, int]) -> dict[str, int]:
    """Only the parameters this statement names (DuckDB refuses extra ones)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def build(path: Path, *, schools: int = 22000, partnerships: int = 150) -> dict[str, int]:
    """Create (replacing) a national-scale store at `path`; returns row counts per table."""
    path = Path(path)
    for stale in (path, path.with_suffix(path.suffix + ".wal")):
        stale.unlink(missing_ok=True)
    store = Store(path)
    params = {"n": schools, "p": partnerships, "first": FIRST_YEAR, "years": YEARS}
    with store.writing(BENCH_ACTOR) as tx:

        def run(sql: str, values: dict[str, int] | None = None) -> object:
            return tx.execute(sql, _bound(sql, values) if values else None)

        run("""
            INSERT INTO schools (urn, name, phase, school_type, local_authority, pupils, capacity,
                                 upload_id)
            SELECT 100000 + i AS urn, 'School ' || i AS name,
                   CASE WHEN i % 50 = 0 THEN 'Special' WHEN i % 6 = 0 THEN 'Secondary'
                        ELSE 'Primary' END AS phase,
                   CASE WHEN i % 3 = 0 THEN 'Academy converter' ELSE 'Community school' END,
                   'LA ' || (300 + i % 150) AS local_authority,
                   CAST(150 + (i * 37) % 900 AS INTEGER) AS pupils,
                   CAST(200 + (i * 37) % 900 AS INTEGER) AS capacity, 0
            FROM range($n) t(i)""", params)
        run("""
            INSERT INTO partnerships
            SELECT 'Trust ' || k, 'Multi-academy trust', 0 FROM range($p) t(k)""", params)
        run("""
            INSERT INTO cohorts
            SELECT 'Trust ' || k, 'Cohort ' || c, 'Focus ' || c,
                   make_date(2016 + CAST((k + c) % 8 AS INTEGER), 9, 1), 0
            FROM range($p) t(k), range(3) u(c)""", params)
        # One large staggered cohort of 60 primary schools, for the analysis benchmark.
        run("""INSERT INTO partnerships VALUES ('Large Trust', 'Multi-academy trust', 0)""")
        run("""INSERT INTO cohorts VALUES ('Large Trust', 'Large cohort', 'Benchmark',
                                          DATE '2017-09-01', 0)""")
        # About 40% of schools belong to one trust's cohort, joining in staggered years.
        run("""
            INSERT INTO memberships
            SELECT 100000 + i, 'Trust ' || (i % $p), 'Cohort ' || ((i // $p) % 3),
                   make_date(2016 + CAST((i % $p + (i // $p) % 3) % 8 AS INTEGER), 9, 1),
                   NULL, 0
            FROM range($n) t(i) WHERE i % 5 < 2""", params)
        run("""
            INSERT INTO memberships
            SELECT urn, 'Large Trust', 'Large cohort',
                   make_date([2017, 2018, 2021, 2022][1 + CAST(urn % 4 AS INTEGER)], 9, 1),
                   NULL, 0
            FROM (SELECT urn FROM schools WHERE phase = 'Primary' AND urn % 5 = 2
                  ORDER BY urn LIMIT 60)""")
        measures = ", ".join(f"('{m}', 'Primary')" for m in PRIMARY_MEASURES) + ", " + \
            ", ".join(f"('{m}', 'Secondary')" for m in SECONDARY_MEASURES)
        run(f"""
            CREATE TEMP TABLE bench_measures AS
            SELECT * FROM (VALUES {measures}) v(measure, phase)""")
        run(f"""
            INSERT INTO attainment (urn, academic_year, term, measure, pupil_group, cohort_size, value,
                                    value_note, source, upload_id)
            WITH base AS (
                SELECT s.urn, $first + y AS y, m.measure, g.grp,
                       CAST(CASE g.grp WHEN 'all' THEN 30 + s.urn % 60
                                       WHEN 'disadvantaged' THEN 2 + s.urn % 25
                                       ELSE 15 + s.urn % 30 END AS INTEGER) AS n,
                       {_u('s.urn', 'y', 'm.measure', 'g.grp')} AS r
                FROM schools s
                JOIN bench_measures m ON m.phase = s.phase
                CROSS JOIN range($years) t(y)
                CROSS JOIN (VALUES ('all'), ('disadvantaged'), ('boys'), ('girls')) g(grp)
                WHERE $first + y NOT IN (2019, 2020)
                  AND NOT (m.measure LIKE 'ks2_%progress' AND $first + y IN (2023, 2024))
                  AND NOT (m.measure = 'ks4_p8' AND $first + y IN (2024))
            )
            SELECT urn, CAST(y AS VARCHAR) || '/' || lpad(CAST((y + 1) % 100 AS VARCHAR), 2, '0'),
                   'Summer', measure, grp, n,
                   CASE WHEN n <= 5 THEN NULL
                        WHEN measure IN ('ks2_read_score', 'ks2_mat_score') THEN round(100 + 10 * r, 0)
                        WHEN measure LIKE '%progress' OR measure = 'ks4_p8' THEN round(-3 + 6 * r, 1)
                        WHEN measure = 'ks4_att8' THEN round(30 + 30 * r, 1)
                        ELSE round(30 + 60 * r, 0) END,
                   CASE WHEN n <= 5 THEN 'c' END, 'Benchmark generator', 0
            FROM base""", params)
        run(f"""
            INSERT INTO attainment (urn, academic_year, term, measure, pupil_group, cohort_size, value,
                                    value_note, source, upload_id)
            SELECT s.urn, CAST($first + y AS VARCHAR) || '/' ||
                          lpad(CAST(($first + y + 1) % 100 AS VARCHAR), 2, '0'),
                   term, measure, grp, CAST(25 + s.urn % 40 AS INTEGER),
                   round(40 + 50 * {_u('s.urn', 'y', 'term', 'measure', 'grp')}, 0), NULL,
                   'Benchmark generator', 0
            FROM schools s
            CROSS JOIN range($years) t(y)
            CROSS JOIN (VALUES ('Autumn'), ('Spring'), ('Summer')) te(term)
            CROSS JOIN (VALUES {", ".join(f"('{m}')" for m in TERMLY_MEASURES)}) m(measure)
            CROSS JOIN (VALUES ('all'), ('disadvantaged'), ('boys'), ('girls')) g(grp)
            WHERE s.phase = 'Primary'""", params)
        run("""
            INSERT INTO benchmarks (area_type, area_code, area_name, academic_year, term, measure,
                                    pupil_group, cohort_size, value, value_note, source, upload_id)
            SELECT 'national', 'E92000001', 'England', academic_year, term, measure,
                   pupil_group, CAST(sum(cohort_size) AS INTEGER),
                   round(sum(value * cohort_size) / sum(cohort_size), 1), NULL,
                   'Benchmark generator', 0
            FROM attainment WHERE value IS NOT NULL
            GROUP BY ALL""")
        run("""
            INSERT INTO benchmarks (area_type, area_code, area_name, academic_year, term, measure,
                                    pupil_group, cohort_size, value, value_note, source, upload_id)
            SELECT 'local_authority', s.local_authority, s.local_authority, academic_year, term,
                   measure, pupil_group, CAST(sum(cohort_size) AS INTEGER),
                   round(sum(value * cohort_size) / sum(cohort_size), 1), NULL,
                   'Benchmark generator', 0
            FROM attainment a JOIN schools s USING (urn) WHERE value IS NOT NULL
            GROUP BY ALL""")
        run(f"""
            INSERT INTO ofsted_inspections (urn, inspection_date, framework, inspection_type,
                overall_effectiveness, quality_of_education, behaviour_and_attitudes,
                personal_development, leadership_and_management, safeguarding, source, upload_id)
            SELECT urn, make_date(2014 + 3 * k + CAST(urn % 3 AS INTEGER), 1 + CAST(urn % 12 AS INTEGER), 10),
                   'graded', 'Graded inspection',
                   ['Outstanding', 'Good', 'Good', 'Good', 'Requires improvement', 'Inadequate']
                       [1 + CAST(floor(6 * {_u('urn', 'k')}) AS INTEGER)],
                   'Good', 'Good', 'Good', 'Good', 'Yes', 'Benchmark generator', 0
            FROM schools, range(3) t(k)""")
        run("""
            INSERT INTO ofsted_inspections (urn, inspection_date, framework, inspection_type,
                inclusion, curriculum_and_teaching, achievement, attendance_and_behaviour,
                personal_development_and_wellbeing, leadership_and_governance, safeguarding,
                source, upload_id)
            SELECT urn, DATE '2026-01-15' + CAST(urn % 200 AS INTEGER), 'report_card',
                   'Report card', 'Expected standard', 'Strong standard', 'Expected standard',
                   'Expected standard', 'Strong standard', 'Expected standard', 'Met',
                   'Benchmark generator', 0
            FROM schools WHERE urn % 4 = 0""")
        run(f"""
            INSERT INTO cpd_activities (urn, academic_year, term, activity, staff_role,
                staff_count, hours_each, self_assessment_before, self_assessment_after,
                lessons_good_or_better, staff_confidence, upload_id)
            SELECT m.urn, CAST($first + y AS VARCHAR) || '/' ||
                          lpad(CAST(($first + y + 1) % 100 AS VARCHAR), 2, '0'),
                   term, activity, 'Teachers', CAST(3 + m.urn % 10 AS INTEGER), 3.0,
                   2.5, round(2.5 + 2 * {_u('m.urn', 'y', 'term', 'activity')}, 1), 75.0, 3.5, 0
            FROM memberships m
            CROSS JOIN range($years) t(y)
            CROSS JOIN (VALUES ('Autumn'), ('Spring'), ('Summer')) te(term)
            CROSS JOIN (VALUES ('Review day'), ('Joint moderation')) a(activity)
            WHERE $first + y >= year(m.joined_date)""", params)
        counts = {t: tx.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("schools", "partnerships", "cohorts", "memberships", "attainment",
                            "benchmarks", "ofsted_inspections", "cpd_activities")}
    store.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="store file to create (replaced)")
    parser.add_argument("--schools", type=int, default=22000)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build(Path(args.out), schools=args.schools)
    seconds = time.perf_counter() - started
    for table, count in counts.items():
        print(f"{table:>20}: {count:>12,}")
    print(f"built {args.out} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
