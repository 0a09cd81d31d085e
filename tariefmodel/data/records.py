"""Validated input as plain records: the fields of a pydantic model, without pydantic.

Validation uses pydantic (schema.py); everything after it works on ``Record``
objects with the same attribute names. That keeps the engine independent of
the validator and lets a run whose inputs were validated before load them from
the input cache (inputcache.py) without importing pydantic at all, which is
most of the start-up time of a command.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


class Record:
    """An immutable record of validated fields; ``kind`` names the schema model it came from."""

    def __init__(self, kind: str, fields: dict[str, Any]):
        d = self.__dict__
        d["_kind"] = kind
        d["_fields"] = tuple(fields)
        d.update(fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._kind} is immutable")

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{self._kind}({inner})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self._kind == other._kind and all(getattr(self, f) == getattr(other, f) for f in self._fields) \
            and self._fields == other._fields

    __hash__ = None  # type: ignore[assignment]  # records hold dicts and lists

    # The two pydantic methods the engine, its tests and scripts use, with the same meaning.
    def model_copy(self, *, update: dict[str, Any] | None = None) -> Record:
        fields = {f: getattr(self, f) for f in self._fields}
        fields.update(update or {})
        return Record(self._kind, fields)

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        out = {}
        for f in self._fields:
            v = getattr(self, f)
            if exclude_none and v is None:
                continue
            out[f] = _dump(v, mode, exclude_none)
        return out


def _dump(v: Any, mode: str, exclude_none: bool) -> Any:
    if isinstance(v, Record):
        return v.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(v, dict):
        return {k: _dump(x, mode, exclude_none) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_dump(x, mode, exclude_none) for x in v]
    if mode == "json":
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, dt.date):
            return v.isoformat()
    return v


def to_record(value: Any) -> Any:
    """Convert validated pydantic models (recursively) to Records; other values pass through."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        kind = type(value).__name__.split("[")[0]  # Param[Fraction] -> Param
        return Record(kind, {name: to_record(getattr(value, name)) for name in fields})
    if isinstance(value, dict):
        return {k: to_record(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_record(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_record(v) for v in value)
    return value
