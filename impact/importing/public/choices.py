"""The user's choices for a public file (which trusts, which local authorities), read leniently.

The Upload page passes a multichoice option as a list of strings; the command line passes
`--option groups="Name"` as one string, so several names there are separated with `;` (or
`|`). Names are matched without case or repeated spaces; a name the file does not hold is a
problem that suggests the nearest names it does hold.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

SEPARATORS = (";", "|", "\n")


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def chosen(value: Any, available: Iterable[str] = ()) -> list[str]:
    """The names in an option's value: a list as given, or a string split on `;` or `|`.

    A string that is itself one of the `available` names is kept whole, so a trust whose name
    holds a `|` still matches.
    """
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        items = [str(v) for v in value]
    else:
        text = str(value)
        if _norm(text) in {_norm(a) for a in available}:
            items = [text]
        else:
            for separator in SEPARATORS[1:]:
                text = text.replace(separator, SEPARATORS[0])
            items = text.split(SEPARATORS[0])
    return [" ".join(i.split()) for i in items if i and i.strip()]


def match(wanted: list[str], available: Iterable[str], what: str
          ) -> tuple[set[str], list[str]]:
    """The available names the user chose, and a sentence for each name not found."""
    lookup: dict[str, list[str]] = {}
    for name in available:
        lookup.setdefault(_norm(name), []).append(name)
    found: set[str] = set()
    unknown: list[str] = []
    for name in wanted:
        hits = lookup.get(_norm(name))
        if hits:
            # "GLF SCHOOLS" (the trust) and "GLF Schools" (its sponsor) are two groups: an
            # exact spelling picks one; other spellings pick every group so named.
            exact = [h for h in hits if " ".join(h.split()) == name]
            found.update(exact or hits)
            continue
        near = difflib.get_close_matches(_norm(name), list(lookup), n=3, cutoff=0.6)
        hint = (" Did you mean " + " or ".join(repr(h) for n in near for h in sorted(lookup[n]))
                + "?" if near else "")
        unknown.append(f"This file has no {what} called {name!r}.{hint}")
    return found, unknown


def yes(value: Any) -> bool:
    return _norm(value) in ("yes", "y", "true", "1", "on") if value is not None else False
