"""Public files scoped on import: keep the partnerships' schools, the schools already set up,
chosen local authorities, or every school; England and local authority rows always kept; the
choice is in the summary (shown before writing) and suggested again next time.

The West Midlands Ofsted file is the real one (1,621 schools in 11 local authorities); which
schools are in Shropshire is read here from the CSV with the csv module, not from the
importer.
"""

from __future__ import annotations

import csv

import pytest

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import plan_import, recognise, remembered_options
from impact.importing.public import scope
from impact.store import Store
from tests.factories import load as load_template
from tests.factories import schools_frame
from tests.importing.public.published_files import OFSTED_RESAVED, ks, load

INSPECTIONS = "SELECT urn, inspection_date, overall_effectiveness FROM ofsted_inspections " \
              "ORDER BY urn, inspection_date"


def _file_schools(local_authority: str | None = None) -> set[int]:
    """URNs of the inspected schools in the real file (in one local authority)."""
    with OFSTED_RESAVED.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {int(float(r["URN"])) for r in rows
            if r["Inspection start date"].strip()
            and (local_authority is None or r["Local authority"] == local_authority)}


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The whole file imported with no choice: what a scoped import must be a part of."""
    store = Store(tmp_path_factory.mktemp("all") / "all.duckdb")
    assert load(store, OFSTED_RESAVED).status == "accepted"
    yield store
    store.close()


def test_the_file_offers_its_local_authorities():
    fmt, sheets = recognise(OFSTED_RESAVED.name, OFSTED_RESAVED.read_bytes())
    assert fmt.code == "ofsted_mi"
    assert [o.name for o in fmt.options] == [scope.SCOPE, scope.SCOPE_LAS]
    offered = fmt.option_choices(scope.SCOPE_LAS, sheets)
    assert len(offered) == 11 and "Shropshire" in offered and "Telford and Wrekin" in offered


def test_keeping_one_local_authority_of_the_real_west_midlands_file(store, everything):
    shropshire = _file_schools("Shropshire")
    assert 100 < len(shropshire) < len(_file_schools()) == 1605
    result = load(store, OFSTED_RESAVED, scope="Only schools in the local authorities I choose",
                  scope_local_authorities=["Shropshire"])
    assert result.status == "accepted", result.as_dict()["errors"]
    kept = set(store.query("SELECT urn FROM schools")["urn"])
    assert kept == shropshire
    assert set(store.query("SELECT DISTINCT local_authority FROM schools")["local_authority"]) \
        == {"Shropshire"}
    # exactly the Shropshire part of what the unscoped import stores, grade for grade
    whole = everything.query(INSPECTIONS)
    assert store.query(INSPECTIONS).equals(
        whole[whole["urn"].isin(shropshire)].reset_index(drop=True))
    summary = result.plan.summary
    assert summary["scope"] == {
        "choice": "local_authorities", "label": scope.SCOPES["local_authorities"],
        "local_authorities": ["Shropshire"], "schools_in_file": 1605,
        "schools_kept": len(shropshire), "schools_left_out": 1605 - len(shropshire)}
    assert summary["inspections"] == len(store.query(INSPECTIONS))
    assert scope.sentence(summary) == (
        f"Keeping schools in Shropshire: {len(shropshire):,} of the 1,605 schools in the "
        "file. England and local authority figures are always kept.")
    left_out = {s["reason"]: s["count"] for s in summary["skipped"]}
    assert left_out[next(r for r in left_out if r.startswith("schools left out: not in "
                                                             "Shropshire"))] == 1605 - \
        len(shropshire)


def test_the_choice_is_suggested_again(store):
    assert remembered_options(store) == {}
    load(store, OFSTED_RESAVED, scope="local_authorities",
         scope_local_authorities="Shropshire;Telford and Wrekin")
    assert remembered_options(store) == {
        scope.SCOPE: scope.SCOPES["local_authorities"],
        scope.SCOPE_LAS: ["Shropshire", "Telford and Wrekin"]}


def test_keeping_only_the_partnerships_schools(store, everything):
    members = sorted(_file_schools("Telford and Wrekin"))[:3]
    frame = schools_frame(3, first_urn=100001)
    frame["URN"] = members
    frame["Local authority"] = "Telford and Wrekin"
    load_template(store, "schools", frame)  # the first two in a partnership, one comparison
    frame = schools_frame(1, first_urn=999001, in_partnership=0)
    load_template(store, "schools", frame)
    result = load(store, OFSTED_RESAVED, scope="partnerships")
    assert result.status == "accepted", result.as_dict()["errors"]
    in_partnership = set(store.query("SELECT urn FROM memberships")["urn"])
    assert set(store.query("SELECT DISTINCT urn FROM ofsted_inspections")["urn"]) == \
        in_partnership == set(members[:1])
    assert store.scalar("SELECT count(*) FROM schools") == 4, "no school added"
    known = load(store, OFSTED_RESAVED, scope="known")
    assert set(store.query("SELECT DISTINCT urn FROM ofsted_inspections")["urn"]) == \
        set(members), known.as_dict()["errors"]


def test_choices_that_keep_nothing_or_name_nothing_are_refused(store):
    nothing = plan_import(store, OFSTED_RESAVED.name, OFSTED_RESAVED.read_bytes(), DEMO_ADMIN,
                          options={"scope": "partnerships"})
    assert not nothing.ok
    assert "No school is in a partnership here yet" in nothing.problems[-1].message
    typo = plan_import(store, OFSTED_RESAVED.name, OFSTED_RESAVED.read_bytes(), DEMO_ADMIN,
                       options={"scope_local_authorities": ["Shropshir"]})
    assert "no local authority called 'Shropshir'. Did you mean 'Shropshire'" in \
        typo.problems[-1].message
    missing = plan_import(store, OFSTED_RESAVED.name, OFSTED_RESAVED.read_bytes(), DEMO_ADMIN,
                          options={"scope": "local_authorities"})
    assert "Choose at least one local authority" in missing.problems[-1].message
    odd = plan_import(store, OFSTED_RESAVED.name, OFSTED_RESAVED.read_bytes(), DEMO_ADMIN,
                      options={"scope": "somewhere"})
    assert "There is no choice of schools called 'somewhere'" in odd.problems[-1].message
    assert store.scalar("SELECT count(*) FROM uploads") == 0


def test_england_and_local_authority_rows_are_always_kept(store):
    whole = Store(store.path.with_name("whole.duckdb"))
    try:
        load(whole, ks(2, "2018-19"))
        expected = whole.query("SELECT * EXCLUDE (upload_id) FROM benchmarks ORDER BY ALL")
    finally:
        whole.close()
    load_template(store, "schools", schools_frame(2, first_urn=999001))
    result = load(store, ks(2, "2018-19"), scope="known")
    assert result.status == "accepted", result.as_dict()["errors"]
    assert store.scalar("SELECT count(*) FROM attainment") == 0, "no Surrey school is set up"
    assert store.scalar("SELECT count(*) FROM schools") == 2
    kept = store.query("SELECT * EXCLUDE (upload_id) FROM benchmarks ORDER BY ALL")
    assert len(kept) > 0 and kept.equals(expected)
    assert set(kept["area_name"]) == {"England (state-funded)", "Surrey"}
