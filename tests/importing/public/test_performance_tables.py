"""DfE performance tables, imported exactly as published (real Surrey files, 2016-17 to 2018-19).

Expected figures were read by hand from the raw CSV files (grep), not from the importer.
"""

from __future__ import annotations

import pandas as pd
import pytest

from impact.auth import Actor
from impact.importing.pipeline import undo_upload
from impact.store import Store
from tests.factories import load as load_template
from tests.factories import schools_frame
from tests.importing.public.published_files import csv_bytes, csv_rows, ks, load, write

YEARS = ("2016-17", "2017-18", "2018-19")


def figure(store, urn, measure, group="all", year="2018/19"):
    row = store.query(
        "SELECT value, value_note, cohort_size, lower, upper, term, source FROM attainment "
        "WHERE urn = ? AND measure = ? AND pupil_group = ? AND academic_year = ?",
        [urn, measure, group, year])
    assert len(row) == 1, (urn, measure, group, year)
    return row.iloc[0]


def benchmark(store, area_code, measure, group="all", year="2018/19"):
    row = store.query(
        "SELECT area_type, area_name, value, value_note, cohort_size, lower, upper "
        "FROM benchmarks WHERE area_code = ? AND measure = ? AND pupil_group = ? "
        "AND academic_year = ?", [area_code, measure, group, year])
    assert len(row) == 1, (area_code, measure, group, year)
    return row.iloc[0]


@pytest.mark.parametrize("stage", [2, 4])
@pytest.mark.parametrize("year", YEARS)
def test_every_real_table_imports_untouched(store, stage, year):
    result = load(store, ks(stage, year))
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.kind == f"dfe_ks{stage}"
    summary = result.plan.summary
    academic_year = f"{year[:4]}/{year[5:]}"
    assert summary["years"] == [academic_year]
    assert summary["year_from"] == "the file name"
    assert summary["schools"] > 100
    assert summary["benchmark_rows"] > 0
    assert store.scalar("SELECT count(DISTINCT academic_year) FROM attainment") == 1
    assert store.scalar("SELECT count(*) FROM attainment WHERE term <> 'Summer'") == 0
    # Nothing with a reason for no value was turned into a number.
    assert store.scalar("SELECT count(*) FROM attainment "
                        "WHERE value_note IS NOT NULL AND value IS NOT NULL") == 0


def test_ks2_school_figures_with_their_cohorts_and_intervals(store):
    load(store, ks(2, "2018-19"))
    # Wyke Primary School, row 2: TELIG 27, PTRWM_EXP 78%, PTRWM_HIGH 11%, READPROG 1.7
    # (-0.6 to 4.1), READ_AVERAGE 106, BELIG 16 and PTRWM_EXP_B 81%.
    rwm = figure(store, 145543, "ks2_rwm_exp")
    assert (rwm.value, rwm.cohort_size, rwm.term, rwm.source) == \
        (78.0, 27, "Summer", "DfE performance tables")
    assert figure(store, 145543, "ks2_rwm_high").value == 11.0
    progress = figure(store, 145543, "ks2_read_progress")
    assert (progress.value, progress.lower, progress.upper) == (1.7, -0.6, 4.1)
    assert figure(store, 145543, "ks2_read_score").value == 106.0
    boys = figure(store, 145543, "ks2_rwm_exp", "boys")
    assert (boys.value, boys.cohort_size) == (81.0, 16)
    # St Joseph's Catholic Primary School, row 165: 7 EAL pupils, 71% of them at the standard.
    eal = figure(store, 125204, "ks2_rwm_exp", "eal")
    assert (eal.value, eal.cohort_size) == (71.0, 7)


def test_suppressed_figures_are_stored_as_no_value_never_zero(store):
    load(store, ks(2, "2018-19"))
    # Wyke: 3 disadvantaged pupils (TFSM6CLA1A), PTRWM_EXP_FSM6CLA1A and READPROG_FSM6CLA1A SUPP.
    suppressed = figure(store, 145543, "ks2_rwm_exp", "disadvantaged")
    assert suppressed.value_note == "SUPP"
    assert suppressed.value != suppressed.value  # NaN: NULL in the store, not 0
    assert suppressed.cohort_size == 3
    assert store.scalar(
        "SELECT value IS NULL FROM attainment WHERE urn = 145543 AND measure = "
        "'ks2_read_progress' AND pupil_group = 'disadvantaged'") is True
    assert store.scalar("SELECT count(*) FROM attainment WHERE value_note = 'SUPP'") > 1000
    assert store.scalar("SELECT count(*) FROM attainment WHERE value_note = 'SUPP' "
                        "AND value = 0") == 0
    # St Joseph's has no disadvantaged pupils and an empty cell: no figure at all, not 0.
    assert store.scalar("SELECT count(*) FROM attainment WHERE urn = 125204 "
                        "AND pupil_group = 'disadvantaged'") == 0


def test_ragged_rows_are_padded_and_bring_no_figures(store):
    result = load(store, ks(2, "2018-19"))
    # Lime Tree Primary School (row 9) has 26 fields; Chart Wood School (row 225) 315 of 318.
    rows = csv_rows(ks(2, "2018-19"))
    widths = {r[4]: len(r) for r in rows[1:]}
    assert (widths["139557"], widths["146527"], len(rows[0])) == (26, 315, 318)
    assert store.scalar("SELECT count(*) FROM attainment WHERE urn IN (139557, 146527)") == 0
    skipped = {s["reason"]: s["count"] for s in result.plan.summary["skipped"]}
    no_results = [count for reason, count in skipped.items() if "no KS2 results" in reason]
    assert no_results == [12]  # 11 schools with 24-26 fields and Chart Wood School


def test_ks2_local_authority_and_england_lines(store):
    load(store, ks(2, "2018-19"))
    # Row 241 (RECTYPE 3): Surrey, TELIG 12400, 70%; 2,066 disadvantaged pupils, 46%.
    surrey = benchmark(store, "936", "ks2_rwm_exp")
    assert (surrey.area_type, surrey.area_name, surrey.value, surrey.cohort_size) == \
        ("local_authority", "Surrey", 70.0, 12400)
    assert benchmark(store, "936", "ks2_rwm_exp", "disadvantaged").value == 46.0
    assert benchmark(store, "936", "ks2_read_progress").value == 0.3
    # Row 243 (RECTYPE 5, state-funded): 644,967 pupils, 65%, reading score 104; its reading
    # progress cell is a lone space, stored as BLANK. Row 242 (all schools) is not used.
    england = benchmark(store, "E92000001", "ks2_rwm_exp")
    assert (england.area_type, england.area_name, england.value, england.cohort_size) == \
        ("national", "England (state-funded)", 65.0, 644967)
    assert benchmark(store, "E92000001", "ks2_read_score").value == 104.0
    blank = benchmark(store, "E92000001", "ks2_read_progress")
    assert blank.value_note == "BLANK" and blank.value != blank.value
    assert store.scalar("SELECT count(DISTINCT area_code) FROM benchmarks") == 2


def test_ks4_school_and_comparison_lines(store):
    load(store, ks(4, "2018-19"))
    # Glyn School (row 84): TPUP 255, ATT8SCR 56.3, P8MEA 0.25 (0.08 to 0.41) over P8PUP 231,
    # 89% and 79% grade 4+/5+ in English and maths; 23 disadvantaged pupils, 74% at 4+.
    assert figure(store, 136534, "ks4_att8").value == 56.3
    assert figure(store, 136534, "ks4_att8").cohort_size == 255
    p8 = figure(store, 136534, "ks4_p8")
    assert (p8.value, p8.lower, p8.upper, p8.cohort_size) == (0.25, 0.08, 0.41, 231)
    assert figure(store, 136534, "ks4_basics_94").value == 89.0
    assert figure(store, 136534, "ks4_basics_95").value == 79.0
    disadvantaged = figure(store, 136534, "ks4_basics_94", "disadvantaged")
    assert (disadvantaged.value, disadvantaged.cohort_size) == (74.0, 23)
    assert figure(store, 136534, "ks4_p8", "disadvantaged").cohort_size == 22
    # Surrey (RECTYPE 4, row 132) and England state-funded (RECTYPE 7, row 134).
    surrey = benchmark(store, "936", "ks4_att8")
    assert (surrey.area_name, surrey.value, surrey.cohort_size) == ("Surrey", 50.3, 10388)
    surrey_p8 = benchmark(store, "936", "ks4_p8")
    assert (surrey_p8.value, surrey_p8.lower, surrey_p8.upper) == (0.18, 0.16, 0.21)
    england = benchmark(store, "E92000001", "ks4_p8")
    assert (england.value, england.cohort_size) == (-0.03, 512929)
    assert benchmark(store, "E92000001", "ks4_att8").value == 46.7


def test_percentages_written_with_decimals(store):
    load(store, ks(4, "2016-17"))
    # Row 8: Surrey 73.00%; row 131: England state-funded 63.90%.
    assert benchmark(store, "936", "ks4_basics_94", year="2016/17").value == 73.0
    assert benchmark(store, "E92000001", "ks4_basics_94", year="2016/17").value == 63.9


def test_three_years_build_a_trend_for_one_school(store):
    for year in YEARS:
        assert load(store, ks(2, year)).status == "accepted"
    trend = store.query("SELECT academic_year, value FROM attainment WHERE urn = 145543 AND "
                        "measure = 'ks2_rwm_exp' AND pupil_group = 'all' ORDER BY 1")
    assert trend["academic_year"].tolist()[-1] == "2018/19"
    assert store.scalar("SELECT count(DISTINCT academic_year) FROM benchmarks "
                        "WHERE area_code = '936'") == 3


def test_schools_not_in_the_store_are_added_and_known_ones_kept(store):
    frame = schools_frame(1, first_urn=145543, in_partnership=0)
    frame.loc[0, "School name"] = "Wyke (our name)"
    load_template(store, "schools", frame)
    result = load(store, ks(2, "2018-19"))
    assert result.plan.summary["new_schools"] == result.plan.summary["schools"] - 1
    assert store.scalar("SELECT name FROM schools WHERE urn = 145543") == "Wyke (our name)"
    added = store.query("SELECT name, phase, school_type, local_authority FROM schools "
                        "WHERE urn = 125204").iloc[0]
    assert tuple(added) == ("St Joseph's Catholic Primary School", "Primary",
                            "Voluntary aided school", "Surrey")


def test_importing_the_same_table_again_changes_nothing(store):
    first = load(store, ks(2, "2017-18"))
    again = load(store, ks(2, "2017-18"))
    assert again.plan.rows_added == 0 and again.plan.rows_updated == 0
    # The schools are now known, so only the figures and comparison lines are compared.
    assert again.plan.summary["new_schools"] == 0
    assert again.plan.rows_unchanged == first.plan.rows_added - first.plan.summary["new_schools"]


def test_year_from_the_columns_when_the_name_says_nothing(store, tmp_path):
    path = write(tmp_path, "england_ks2final.csv", ks(2, "2017-18").read_bytes())
    result = load(store, path)
    assert result.status == "accepted"
    assert result.plan.summary["years"] == ["2017/18"]
    assert result.plan.summary["year_from"] == "the columns"


def test_year_stated_by_the_user_wins_and_a_conflict_is_asked_about(store, tmp_path):
    misnamed = write(tmp_path, "ks2_2017-18_surrey.csv", ks(2, "2018-19").read_bytes())
    rejected = load(store, misnamed)
    assert rejected.status == "rejected"
    assert "2017/18" in rejected.plan.problems[0].message
    assert "--year" in rejected.plan.problems[0].message
    stated = load(store, misnamed, academic_year="2018/19")
    assert stated.status == "accepted"
    assert stated.plan.summary["years"] == ["2018/19"]
    assert any("2018/19 was used" in w for w in stated.plan.warnings)


def test_a_bad_cell_is_named_by_row_column_value_and_expectation(store, tmp_path):
    rows = csv_rows(ks(2, "2018-19"))
    column = rows[0].index("PTRWM_EXP")
    rows[1][column] = "7 8%"
    rows[2][rows[0].index("PTRWM_HIGH")] = "178%"
    path = write(tmp_path, "ks2_2018-19_edited.csv", csv_bytes(rows, bom=True))
    result = load(store, path)
    assert result.status == "rejected"
    problems = {(p.row, p.column, p.value): p.message for p in result.plan.problems}
    assert "SUPP" in problems[(2, "PTRWM_EXP", "7 8%")]
    assert "between 0 and 100" in problems[(3, "PTRWM_HIGH", "178%")]
    assert store.scalar("SELECT count(*) FROM attainment") == 0  # nothing half-written


def test_only_admins_and_data_managers_may_import_public_tables(store):
    head = Actor("A head", "head", frozenset({145543}))
    result = load(store, ks(2, "2018-19"), actor=head)
    assert result.status == "rejected"
    assert any("benchmark" in p.message for p in result.plan.problems)
    assert store.scalar("SELECT count(*) FROM benchmarks") == 0


def test_an_import_can_be_undone_as_a_whole(store):
    result = load(store, ks(4, "2017-18"))
    assert store.scalar("SELECT count(*) FROM attainment") > 0
    undo_upload(store, result.upload_id, Actor("Admin", "admin"))
    for table in ("attainment", "benchmarks", "schools"):
        assert store.scalar(f"SELECT count(*) FROM {table}") == 0


def _as_excel_would_save(cell: str) -> object:
    """A cell as Excel keeps it after opening the CSV: 78% becomes 0.78, 106 becomes 106."""
    text = cell.strip()
    try:
        if text.endswith("%"):
            return float(text[:-1]) / 100
        return float(text) if "." in text else int(text)
    except ValueError:
        return cell


def test_a_table_saved_from_excel_as_xlsx_gives_the_same_figures(store, tmp_path):
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ks2_2018-19_936_surrey")
    for row in csv_rows(ks(2, "2018-19")):
        sheet.append([_as_excel_would_save(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    result = load(store, write(tmp_path, "ks2_2018-19_936_surrey.xlsx", buffer.getvalue()))
    assert result.status == "accepted", result.as_dict()["errors"]
    assert any("0.78 means 78%" in w for w in result.plan.warnings)
    assert figure(store, 145543, "ks2_rwm_exp").value == 78.0
    # Every figure is the one the CSV gives (0.29 * 100 must not become 28.999999999999996).
    from_excel = store.query("SELECT urn, measure, pupil_group, value FROM attainment "
                             "WHERE value IS NOT NULL ORDER BY ALL")
    other = Store(tmp_path / "csv.duckdb")
    try:
        load(other, ks(2, "2018-19"))
        from_csv = other.query("SELECT urn, measure, pupil_group, value FROM attainment "
                               "WHERE value IS NOT NULL ORDER BY ALL")
    finally:
        other.close()
    pd.testing.assert_frame_equal(from_excel, from_csv)
    assert figure(store, 145543, "ks2_read_progress").value == 1.7  # not a percentage
    assert benchmark(store, "936", "ks2_rwm_exp").value == 70.0
    assert figure(store, 145543, "ks2_rwm_exp", "disadvantaged").value_note == "SUPP"
