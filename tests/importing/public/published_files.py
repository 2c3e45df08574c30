"""Public files for tests: the real ones in `shared/realdata`, and small ones made in code.

Real files are read as they are (the import must take them untouched). Where no real file
exists (the Ofsted 2024/25 and 2025/26 layouts, Explore Education Statistics), files are built
here following the published column names, and the tests say so.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from impact.auth import DEMO_ADMIN, Actor
from impact.importing.pipeline import ImportResult, import_file
from impact.store import Store

REPO = Path(__file__).resolve().parents[3]
# `shared/realdata` beside the checkout, or beside a folder above it (a git worktree).
REALDATA = next((folder / "shared" / "realdata" for folder in REPO.parents
                 if (folder / "shared" / "realdata").is_dir()),
                (REPO / ".." / "shared" / "realdata").resolve())
OFSTED_RESAVED = REALDATA / "ofsted_mi_2023-08-31_west_midlands_excl_bham_worcs_dudley_resaved.csv"
GIAS_LINKS = REALDATA / "gias_group_links_resaved.csv"
GIAS_ESTABLISHMENTS = REALDATA / "gias_2022-04-20_surrey_hampshire.csv"
GIAS_GROUPS = REALDATA / "gias_groups.csv"


def ks(stage: int, year: str) -> Path:
    """A real performance table: `ks(2, "2018-19")`."""
    return REALDATA / f"ks{stage}_{year}_936_surrey.csv"


def load(store: Store, path: Path, *, actor: Actor = DEMO_ADMIN, kind: str | None = None,
         name: str | None = None, **options: Any) -> ImportResult:
    return import_file(store, path, actor, kind=kind, options=options or None, name=name)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", bom: bool = False,
              line_end: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


_FLOAT_WHOLE = re.compile(r"^-?\d+\.0$")


def ofsted_original_bytes() -> bytes:
    """The Ofsted file in its original published form, made from the re-saved copy: no index
    column, whole numbers without `.0`, Windows-1252 with CRLF line ends.

    The re-save decoded Ofsted's Windows-1252 en dash (byte 0x96) as the control character
    U+0096; it is turned back into the en dash it was.
    """
    rows = csv_rows(OFSTED_RESAVED, encoding="utf-8")
    original = [[_FLOAT_WHOLE.sub(lambda m: m.group(0)[:-2], cell).replace("\x96", "\u2013")
                 for cell in row[1:]] for row in rows]
    return csv_bytes(original, encoding="cp1252")


# --- Ofsted layouts with no real file here: built from the published column names ---------

OFSTED_2023_COLUMNS = [
    "URN", "LAESTAB", "School name", "Ofsted phase", "Type of education", "Local authority",
    "Total number of pupils", "Inspection type", "Inspection start date",
    "Overall effectiveness", "Quality of education", "Behaviour and attitudes",
    "Personal development", "Effectiveness of leadership and management",
    "Safeguarding is effective?", "Early years provision (where applicable)",
    "Sixth form provision (where applicable)", "Previous inspection start date",
    "Previous graded inspection overall effectiveness", "Previous quality of education",
    "Previous behaviour and attitudes", "Previous personal development",
    "Previous effectiveness of leadership and management",
    "Previous safeguarding is effective?", "Previous early years provision (where applicable)",
    "Previous sixth form provision (where applicable)",
]

# The 2025/26 "most recent inspections" sheet (report cards), as Ofsted names its columns.
OFSTED_2025_COLUMNS = [
    "Web Link (opens in new window)", "URN", "LAESTAB", "School name", "Ofsted phase",
    "Type of education", "Local authority", "Total number of pupils",
    "Inspection type", "Inspection start date", "Publication date",
    "Does the latest full inspection relate to the URN of the current school?",
    "Category of concern", "Safeguarding standards", "Safeguarding standards - date of grade",
    "Inclusion", "Inclusion - date of grade", "Curriculum and teaching",
    "Curriculum and teaching - date of grade", "Achievement", "Achievement - date of grade",
    "Attendance and behaviour", "Attendance and behaviour - date of grade",
    "Personal development and wellbeing",
    "Personal development and wellbeing - date of grade", "Early years (where applicable)",
    "Early years - date of grade", "Post-16 provision (where applicable)",
    "Post-16 provision - date of grade", "Leadership and governance",
    "Leadership and governance - date of grade",
    "Inspection start date of latest OEIF graded inspection",
    "Latest OEIF overall effectiveness", "Latest OEIF quality of education",
    "Latest OEIF behaviour and attitudes", "Latest OEIF personal development",
    "Latest OEIF effectiveness of leadership and management",
    "Latest OEIF  safeguarding is effective?",
    "Latest OEIF early years provision (where applicable)",
    "Latest OEIF sixth form provision (where applicable)",
    "Date of latest ungraded inspection", "Ungraded inspection overall outcome",
]


def ofsted_file(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    """A CSV in an Ofsted layout; cells not given are empty (as Ofsted leaves them)."""
    return csv_bytes([columns] + [[row.get(c, "") for c in columns] for row in rows])


# --- Explore Education Statistics: no real file here; built to EES conventions ---------------

EES_KS2_COLUMNS = [
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name",
    "region_code", "region_name", "old_la_code", "new_la_code", "la_name", "school_urn",
    "school_laestab", "school_name", "version", "breakdown_topic", "breakdown",
    "t_rwm_eligible_pupils", "pt_rwm_met_expected_standard", "pt_rwm_met_higher_standard",
    "t_read_progress_eligible_pupils", "avg_read_progress_score",
    "avg_read_progress_score_lower_CI", "avg_read_progress_score_upper_CI",
]


def ees_row(level: str, *, period: str = "201819", version: str = "revised",
            topic: str = "Total", breakdown: str = "Total", la: tuple[str, str, str] = ("", "", ""),
            school: tuple[str, str] = ("", ""), pupils: str = "", rwm: str = "", high: str = "",
            progress: tuple[str, str, str, str] = ("", "", "", "")) -> dict[str, str]:
    old, new, name = la
    urn, school_name = school
    return {
        "time_period": period, "time_identifier": "Academic year", "geographic_level": level,
        "country_code": "E92000001", "country_name": "England",
        "region_code": "E12000008" if old else "", "region_name": "South East" if old else "",
        "old_la_code": old, "new_la_code": new, "la_name": name, "school_urn": urn,
        "school_laestab": f"{old}2000" if urn else "", "school_name": school_name,
        "version": version, "breakdown_topic": topic, "breakdown": breakdown,
        "t_rwm_eligible_pupils": pupils, "pt_rwm_met_expected_standard": rwm,
        "pt_rwm_met_higher_standard": high,
        "t_read_progress_eligible_pupils": progress[0], "avg_read_progress_score": progress[1],
        "avg_read_progress_score_lower_CI": progress[2],
        "avg_read_progress_score_upper_CI": progress[3],
    }


def ees_file(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    return csv_bytes([columns] + [[row.get(c, "") for c in columns] for row in rows],
                     line_end="\n")
