"""Public data files taken exactly as the DfE, Ofsted and GIAS publish them.

Trusts already download these files; importing them as published means no head retypes a
figure the DfE already holds, and every chart gets real national and local comparison lines.

| module | format code(s) | what it takes |
|---|---|---|
| `performance_tables` | `dfe_ks2`, `dfe_ks4` | DfE performance tables (school, LA and England rows) |
| `ofsted_mi` | `ofsted_mi` | Ofsted "state-funded schools inspections and outcomes" |
| `gias` | `gias_establishments`, `gias_links`, `gias_groups` | Get Information About Schools |
| `explore_education_statistics` | `ees` | tidy files from Explore Education Statistics |

Each format's `detect` recognises its own files with confidence above 0.9 (template kinds
score 0.9 at most) and scores 0 for anything else. Shared pieces: `published` (a file's table
by header name), `figures` (published numbers and codes, read column-wide), `years`,
`choices` (options the user picks), `school_rows` (schools not yet in the store) and
`summary` (what came in and what was skipped, and why).
"""
