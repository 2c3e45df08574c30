"""How big and how costly an upload may be, in one place, so every check quotes the same number.

An upload is read in a separate worker process (`impact.importing.worker`) that may use at most
`read_memory_mb` of memory and `read_seconds` of time, and before any parser sees it the file
is screened (`impact.importing.screening`) against the other bounds here: a file that would
exhaust the reader is refused with a sentence naming the limit, and the server carries on.

Every limit has a default that fits the largest files the product takes as published (a
whole-England KS2 table is 16,000 rows by 318 columns, 20 MB) with room to spare, and can be
changed with an environment variable `IMPACT_LIMIT_<NAME>` (for example
`IMPACT_LIMIT_UPLOAD_MB=100`). The upload size is the one number both the importer and
Streamlit's file chooser (`server.maxUploadSize`) use: the Upload page sets Streamlit's
option from it, so `make run` and `streamlit run app.py` honour the same setting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

ENV_PREFIX = "IMPACT_LIMIT_"
MB = 1024 * 1024  # Streamlit's "MB" in server.maxUploadSize is 1024 x 1024 bytes; so is ours


@dataclass(frozen=True)
class Limits:
    upload_mb: int = 50  # one file, as uploaded
    read_memory_mb: int = 2048  # address space of the worker process that parses a file
    read_seconds: int = 60  # wall-clock time the worker may take to parse a file
    parallel_reads: int = 2  # workers at once; further uploads wait their turn
    max_rows: int = 1_048_576  # rows in a sheet (Excel's own limit)
    max_columns: int = 2_000  # columns in a sheet (the widest published file has about 500)
    max_cells: int = 12_000_000  # rows x columns over a file's sheets (a KS2 table: 5 million)
    max_line_chars: int = 1_000_000  # characters on one line of a CSV file
    zip_members: int = 10_000  # parts inside one .xlsx
    zip_member_mb: int = 1_024  # one part, unpacked
    zip_total_mb: int = 2_048  # every part, unpacked
    zip_ratio: int = 200  # unpacked size over packed size, for a part over `zip_ratio_from_mb`
    zip_ratio_from_mb: int = 2  # small parts compress well and harm nothing

    @property
    def upload_bytes(self) -> int:
        return self.upload_mb * MB

    def with_(self, **changes: int) -> Limits:
        """A copy with some limits changed (tests and benchmarks use small ones)."""
        return replace(self, **changes)


def limits() -> Limits:
    """The limits in force: the defaults, with any `IMPACT_LIMIT_<NAME>` environment variable
    applied. A setting that is not a positive whole number is an error said at once, rather
    than a limit silently ignored."""
    values: dict[str, int] = {}
    for item in fields(Limits):
        name = ENV_PREFIX + item.name.upper()
        raw = os.environ.get(name)
        if raw is None or not raw.strip():
            continue
        try:
            value = int(raw.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value < 1:
            raise ValueError(f"{name} must be a positive whole number, not {raw!r}.")
        values[item.name] = value
    return Limits(**values)


def describe(current: Limits | None = None) -> list[tuple[str, int, str]]:
    """Each limit as (environment variable, value, meaning), for the README and `--help`."""
    current = current or limits()
    meanings = {
        "upload_mb": "largest file, in MB (also Streamlit's server.maxUploadSize)",
        "read_memory_mb": "memory the worker that reads one file may use, in MB",
        "read_seconds": "time the worker may take to read one file, in seconds",
        "parallel_reads": "files read at the same time; others wait",
        "max_rows": "rows in one sheet",
        "max_columns": "columns in one sheet",
        "max_cells": "rows x columns over all of a file's sheets",
        "max_line_chars": "characters on one line of a CSV file",
        "zip_members": "parts inside one .xlsx",
        "zip_member_mb": "one part of an .xlsx, unpacked, in MB",
        "zip_total_mb": "all parts of an .xlsx, unpacked, in MB",
        "zip_ratio": "how many times larger a part may be unpacked than packed",
        "zip_ratio_from_mb": "parts smaller than this (MB, unpacked) are not held to the ratio",
    }
    return [(ENV_PREFIX + f.name.upper(), getattr(current, f.name), meanings[f.name])
            for f in fields(Limits)]


if __name__ == "__main__":  # `python -m impact.importing.limits [upload-mb]`
    import sys

    if sys.argv[1:] == ["upload-mb"]:  # for `make run`: Streamlit's server.maxUploadSize
        print(limits().upload_mb)
    else:
        for variable, value, meaning in describe():
            print(f"{variable}={value}  # {meaning}")
