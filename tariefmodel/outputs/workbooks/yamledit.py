"""Edit scalar values of a YAML text in place, keeping every comment, blank line and layout.

An edit replaces exactly the characters of one scalar (found from the composed
node's marks), inserts one ``key: value`` line into a block mapping, or removes
one such line. Everything else stays byte for byte. A new scalar keeps the
original's quoting style where that style can hold it; otherwise it is plain,
a folded block (long text) or double-quoted, whichever reads back as exactly
the value (checked by parsing it).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from tariefmodel.outputs.workbooks.paramsource import pairs_of

FOLD_AT = 100  # text longer than this becomes a folded block (>-), as the hand-written files do


class EditError(ValueError):
    """The text cannot be edited in place here (e.g. a flow-style mapping)."""


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    text: str


def number_text(value: Decimal | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _reads_back(rendered: str, value: str, key_col: int) -> bool:
    doc = " " * key_col + "k: " + rendered + "\n"
    try:
        return yaml.safe_load(doc) == {"k": value}
    except yaml.YAMLError:
        return False


def _folded(value: str, key_col: int) -> str | None:
    if "\n" in value or value != value.strip() or "  " in value:
        return None
    indent = " " * (key_col + 2)
    lines = textwrap.wrap(value, FOLD_AT, break_long_words=False, break_on_hyphens=False)
    return ">-\n" + "\n".join(indent + line for line in lines)


def _single(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def render(value: Any, style: str | None, key_col: int) -> str:
    """YAML text for ``value`` after ``key: `` at column ``key_col``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return number_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value)
    double = json.dumps(s, ensure_ascii=False)
    if style == '"':
        candidates = [double]
    elif style == "'":
        candidates = [_single(s), double]
    else:
        folded = _folded(s, key_col) if len(s) > FOLD_AT else None
        candidates = [c for c in (folded, s, double) if c is not None]
    for c in candidates:
        if _reads_back(c, s, key_col):
            return c
    raise EditError(f"cannot write {s!r} as YAML")  # pragma: no cover - JSON strings always read back


def _value_end(text: str, node: yaml.Node) -> int:
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in (">", "|"):
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
    return end


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl


def set_field(text: str, mapping: yaml.MappingNode, key: str, value: Any, *, remove: bool = False,
              order: Sequence[str] = ()) -> Edit:
    """The edit that sets ``key`` of a block mapping to ``value`` (or removes the key).

    A new key goes after the last present key that precedes it in ``order`` (else at the end).
    """
    if mapping.flow_style:
        raise EditError(f"line {mapping.start_mark.line + 1}: a flow-style mapping ({{...}}) cannot be edited in place")
    pairs = pairs_of(mapping)
    key_col = mapping.value[0][0].start_mark.column
    if key in pairs:
        knode, vnode = pairs[key]
        if not isinstance(vnode, yaml.ScalarNode):
            raise EditError(f"line {knode.start_mark.line + 1}: {key} is not a single value")
        if remove:
            line_start = text.rfind("\n", 0, knode.start_mark.index) + 1
            if text[line_start:knode.start_mark.index].strip():
                raise EditError(f"line {knode.start_mark.line + 1}: {key} shares its line with another key")
            end = _line_end(text, _value_end(text, vnode))
            return Edit(line_start, min(end + 1, len(text)), "")
        style = vnode.style if vnode.tag == "tag:yaml.org,2002:str" else None
        return Edit(vnode.start_mark.index, _value_end(text, vnode), render(value, style, key_col))
    if remove:
        return Edit(0, 0, "")
    anchor = mapping.value[-1][1]
    if key in order:
        before = [pairs[k][1] for k in order[:order.index(key)] if k in pairs]
        if before:
            anchor = max(before, key=lambda n: n.start_mark.index)
    pos = _line_end(text, _value_end(text, anchor))
    return Edit(pos, pos, "\n" + " " * key_col + f"{key}: " + render(value, None, key_col))


def apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; insertions at one place keep the order in which they are listed."""
    out = text
    last_start = len(text) + 1
    ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].start, ie[1].end, ie[0]), reverse=True)
    for _, e in ordered:
        if e.end > last_start:
            raise EditError("overlapping edits")
        out = out[:e.start] + e.text + out[e.end:]
        last_start = e.start
    return out
