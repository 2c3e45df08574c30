"""Explore Education Statistics tidy files. There is no real EES file in shared/realdata: these
files are built in code to EES's open-data conventions (time_period 201819, geographic_level,
school_urn, old_la_code, breakdown filters with a Total level, the symbols c, x, z, low)."""

from __future__ import annotations

from tests.importing.public.published_files import (
    EES_KS2_COLUMNS,
    ees_file,
    ees_row,
    load,
    write,
)

SURREY = ("936", "E10000030", "Surrey")


def _ks2_rows() -> list[dict[str, str]]:
    return [
        ees_row("National", pupils="644967", rwm="65", high="11",
                progress=("600000", "0", "", "")),
        ees_row("National", topic="Disadvantage", breakdown="Disadvantaged", pupils="197488",
                rwm="51", high="5"),
        ees_row("Regional", pupils="100000", rwm="66", high="12"),
        ees_row("Local authority", la=SURREY, pupils="12400", rwm="70", high="13",
                progress=("11800", "0.3", "0.1", "0.5")),
        ees_row("Local authority", la=SURREY, topic="Sex", breakdown="Girls", pupils="6100",
                rwm="74", high="15"),
        ees_row("Local authority", la=SURREY, topic="Sex and disadvantage",
                breakdown="Disadvantaged boys", pupils="1000", rwm="40", high="3"),
        ees_row("School", la=SURREY, school=("145543", "Wyke Primary School"), pupils="27",
                rwm="78", high="11", progress=("25", "1.7", "-0.6", "4.1")),
        ees_row("School", la=SURREY, school=("145543", "Wyke Primary School"),
                topic="Disadvantage", breakdown="Disadvantaged", pupils="3", rwm="c", high="c",
                progress=("3", "c", "c", "c")),
        ees_row("School", la=SURREY, school=("125204", "St Joseph's Catholic Primary School"),
                pupils="27", rwm="85", high="low", progress=("27", "x", "", "")),
        ees_row("School", la=SURREY, school=("125204", "St Joseph's Catholic Primary School"),
                topic="Disadvantage", breakdown="Disadvantaged", pupils="0", rwm="z", high="z"),
        # An earlier (provisional) version of the same period is not used.
        ees_row("School", la=SURREY, school=("125204", "St Joseph's Catholic Primary School"),
                version="provisional", pupils="27", rwm="84", high="25"),
    ]


def test_a_tidy_ks2_file_gives_figures_and_comparison_lines(store, tmp_path):
    path = write(tmp_path, "ks2_school_level_201819.csv",
                 ees_file(EES_KS2_COLUMNS, _ks2_rows()))
    result = load(store, path)
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.kind == "ees"
    assert result.plan.summary["years"] == ["2018/19"]
    wyke = store.query("SELECT value, cohort_size, lower, upper FROM attainment WHERE urn = "
                       "145543 AND measure = 'ks2_read_progress' AND pupil_group = 'all'"
                       ).iloc[0]
    assert tuple(wyke) == (1.7, 25, -0.6, 4.1)
    assert store.scalar("SELECT value FROM attainment WHERE urn = 145543 AND measure = "
                        "'ks2_rwm_exp' AND pupil_group = 'all' AND term = 'Summer'") == 78.0
    assert store.scalar("SELECT value FROM attainment WHERE urn = 125204 AND measure = "
                        "'ks2_rwm_exp' AND pupil_group = 'all'") == 85.0  # revised, not 84
    surrey = store.query("SELECT area_name, value, cohort_size FROM benchmarks WHERE "
                         "area_code = '936' AND measure = 'ks2_rwm_exp' AND pupil_group = "
                         "'girls'").iloc[0]
    assert tuple(surrey) == ("Surrey", 74.0, 6100)
    england = store.query("SELECT area_type, area_name, value FROM benchmarks WHERE "
                          "area_code = 'E92000001' AND measure = 'ks2_rwm_exp' AND "
                          "pupil_group = 'disadvantaged'").iloc[0]
    assert tuple(england) == ("national", "England (state-funded)", 51.0)
    skipped = " | ".join(s["reason"] for s in result.plan.summary["skipped"])
    assert "Regional" in skipped and "'Disadvantaged boys'" in skipped
    assert "earlier version" in skipped
    assert store.scalar("SELECT name FROM schools WHERE urn = 145543") == "Wyke Primary School"


def test_symbols_are_stored_as_no_value_with_their_reason(store, tmp_path):
    path = write(tmp_path, "ks2_school_level_201819.csv",
                 ees_file(EES_KS2_COLUMNS, _ks2_rows()))
    load(store, path)
    notes = dict(store.query(
        "SELECT urn || ' ' || measure || ' ' || pupil_group, value_note FROM attainment "
        "WHERE value IS NULL").values.tolist())
    assert notes["145543 ks2_rwm_exp disadvantaged"] == "c"
    assert notes["125204 ks2_rwm_high all"] == "low"
    assert notes["125204 ks2_read_progress all"] == "x"
    assert notes["125204 ks2_rwm_exp disadvantaged"] == "z"
    assert store.scalar("SELECT count(*) FROM attainment WHERE value_note IS NOT NULL "
                        "AND value IS NOT NULL") == 0


def test_a_ks4_school_file_with_the_2024_25_names(store, tmp_path):
    columns = ["time_period", "time_identifier", "geographic_level", "country_code",
               "country_name", "old_la_code", "new_la_code", "la_name", "school_urn",
               "school_name", "breakdown_topic", "breakdown", "sex", "pupil_count",
               "attainment8_average", "progress8_average", "progress8_lower_95_ci",
               "progress8_upper_95_ci", "engmath_94_percent"]
    rows = [
        {"time_period": "202425", "time_identifier": "Academic year",
         "geographic_level": "School", "country_code": "E92000001", "country_name": "England",
         "old_la_code": "936", "new_la_code": "E10000030", "la_name": "Surrey",
         "school_urn": "136534", "school_name": "Glyn School", "breakdown_topic": "Total",
         "breakdown": "Total", "sex": "Total", "pupil_count": "255",
         "attainment8_average": "56.3", "progress8_average": "z",
         "progress8_lower_95_ci": "z", "progress8_upper_95_ci": "z",
         "engmath_94_percent": "89"},
        {"time_period": "202425", "time_identifier": "Academic year",
         "geographic_level": "School", "country_code": "E92000001", "country_name": "England",
         "old_la_code": "936", "new_la_code": "E10000030", "la_name": "Surrey",
         "school_urn": "136534", "school_name": "Glyn School", "breakdown_topic": "Total",
         "breakdown": "Total", "sex": "Boys", "pupil_count": "130",
         "attainment8_average": "54.1", "progress8_average": "z",
         "progress8_lower_95_ci": "z", "progress8_upper_95_ci": "z",
         "engmath_94_percent": "87"},
    ]
    crossed = dict(rows[1], breakdown_topic="Disadvantage", breakdown="Disadvantaged",
                   attainment8_average="40.2")
    rows.append(crossed)  # disadvantaged boys: two filters at once, not a tracked group
    path = write(tmp_path, "ks4_school_202425.csv", ees_file(columns, rows))
    result = load(store, path)
    assert result.status == "accepted", result.as_dict()["errors"]
    figures = dict(store.query("SELECT measure || ' ' || pupil_group, value FROM attainment "
                               "WHERE value IS NOT NULL").values.tolist())
    assert figures == {"ks4_att8 all": 56.3, "ks4_basics_94 all": 89.0,
                       "ks4_att8 boys": 54.1, "ks4_basics_94 boys": 87.0}
    skipped = {x["reason"]: x["count"] for x in result.plan.summary["skipped"]}
    assert skipped["rows for crossed pupil groups (such as disadvantaged boys)"] == 1
    # No Progress 8 for 2024/25: z (not applicable), never 0.
    assert store.scalar("SELECT value_note FROM attainment WHERE measure = 'ks4_p8' "
                        "AND pupil_group = 'all'") == "z"


def test_an_unreadable_figure_is_named(store, tmp_path):
    rows = _ks2_rows()
    rows[6]["pt_rwm_met_expected_standard"] = "seventy"
    result = load(store, write(tmp_path, "ks2.csv", ees_file(EES_KS2_COLUMNS, rows)))
    assert result.status == "rejected"
    problem = result.plan.problems[0]
    assert (problem.row, problem.column, problem.value) == \
        (8, "pt_rwm_met_expected_standard", "seventy")
    assert "a number" in problem.message
