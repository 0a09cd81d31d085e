"""Reading YAML for people: numbers become Decimal, and every key remembers its line.

Floats are parsed straight to ``Decimal`` so ``0.1`` in a file is exactly 0.1.
Mappings and lists remember the line of each key or item, so that a
validation error can point at ``file:line``, not only at a key path.

Hostile or mistyped input is refused here with its line, never passed on:
``.nan``/``.inf`` and absurdly large numbers, impossible dates (``2025-02-30``),
complex keys (``? [a, b]``), duplicate keys, alias bombs (an alias expansion
larger than :data:`MAX_EXPANDED_NODES`), and control characters in text
(ANSI escapes, NUL, ...; a tab or newline is allowed in values, not in keys).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

try:  # the C parser is several times faster; same behaviour
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Base = yaml.SafeLoader

MAX_EXPANDED_NODES = 200_000  # far above any region file (the bundled cost model has ~3.000 nodes)
MAX_MAGNITUDE = Decimal(10) ** 15  # no amount, count or rate of a region comes near a million billion
# C0 controls except tab and newline, DEL, C1 controls, zero-width/bidi marks and a stray byte-order mark:
# invisible or terminal-controlling characters that make a name look like something else.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_IN_KEY = re.compile("[\t\n]|" + _CONTROL.pattern)


class LineDict(dict):
    """A dict that knows the line of each of its keys."""

    lines: dict[Any, int]


class LineList(list):
    """A list that knows the line of each of its items."""

    lines: list[int]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def construct_document(self, node: yaml.Node) -> Any:
        _check_expansion(node)
        return super().construct_document(node)


def visible(text: str) -> str:
    """``text`` with every control or invisible character written out (``\\x1b``, ``\\u202e``)."""
    def esc(m: re.Match[str]) -> str:
        c = m.group()
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return re.sub("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", esc, text)


def control_problem(text: str, *, key: bool = False) -> str | None:
    """A Dutch message when ``text`` holds a control character, else None."""
    if (_CONTROL_IN_KEY if key else _CONTROL).search(text):
        what = "sleutel" if key else "tekst"
        return (f"{what} '{visible(text)}' bevat een stuurteken of onzichtbaar teken "
                f"(zoals een ANSI-escape, NUL of tab): haal het weg")
    return None


class _Refused(yaml.constructor.ConstructorError):
    """Well-formed YAML with a value this model refuses (its message is already Dutch and complete)."""


def _error(message: str, node: yaml.Node) -> _Refused:
    return _Refused(None, None, message, node.start_mark)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse an alias bomb: count the nodes as if every alias were written out, without expanding."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        k = id(node)
        if k in sizes:
            return sizes[k]
        if k in active:
            raise _error("een alias verwijst naar zichzelf (recursieve anker/alias)", node)
        active.add(k)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                raise _error(f"de ankers en aliassen (&/*) breiden uit tot meer dan {MAX_EXPANDED_NODES} "
                             "elementen (een 'billion laughs'-bom?): schrijf de waarden uit", node)
        active.discard(k)
        sizes[k] = total
        return total

    size(root)


def _number(value: Decimal | int, node: yaml.Node) -> Decimal | int:
    if abs(value) >= MAX_MAGNITUDE:
        raise _error(f"getal {node.value} is onwaarschijnlijk groot (10^15 of meer): een tikfout?", node)
    return value


def _float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _error(f"{text!r} is geen eindig getal (NaN en oneindig zijn niet toegestaan)", node)
    return _number(value, node)  # type: ignore[return-value]


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    return _number(yaml.constructor.SafeConstructor.construct_yaml_int(loader, node), node)  # type: ignore[return-value]


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> dt.date | dt.datetime:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise _error(f"{node.value!r} is geen bestaande datum (JJJJ-MM-DD)", node) from exc


def _str(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    text = loader.construct_scalar(node)
    problem = control_problem(text)
    if problem:
        raise _error(problem, node)
    return text


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _error("een samengestelde sleutel (? [..] of ? {..}) is niet toegestaan: gebruik een naam", key_node)
        problem = control_problem(str(key_node.value), key=True)  # before the text check of any scalar
        if problem:
            raise _error(problem, key_node)
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise _error(f"sleutel {key!r} staat twee keer in dezelfde mapping", key_node)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:float", _float)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:str", _str)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
# YAML 1.1 reads 1e400 and 1.0e400 (no sign in the exponent) as text, which pydantic would then turn
# into a Decimal unchecked; read them as the numbers they look like, so the checks above see them.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"))


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; raise YamlError with the line on malformed input."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(f"kan het bestand niet lezen: {exc.strerror}", None) from exc
    return parse_yaml(raw)


# PyYAML's own (English) problems, in Dutch; what is not listed gets the generic sentence.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "hier mag geen 'sleutel: waarde' staan (klopt de inspringing? "
                                       "staat er een dubbele punt in tekst zonder aanhalingstekens?)"),
    ("could not find expected ':'", "een sleutel zonder dubbele punt (sleutel: waarde)"),
    ("cannot start any token", "een teken dat hier niet mag, zoals een tab (spring in met spaties)"),
    ("did not find expected key", "een regel die niet in de structuur past (klopt de inspringing?)"),
    ("did not find expected '-' indicator", "een regel die niet in de lijst past (klopt de inspringing?)"),
    ("did not find expected node content", "een waarde ontbreekt"),
    ("found undefined alias", "een alias (*naam) zonder anker (&naam)"),
    ("found duplicate anchor", "een anker (&naam) staat er twee keer in"),
    ("found unexpected end of stream", "het bestand houdt midden in een waarde op (een aanhalingsteken "
                                       "of haakje niet gesloten?)"),
    ("found unexpected ':'", "een dubbele punt die hier niet mag (zet de tekst tussen aanhalingstekens)"),
    ("expected ',' or ']'", "een lijst tussen [ ] is niet goed gesloten"),
    ("expected ',' or '}'", "een mapping tussen { } is niet goed gesloten"),
    ("expected <block end>", "een regel die niet in de structuur past (klopt de inspringing?)"),
    ("expected a single document", "meer dan één document (---) in het bestand"),
    ("found unknown escape character", "een onbekende escape (\\) in tekst tussen dubbele aanhalingstekens"),
    ("found character that cannot start any token", "een teken dat hier niet mag (spring in met spaties)"),
)


def yaml_problem(problem: str | None) -> str:
    """PyYAML's problem in Dutch (never its English text)."""
    text = problem or ""
    bad = re.search(r"unacceptable character (#x[0-9a-fA-F]+)", text)
    if bad:
        return f"teken {bad.group(1)} mag niet in YAML (een stuurteken of onzichtbaar teken): haal het weg"
    for english, dutch in _YAML_PROBLEMS:
        if english in text:
            return dutch
    return "de structuur van het bestand klopt niet (inspringing, dubbele punten, aanhalingstekens)"


def parse_yaml(raw: bytes) -> Any:
    """Parse the bytes of one YAML file (see :func:`load_yaml`)."""
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark (Notepad, Excel) is harmless
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise YamlError(f"geen UTF-8-tekst (byte {exc.start}); sla het bestand op als UTF-8",
                        line) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except _Refused as exc:
        raise YamlError(str(exc.problem), exc.problem_mark.line + 1 if exc.problem_mark else None) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(f"ongeldige YAML: {yaml_problem(exc.problem)}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"ongeldige YAML: {yaml_problem(str(exc))}", None) from exc
    except RecursionError as exc:
        raise YamlError("ongeldige YAML: te diep genest", None) from exc


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of ``loc`` found in the parsed data."""
    line = None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lines[part]
            node = node[part]
        else:
            break
    return line
