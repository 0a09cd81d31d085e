"""Pydantic's validation errors in Dutch: the one translation every reader of a ValidationError uses.

Pydantic writes its messages in English ("Input should be a valid decimal"). A user of tariefmodel reads
Dutch, so the English text is never passed on: each error ``type`` has a Dutch sentence here, filled in
from the error's ``ctx``; a type without one gets a Dutch generic sentence naming the type. Our own
validators (``data/schema.py``, ``data/scenario_schema.py``) raise Dutch ``ValueError`` texts; those are
passed through without pydantic's "Value error, " prefix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from tariefmodel.data.problems import Problems

# Pydantic's own words in ctx values ("'a', 'b' or 'c'", "List"): the Dutch for them.
_KINDS = {"List": "lijst", "Dictionary": "mapping", "Set": "verzameling", "Tuple": "rij", "Data": "waarde",
          "Value": "waarde", "Frozenset": "verzameling"}
_DATE = "geen geldige datum (JJJJ-MM-DD)"
# The text patterns of data/schema.py and data/scenario_schema.py in words: a regular expression is no message.
_PATTERNS = {
    r"^[a-z0-9][a-z0-9_\-]*$": "een sleutel: kleine letters, cijfers, _ en -, beginnend met een letter of cijfer",
    r"^[0-9A-Z]{1,5}$": "een productcode: 1 tot 5 hoofdletters of cijfers",
    r"^[0-9]{2}$": "een productcategorie: 2 cijfers",
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$": "een dag als MM-DD",
}


def _or(expected: Any) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "'a', 'b' of 'c'"."""
    return re.sub(r" or (?=[^,]*$)", " of ", str(expected))


def _bound(ctx: Mapping[str, Any], bound: str) -> tuple[str, str, str]:
    """("3 elementen", "lijst", " (gevonden: 1)"): the bound, the kind of collection and what was found."""
    n = ctx.get(bound)
    kind = _KINDS.get(str(ctx.get("field_type", "")), "waarde")
    noun = "element" if n == 1 else "elementen"
    found = f" (gevonden: {ctx['actual_length']})" if ctx.get("actual_length") is not None else ""
    return f"{n} {noun}", kind, found


def _too_short(ctx: Mapping[str, Any]) -> str:
    what, kind, found = _bound(ctx, "min_length")
    return f"deze {kind} heeft minstens {what} nodig{found}"


def _too_long(ctx: Mapping[str, Any]) -> str:
    what, kind, found = _bound(ctx, "max_length")
    return f"deze {kind} mag hoogstens {what} hebben{found}"


def _pattern(ctx: Mapping[str, Any]) -> str:
    pattern = str(ctx.get("pattern"))
    return _PATTERNS.get(pattern, f"tekst van de vorm {pattern}")


def _chars(n: Any) -> str:
    return f"{n} teken" if n == 1 else f"{n} tekens"


def _own(ctx: Mapping[str, Any]) -> str:
    # Our own validators' texts (Dutch at the source); pydantic keeps the exception in ctx["error"].
    return str(ctx.get("error", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")


_SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    # keys and structure
    "missing": lambda c: "verplichte sleutel ontbreekt",
    "missing_argument": lambda c: "verplichte sleutel ontbreekt",
    "missing_keyword_only_argument": lambda c: "verplichte sleutel ontbreekt",
    "missing_positional_only_argument": lambda c: "verplichte sleutel ontbreekt",
    "extra_forbidden": lambda c: "onbekende sleutel (tikfout?)",
    "unexpected_keyword_argument": lambda c: "onbekende sleutel (tikfout?)",
    "unexpected_positional_argument": lambda c: "onbekende waarde (tikfout?)",
    "invalid_key": lambda c: "een sleutel moet tekst zijn",
    "frozen_field": lambda c: "deze sleutel kan niet worden gewijzigd",
    "frozen_instance": lambda c: "deze gegevens kunnen niet worden gewijzigd",
    "model_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "model_attributes_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "dataclass_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "dataclass_exact_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "arguments_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "dict_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "mapping_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "frozen_dict_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "ordered_dict_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "counter_type": lambda c: "hier hoort een mapping (sleutel: waarde)",
    "list_type": lambda c: "hier hoort een lijst (- waarde per regel, of [a, b])",
    "tuple_type": lambda c: "hier hoort een lijst (- waarde per regel, of [a, b])",
    "set_type": lambda c: "hier hoort een lijst (- waarde per regel, of [a, b])",
    "frozen_set_type": lambda c: "hier hoort een lijst (- waarde per regel, of [a, b])",
    "deque_type": lambda c: "hier hoort een lijst (- waarde per regel, of [a, b])",
    "iterable_type": lambda c: "hier hoort een lijst (- waarde per regel, of [a, b])",
    "iteration_error": lambda c: "de lijst kan niet worden gelezen",
    "set_item_not_hashable": lambda c: "een element van deze lijst kan geen lijst of mapping zijn",
    "too_short": _too_short,
    "too_long": _too_long,
    "none_required": lambda c: "hier hoort geen waarde",
    "union_tag_invalid": lambda c: f"onbekende soort {c.get('tag')!r}: kies uit {_or(c.get('expected_tags'))}",
    "union_tag_not_found": lambda c: f"de sleutel {c.get('discriminator')} ontbreekt",
    "multiple_argument_values": lambda c: "deze sleutel staat er twee keer in",
    # text
    "string_type": lambda c: "hier hoort tekst",
    "string_unicode": lambda c: "geen geldige tekst (UTF-8)",
    "string_sub_type": lambda c: "hier hoort tekst",
    "string_too_short": lambda c: f"te kort: minstens {_chars(c.get('min_length'))}",
    "string_too_long": lambda c: f"te lang: hoogstens {_chars(c.get('max_length'))}",
    "string_pattern_mismatch": lambda c: f"hier hoort {_pattern(c)}",
    "string_not_ascii": lambda c: "alleen letters zonder accenten, cijfers en leestekens (ASCII)",
    "literal_error": lambda c: f"moet een van {_or(c.get('expected'))} zijn",
    "enum": lambda c: f"moet een van {_or(c.get('expected'))} zijn",
    "bytes_type": lambda c: "hier hoort tekst",
    "bytes_too_short": lambda c: f"te kort: minstens {c.get('min_length')} bytes",
    "bytes_too_long": lambda c: f"te lang: hoogstens {c.get('max_length')} bytes",
    "bytes_invalid_encoding": lambda c: "geen geldige tekst",
    # yes/no
    "bool_type": lambda c: "hier hoort true of false",
    "bool_parsing": lambda c: "hier hoort true of false",
    # numbers
    "int_type": lambda c: "geen geldig geheel getal",
    "int_parsing": lambda c: "geen geldig geheel getal",
    "int_parsing_size": lambda c: "getal is te groot",
    "int_from_float": lambda c: "hier hoort een geheel getal, zonder decimalen",
    "float_type": lambda c: "geen geldig getal",
    "float_parsing": lambda c: "geen geldig getal",
    "decimal_type": lambda c: "geen geldig getal",
    "decimal_parsing": lambda c: "geen geldig getal",
    "fraction_type": lambda c: "geen geldig getal",
    "fraction_parsing": lambda c: "geen geldig getal",
    "complex_type": lambda c: "geen geldig getal",
    "complex_str_parsing": lambda c: "geen geldig getal",
    "finite_number": lambda c: "hier hoort een eindig getal (geen NaN of oneindig)",
    "decimal_max_digits": lambda c: f"te veel cijfers: hoogstens {c.get('max_digits')}",
    "decimal_max_places": lambda c: f"te veel decimalen: hoogstens {c.get('decimal_places')}",
    "decimal_whole_digits": lambda c: f"te veel cijfers voor de komma: hoogstens {c.get('whole_digits')}",
    "greater_than": lambda c: f"moet groter dan {c.get('gt')} zijn",
    "greater_than_equal": lambda c: f"moet minstens {c.get('ge')} zijn",
    "less_than": lambda c: f"moet kleiner dan {c.get('lt')} zijn",
    "less_than_equal": lambda c: f"mag hoogstens {c.get('le')} zijn",
    "multiple_of": lambda c: f"moet een veelvoud van {c.get('multiple_of')} zijn",
    # dates and times
    "date_type": lambda c: _DATE,
    "date_parsing": lambda c: _DATE,
    "date_from_datetime_parsing": lambda c: _DATE,
    "date_from_datetime_inexact": lambda c: f"{_DATE}, zonder tijd",
    "date_past": lambda c: "de datum moet in het verleden liggen",
    "date_future": lambda c: "de datum moet in de toekomst liggen",
    "datetime_type": lambda c: "geen geldig tijdstip (JJJJ-MM-DDTUU:MM:SS)",
    "datetime_parsing": lambda c: "geen geldig tijdstip (JJJJ-MM-DDTUU:MM:SS)",
    "datetime_from_date_parsing": lambda c: "geen geldig tijdstip (JJJJ-MM-DDTUU:MM:SS)",
    "datetime_object_invalid": lambda c: "geen geldig tijdstip (JJJJ-MM-DDTUU:MM:SS)",
    "datetime_past": lambda c: "het tijdstip moet in het verleden liggen",
    "datetime_future": lambda c: "het tijdstip moet in de toekomst liggen",
    "time_type": lambda c: "geen geldige tijd (UU:MM)",
    "time_parsing": lambda c: "geen geldige tijd (UU:MM)",
    "time_delta_type": lambda c: "geen geldige tijdsduur",
    "time_delta_parsing": lambda c: "geen geldige tijdsduur",
    "timezone_naive": lambda c: "het tijdstip mag geen tijdzone hebben",
    "timezone_aware": lambda c: "het tijdstip heeft een tijdzone nodig",
    "timezone_offset": lambda c: "het tijdstip heeft de verkeerde tijdzone",
    # addresses and ids
    "url_type": lambda c: "geen geldig webadres",
    "url_parsing": lambda c: "geen geldig webadres",
    "url_syntax_violation": lambda c: "geen geldig webadres",
    "url_too_long": lambda c: f"webadres te lang: hoogstens {_chars(c.get('max_length'))}",
    "url_scheme": lambda c: f"webadres moet beginnen met {_or(c.get('expected_schemes'))}",
    "uuid_type": lambda c: "geen geldige UUID",
    "uuid_parsing": lambda c: "geen geldige UUID",
    "uuid_version": lambda c: f"geen UUID van versie {c.get('expected_version')}",
    # our own validators: Dutch at the source
    "value_error": _own,
    "assertion_error": _own,
    "is_instance_of": lambda c: f"hier hoort een {c.get('class')}",
    "json_invalid": lambda c: "geen geldige JSON",
}


def _shown(value: Any) -> str | None:
    """The offending input, when it is a short scalar a user can recognise in the file."""
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, str) and len(value) <= 40:
        return repr(value)
    return None


def dutch_message(err: Mapping[str, Any]) -> str:
    """The Dutch sentence for one pydantic error (an element of ``ValidationError.errors()``)."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    sentence = _SENTENCES.get(kind)
    if sentence is None:
        return f"ongeldige waarde ({kind})"
    text = sentence(ctx)
    if kind in ("value_error", "assertion_error"):
        # Our own validators name the value themselves; an empty one gets the generic sentence.
        return text or f"ongeldige waarde ({kind})"
    if kind in ("missing", "extra_forbidden", "too_short", "too_long"):
        return text
    shown = _shown(err.get("input"))
    return f"{text} (gevonden: {shown})" if shown is not None else text


def error_path(err: Mapping[str, Any], prefix: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """The key path of one error; generic models put class names ('Dated[Decimal]') in loc: left out."""
    return prefix + tuple(p for p in err["loc"] if isinstance(p, int) or "[" not in str(p))


def add_validation_errors(problems: Problems, rel: str, exc: Any, raw: Any, prefix: tuple[Any, ...] = ()) -> None:
    """Every error of a pydantic ValidationError as a Dutch problem with its key path and YAML line."""
    from tariefmodel.data.yamlio import line_of

    for err in exc.errors():
        loc = error_path(err, prefix)
        problems.add(rel, ".".join(str(p) for p in loc), dutch_message(err), line=line_of(raw, loc))


__all__ = ["add_validation_errors", "dutch_message", "error_path"]
