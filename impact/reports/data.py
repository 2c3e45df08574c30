"""The Data page's words: what each table holds, where the data comes from, its licence."""

from __future__ import annotations

import pandas as pd

from impact.domain.small_numbers import LOW_MARK, SUPPRESSED_MARK, hidden_rule, low_rule

TABLE_LABELS = {
    "schools": "Schools",
    "partnerships": "Partnerships",
    "cohorts": "Cohorts",
    "memberships": "Schools in cohorts (with joined and left dates)",
    "attainment": "Results (school figures)",
    "benchmarks": "Results for England and local authorities",
    "ofsted_inspections": "Ofsted inspections",
    "cpd_activities": "CPD records",
    "improvement_projects": "Improvement projects",
    "uploads": "Uploads",
}

# From ../shared/realdata/README.md: keep this line with any copy of DfE or Ofsted data.
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Department for Education school performance tables and Get Information About Schools; "
    "Ofsted official statistics).")
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

SOURCES = (
    ("Schools' own returns", "Termly results, teacher assessments and CPD records that "
     "schools upload with the templates on the Upload page."),
    ("DfE school performance tables", "Key stage 2 and key stage 4 results for each school, "
     "its local authority and England, as the Department for Education publishes them."),
    ("Get Information About Schools (GIAS)", "School details and which trust each school "
     "belongs to, from the DfE's register of schools."),
    ("Ofsted", "Inspection outcomes from Ofsted's official statistics, each on the scale of "
     "the framework it was inspected under."),
)

SYMBOLS = (
    (SUPPRESSED_MARK, f"Hidden, because the figure is about {hidden_rule()}, or because it "
                      "would give such a figure away. Never 0."),
    (LOW_MARK, f"Beside a figure: it is about {low_rule()}, so one pupil moves it a lot. "
               "Treat it with care; it is never ranked."),
    ("x", "Not available."),
    ("z", "Does not apply."),
    ("low", "Rounds to zero, but is not zero."),
)


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "What": counts["table_name"].map(lambda t: TABLE_LABELS.get(t, t)),
        "Rows": counts["rows"].astype(int),
    })
