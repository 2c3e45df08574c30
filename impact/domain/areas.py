"""Areas a published benchmark describes: England and local authorities.

The DfE codes England as E92000001 (GSS country code) and a local authority by its 3-digit
number; a benchmark row is `area_type` `national` or `local_authority` with one of those.
"""

from __future__ import annotations

ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"
NATIONAL = "national"
LOCAL_AUTHORITY = "local_authority"
AREA_TYPES: tuple[str, ...] = (NATIONAL, LOCAL_AUTHORITY)
