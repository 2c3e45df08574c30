"""Typed results as JSON and back, so derived data can be kept in the store and read by a
later process as the same dataclasses (`Estimate` and everything it holds).

Driven by the dataclasses' own field types, not by a hand-kept list of fields: a field added
to `Estimate` is kept and restored without touching this module. What it handles is what the
results hold: dataclasses, lists, tuples (fixed or `...`), `X | None`, str, int, float, bool.
Floats keep NaN and infinities (JSON's `NaN`/`Infinity`, which Python's `json` reads back).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_json(result: Any) -> str:
    """A dataclass (and what it holds) as JSON text."""
    return json.dumps(_plain(result), separators=(",", ":"))


def from_json(cls: type[T], text: str) -> T:
    """The dataclass `cls` as `to_json` wrote it."""
    return _typed(cls, json.loads(text))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)  # numpy integers too
    if isinstance(value, float):
        return float(value)
    if hasattr(value, "item"):  # a numpy scalar that is neither int nor float
        return _plain(value.item())
    raise TypeError(f"cannot keep a {type(value).__name__} as JSON")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"cannot restore a value of type {hint}")
        return _typed(options[0], value)
    if dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        return hint(**{f.name: _typed(hints[f.name], value[f.name])
                       for f in dataclasses.fields(hint) if f.init and f.name in value})
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_typed(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(args[0], v) for v in value)
        return tuple(_typed(a, v) for a, v in zip(args, value, strict=True))
    if hint is float:
        return float(value)
    if hint in (int, str, bool):
        return value
    if hint is Any:
        return value
    raise TypeError(f"cannot restore a value of type {hint}")
