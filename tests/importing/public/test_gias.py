"""GIAS downloads as published: group links (trust membership), establishments and groups.

Expected values were read by hand from the raw CSV files (grep), not from the importer.
"""

from __future__ import annotations

import datetime as dt

from impact import cli
from tests.factories import load as load_template
from tests.factories import schools_frame
from tests.importing.public.published_files import (
    GIAS_ESTABLISHMENTS,
    GIAS_GROUPS,
    GIAS_LINKS,
    csv_bytes,
    csv_rows,
    ks,
    load,
    write,
)

GLF = "GLF SCHOOLS"  # the multi-academy trust (Group UID 3190); "GLF Schools" is its sponsor


def as_date(value):
    return value.date() if hasattr(value, "date") else value


def test_links_with_nothing_chosen_and_no_school_here_are_refused(store):
    result = load(store, GIAS_LINKS)
    assert result.status == "rejected"
    message = result.plan.problems[0].message
    assert "No groups were chosen" in message and '--option groups="Example Trust"' in message
    assert store.scalar("SELECT count(*) FROM partnerships") == 0


def test_a_chosen_trust_becomes_a_partnership_with_its_members_and_joined_dates(store):
    result = load(store, GIAS_LINKS, groups=GLF)
    assert result.status == "accepted", result.as_dict()["errors"]
    summary = result.plan.summary
    assert (summary["groups"], summary["memberships"]) == (1, 41)  # 41 links with UID 3190
    assert summary["chosen_by"] == "your choice of groups"
    assert store.query("SELECT partnership, partnership_type FROM partnerships"
                       ).values.tolist() == [[GLF, "Multi-academy trust"]]
    cohort = store.query("SELECT cohort, start_date FROM cohorts").iloc[0]
    # No open date; incorporated on 2011-03-04.
    assert (cohort.cohort, as_date(cohort.start_date)) == ("All schools", dt.date(2011, 3, 4))
    joined = {int(u): as_date(d) for u, d in store.query(
        "SELECT urn, joined_date FROM memberships WHERE partnership = ?", [GLF]).values}
    assert len(joined) == 41
    assert joined[139557] == dt.date(2013, 8, 1)  # Lime Tree Primary School
    assert joined[136534] == dt.date(2011, 4, 1)  # Glyn School
    assert joined[147909] == dt.date(2020, 9, 1)  # Cherry Fields Primary School, Oxfordshire
    # Members were not in the store: each was added so no membership is orphaned.
    school = store.query("SELECT name, phase, school_type, local_authority FROM schools "
                         "WHERE urn = 139557").iloc[0]
    assert tuple(school) == ("Lime Tree Primary School", "Primary", "Academy sponsor led",
                             "Surrey")
    skipped = {s["reason"]: s["count"] for s in summary["skipped"]}
    assert skipped["links to groups not chosen"] > 18000


def test_by_default_the_trusts_of_schools_already_here_come_in(store):
    load(store, ks(2, "2018-19"))  # Surrey's primary schools, Lime Tree among them
    result = load(store, GIAS_LINKS)
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.summary["chosen_by"] == "default"
    assert any("No groups were chosen" in w for w in result.plan.warnings)
    partnerships = dict(store.query("SELECT partnership, partnership_type FROM partnerships"
                                    ).values.tolist())
    assert partnerships[GLF] == "Multi-academy trust"
    assert "GLF Schools" not in partnerships  # a school sponsor, not brought in by default
    assert set(partnerships.values()) <= {"Multi-academy trust", "Federation"}
    # Every trust brought in has at least one school that was already here.
    orphans = store.scalar("""
        SELECT count(*) FROM partnerships p WHERE NOT EXISTS (
            SELECT 1 FROM memberships m JOIN attainment a USING (urn)
            WHERE m.partnership = p.partnership)""")
    assert orphans == 0


def test_groups_chosen_by_type_and_local_authority(store):
    result = load(store, GIAS_LINKS, group_types="Federation", local_authorities="Hampshire")
    assert result.status == "accepted", result.as_dict()["errors"]
    assert set(store.query("SELECT partnership_type FROM partnerships")["partnership_type"]) \
        == {"Federation"}
    skipped = {s["reason"]: s["count"] for s in result.plan.summary["skipped"]}
    unknown = [c for r, c in skipped.items() if r.startswith("links with no joined date")]
    assert unknown and unknown[0] > 0  # 1900-01-01 in GIAS: skipped, never stored as 1900
    assert store.scalar("SELECT min(joined_date) FROM memberships") > dt.date(1990, 1, 1)


def test_an_unknown_group_name_suggests_the_nearest(store):
    result = load(store, GIAS_LINKS, groups="GLF Schol")
    assert result.status == "rejected"
    message = result.plan.problems[0].message
    assert "no group called 'GLF Schol'" in message
    assert "'GLF SCHOOLS' or 'GLF Schools'" in message


def test_the_command_line_takes_groups_as_an_option(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    code = cli.main(["--db", str(db), "import", str(GIAS_LINKS), "--option",
                     f"groups={GLF};REACH2 ACADEMY TRUST", "--json"])
    assert code == cli.EXIT_OK, capsys.readouterr()
    out = capsys.readouterr().out
    assert '"kind": "gias_links"' in out and '"groups": 2' in out


def test_a_repeated_option_on_the_command_line_adds_to_the_choice(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    code = cli.main(["--db", str(db), "import", str(GIAS_LINKS), "--option", f"groups={GLF}",
                     "--option", "groups=REACH2 ACADEMY TRUST", "--json"])
    assert code == cli.EXIT_OK, capsys.readouterr()
    assert '"groups": 2' in capsys.readouterr().out


def test_establishments_update_the_schools_already_here(store):
    load(store, ks(2, "2018-19"))
    result = load(store, GIAS_ESTABLISHMENTS)
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.summary["new_schools"] == 0
    # Wyke: GIAS says "Wyke Primary Academy", capacity 210, 204 pupils; St Joseph's 189/173.
    wyke = store.query("SELECT name, pupils, capacity, school_type FROM schools "
                       "WHERE urn = 145543").iloc[0]
    assert tuple(wyke) == ("Wyke Primary School", 204, 210, "Academy converter")
    assert tuple(store.query("SELECT pupils, capacity FROM schools WHERE urn = 125204"
                             ).iloc[0]) == (173, 189)
    # Hampshire's schools were not asked for.
    assert store.scalar("SELECT count(*) FROM schools WHERE local_authority = 'Hampshire'") == 0


def test_establishments_of_a_chosen_local_authority_come_in(store):
    result = load(store, GIAS_ESTABLISHMENTS, local_authorities="Hampshire")
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.summary["new_schools"] == 427  # open Hampshire schools in the extract
    alton = store.query("SELECT name, phase, local_authority, pupils, capacity FROM schools "
                        "WHERE urn = 115850").iloc[0]
    assert tuple(alton) == ("Alton Infant School", "Primary", "Hampshire", 138, 180)


def test_establishments_of_a_chosen_trust_come_in(store):
    result = load(store, GIAS_ESTABLISHMENTS, trusts=GLF)
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.summary["new_schools"] == 20  # GLF's open schools in Surrey/Hampshire


def test_establishments_with_nothing_chosen_and_nothing_here_are_refused(store):
    result = load(store, GIAS_ESTABLISHMENTS)
    assert result.status == "rejected"
    assert "local_authorities" in result.plan.problems[0].message


def test_a_blank_in_gias_never_clears_a_stored_detail(store, tmp_path):
    frame = schools_frame(1, first_urn=125204, in_partnership=0)
    load_template(store, "schools", frame)  # 200 pupils, capacity 210, as the trust typed
    rows = csv_rows(GIAS_ESTABLISHMENTS, encoding="utf-8")
    header = rows[0]
    row = next(r for r in rows if r[0] == "125204")
    row[header.index("NumberOfPupils")] = ""
    path = write(tmp_path, "edubasealldata20220420.csv", csv_bytes([header, row]))
    assert load(store, path).status == "accepted"
    assert tuple(store.query("SELECT name, pupils, capacity FROM schools").iloc[0]) == \
        ("School 125204", 200, 189)


def test_groups_list_sets_up_a_chosen_trust(store):
    refused = load(store, GIAS_GROUPS)
    assert refused.status == "rejected" and "6,883 groups" in refused.plan.problems[0].message
    result = load(store, GIAS_GROUPS, groups=GLF)
    assert result.status == "accepted", result.as_dict()["errors"]
    assert store.query("SELECT partnership, partnership_type FROM partnerships"
                       ).values.tolist() == [[GLF, "Multi-academy trust"]]
    assert as_date(store.scalar("SELECT start_date FROM cohorts")) == dt.date(2011, 3, 4)
    # The links then add the members to the same partnership and cohort.
    assert load(store, GIAS_LINKS, groups=GLF).plan.rows_unchanged == 2
    assert store.scalar("SELECT count(*) FROM memberships WHERE cohort = 'All schools'") == 41
