"""Edit a YAML text in place, keeping every comment, blank line and layout: the one YAML writer.

An edit replaces exactly the characters of one scalar (found from the composed
node's marks), inserts one ``key: value`` line into a block mapping, removes
one such line, or inserts one item into a sequence (block or flow style, as
its neighbours). Everything else stays byte for byte, so a region's git history
shows exactly the line that was added. A new scalar keeps the original's quoting
style where that style can hold it; otherwise it is plain, a folded block (long
text) or double-quoted, whichever reads back as exactly the value (checked by
parsing it). ``checked`` parses the result and refuses it unless it equals the
intended data, so no edit can change anything it did not mean to.

Used by the upkeep commands (cao raise/add, index add, param set) and by the
parameter-workbook import; a round-trip library (ruamel.yaml) would re-emit the
whole file and so could change lines nobody edited.
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

from tariefmodel.data import yamlio

FOLD_AT = 100  # text longer than this becomes a folded block (>-), as the hand-written files do


class _Loader(yaml.SafeLoader):
    """The pure-Python loader (its marks count characters) with yamlio's constructors (floats are Decimal)."""


_Loader.add_constructor("tag:yaml.org,2002:float", yamlio._float)
_Loader.add_constructor("tag:yaml.org,2002:map", yamlio._mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", yamlio._sequence)


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
    if isinstance(value, dict | list | tuple):
        return _flow_scalar(value)
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
    raise EditError(f"kan {s!r} niet als YAML schrijven")  # pragma: no cover - JSON strings always read back


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
        raise EditError(f"regel {mapping.start_mark.line + 1}: een mapping tussen {{...}} kan niet ter plekke worden gewijzigd")
    pairs = pairs_of(mapping)
    key_col = mapping.value[0][0].start_mark.column
    if key in pairs:
        knode, vnode = pairs[key]
        if not isinstance(vnode, yaml.ScalarNode):
            raise EditError(f"regel {knode.start_mark.line + 1}: {key} is geen enkele waarde")
        if remove:
            line_start = text.rfind("\n", 0, knode.start_mark.index) + 1
            if text[line_start:knode.start_mark.index].strip():
                raise EditError(f"regel {knode.start_mark.line + 1}: {key} deelt zijn regel met een andere sleutel")
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


# --------------------------------------------------------------------------- composing and items


def compose(text: str) -> tuple[yaml.Node, Any]:
    """The node tree (character marks) and the data of a YAML text; yamlio.YamlError when malformed."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise yamlio.YamlError("bestand is leeg", None)
        return root, loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise yamlio.YamlError(f"ongeldige YAML: {exc.problem or exc}", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise yamlio.YamlError(f"ongeldige YAML: {exc}", None) from exc
    finally:
        loader.dispose()


def pairs_of(node: yaml.MappingNode) -> dict[str, tuple[yaml.ScalarNode, yaml.Node]]:
    """key -> (key node, value node) of a mapping."""
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def node_at(node: yaml.Node | None, keys: Sequence[str | int]) -> yaml.Node | None:
    """The node at a path of mapping keys and sequence indexes, or None."""
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            pair = pairs_of(node).get(key)
            node = pair[1] if pair is not None else None
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
        else:
            return None
    return node


def _last_end(text: str, node: yaml.Node) -> int:
    """Where the text of a node ends: its last scalar, not the comments and blank lines a block drags along."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return _value_end(text, node)


def _flow_scalar(value: Any) -> str:
    if isinstance(value, str):
        plain = value and value[0].isalnum() and all(ch.isalnum() or ch in "-_. " for ch in value) \
            and value == value.strip()
        if plain and _reads_back(value, value, 0):
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow_scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow_scalar(v) for v in value) + "]"
    return render(value, None, 0)


def _block_item(item: dict[str, Any], dash_col: int, key_col: int) -> str:
    lines = []
    for i, (k, v) in enumerate(item.items()):
        text = _flow_scalar(v) if isinstance(v, dict | list | tuple) else render(v, None, key_col)
        lead = " " * dash_col + "- " + " " * (key_col - dash_col - 2) if i == 0 else " " * key_col
        lines.append(f"{lead}{k}: {text}")
    return "\n".join(lines)


def insert_item(text: str, seq: yaml.SequenceNode, index: int, item: dict[str, Any]) -> Edit:
    """The edit that puts mapping ``item`` at position ``index`` of a sequence, styled as its neighbours.

    Block items become ``- key: value`` lines at the neighbours' indentation; flow items (``- {...}``)
    one flow mapping per line. The sequence must already hold an item to copy the layout from.
    """
    if seq.flow_style or not seq.value:
        raise EditError(f"regel {seq.start_mark.line + 1}: alleen een lijst met - per regel en met elementen kan een element "
                        "bijkrijgen")
    ref = seq.value[min(index, len(seq.value) - 1)]
    line_start = text.rfind("\n", 0, ref.start_mark.index) + 1
    prefix = text[line_start:ref.start_mark.index]
    if prefix.strip() != "-":
        raise EditError(f"regel {ref.start_mark.line + 1}: een element van de lijst begint niet op een eigen regel")
    dash_col = prefix.index("-")
    if isinstance(ref, yaml.MappingNode) and ref.flow_style:
        rendered = " " * dash_col + "- " + _flow_scalar(item)
    elif isinstance(ref, yaml.MappingNode):
        rendered = _block_item(item, dash_col, ref.start_mark.column)
    else:
        raise EditError(f"regel {ref.start_mark.line + 1}: de lijst bevat geen mappings")
    if index >= len(seq.value):
        pos = _line_end(text, _last_end(text, seq.value[-1]))
        return Edit(pos, pos, "\n" + rendered)
    return Edit(line_start, line_start, rendered + "\n")


def checked(text: str, edits: list[Edit], expected: Any) -> str:
    """Apply the edits and return the new text, only if it reads back as exactly ``expected``."""
    new = apply(text, edits)
    try:
        _, data = compose(new)
    except yamlio.YamlError as exc:
        raise EditError(f"de gewijzigde YAML is niet te lezen ({exc}); er is niets geschreven") from exc
    if data != expected:
        raise EditError("de gewijzigde YAML leest niet terug zoals bedoeld; er is niets geschreven")
    return new
