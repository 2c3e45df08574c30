"""Auto-detection: each public format knows its own files for certain (above 0.9, where the
template kinds score 0.9 at most) and claims nothing else, not even our own templates."""

from __future__ import annotations

import pytest

from impact.importing import formats
from impact.importing.reading import read_file
from impact.importing.templates import template_bytes, template_kinds
from tests import factories
from tests.importing.public.published_files import (
    EES_KS2_COLUMNS,
    GIAS_ESTABLISHMENTS,
    GIAS_GROUPS,
    GIAS_LINKS,
    OFSTED_2025_COLUMNS,
    OFSTED_RESAVED,
    REALDATA,
    ees_file,
    ees_row,
    ks,
    ofsted_file,
    ofsted_original_bytes,
)

REAL_FILES = {
    **{ks(stage, year).name: f"dfe_ks{stage}" for stage in (2, 4)
       for year in ("2016-17", "2017-18", "2018-19")},
    OFSTED_RESAVED.name: "ofsted_mi",
    GIAS_LINKS.name: "gias_links",
    GIAS_ESTABLISHMENTS.name: "gias_establishments",
    GIAS_GROUPS.name: "gias_groups",
}


def scores(name: str, data: bytes) -> dict[str, float]:
    sheets = read_file(name, data)
    return {code: fmt.detect(sheets, name) for code, fmt in formats.all_formats().items()}


def assert_public(name: str, data: bytes, expected: str) -> None:
    found = scores(name, data)
    assert found[expected] > 0.9
    assert formats.detect(read_file(name, data), name).code == expected
    others = {c: s for c, s in found.items() if c in formats.PUBLIC_FORMATS and c != expected}
    assert all(s == 0 for s in others.values()), others
    templates = {c: s for c, s in found.items() if c in formats.TEMPLATE_KINDS}
    assert all(s <= 0.9 for s in templates.values()), templates


def test_every_real_file_is_covered():
    on_disk = {p.name for p in REALDATA.glob("*.csv")}
    assert on_disk == set(REAL_FILES)


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_each_real_file_is_recognised_as_its_format(name):
    assert_public(name, (REALDATA / name).read_bytes(), REAL_FILES[name])


def test_the_original_ofsted_form_is_recognised():
    assert_public("ofsted_mi_2023-08-31.csv", ofsted_original_bytes(), "ofsted_mi")


def test_built_layouts_are_recognised():
    assert_public("ofsted_latest.csv", ofsted_file(OFSTED_2025_COLUMNS, [{"URN": "100003"}]),
                  "ofsted_mi")
    assert_public("ees.csv", ees_file(EES_KS2_COLUMNS, [ees_row("National", rwm="65")]), "ees")


@pytest.mark.parametrize("kind", sorted(template_kinds()))
def test_blank_templates_are_not_taken_for_public_files(kind):
    found = scores(f"{kind}.xlsx", template_bytes(template_kinds()[kind]))
    assert all(found[code] == 0 for code in formats.PUBLIC_FORMATS), found


FILLED = {
    "schools": lambda: factories.schools_frame(4),
    "attainment": lambda: factories.attainment_frame([100001, 100002]),
    "ofsted": lambda: factories.ofsted_frame([100001, 100002]),
    "cpd": lambda: factories.cpd_frame([100001, 100002]),
    "benchmarks": lambda: factories.benchmarks_frame(),
}


@pytest.mark.parametrize("kind", sorted(FILLED))
@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_filled_templates_are_detected_as_templates(kind, form):
    frame = FILLED[kind]()
    data = factories.xlsx_bytes(kind, frame) if form == "xlsx" else factories.csv_bytes(frame)
    name = f"{kind}.{form}"
    found = scores(name, data)
    assert all(found[code] == 0 for code in formats.PUBLIC_FORMATS), found
    assert formats.detect(read_file(name, data), name).code == kind
