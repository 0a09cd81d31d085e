"""The JSON Schema texts finance staff read as hover help in their editor are Dutch.

An English word list is a heuristic: it flags a text holding any common English function word (or an English word
of the domain) once YAML keys and quoted enum values are taken out. On the schemas of main it flags most texts;
after translation none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from tariefmodel.data import scenario_schema, schema
from tariefmodel.data.formats import INPUT_FORMATS

# Words that are not Dutch (so 'in', 'is', 'of', 'per', 'contract', 'product' are left out): function words, and
# the domain words a translation would have replaced (bron, datum, tarief, aanbieder, ...).
ENGLISH = frozenset({
    "the", "an", "and", "or", "which", "must", "when", "this", "that", "these", "those", "with", "from", "for", "to",
    "by", "its", "it", "are", "be", "been", "where", "each", "every", "only", "than", "whose", "into", "if", "not",
    "on", "at", "as", "should", "would", "can", "may", "will", "used", "given", "default", "set", "source", "date",
    "value", "tariff", "tariffs", "provider", "providers", "wage", "staff", "hours", "year", "years", "amount",
    "rate", "share", "unit", "units", "clients", "products", "euros", "who", "why", "what", "how", "one", "month",
    "step", "steps", "weight", "weighted", "holiday", "allowance", "points", "distribution",
})
# YAML keys (snake_case or quoted), quoted enum values, parameter paths and file names are names, not prose:
# 'from', `per_unit`, "share", overhead.rate, parameters/providers.yaml, --year (an apostrophe inside a word, cao's, is
# no quote).
_NAMES = re.compile(r"(?<!\w)'[^']*'(?!\w)|`[^`]*`|\"[^\"]*\"|\b\w+_\w+\b|[\w*<>-]+(?:[./][\w*<>-]+)+|--[\w-]+")


def english_words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", _NAMES.sub(" ", text).lower())
    return ENGLISH.intersection(words)


def schema_texts(node: object, path: str = "") -> list[tuple[str, str]]:
    """Every description and title in a JSON Schema document, with where it sits."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            # A property may be *named* description or title (Param.description): only string values are texts.
            if key in ("description", "title") and isinstance(value, str):
                found.append((f"{path}/{key}", value))
            else:
                found.extend(schema_texts(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found.extend(schema_texts(item, f"{path}/{i}"))
    return found


def english_texts(doc: object) -> list[str]:
    return [f"{where}: {text!r} ({', '.join(sorted(english_words(text)))})"
            for where, text in schema_texts(doc) if english_words(text)]


def test_the_heuristic_tells_english_from_dutch() -> None:
    assert english_words("The day the correction was made") == {"the"}
    assert english_words("Clients per staff member") == {"clients", "staff"}
    assert english_words("Waarom deze waarde (de afweging); 'from' en `valid_until` zijn sleutels") == set()
    assert english_words("'hours': uren per jaar van de contracturen af; 'share': een fractie") == set()
    assert english_words("parameters/providers.yaml: de aanbieders; overhead.rate voor cao's; --year") == set()
    assert english_words("the region's tariff, or 'x'") == {"the", "tariff", "or"}


def test_committed_schemas_speak_dutch(repo_root: Path) -> None:
    files = sorted((repo_root / "schemas").glob("*.schema.json"))
    assert len(files) == len(INPUT_FORMATS)  # the region's files and the scenario and budget files
    english = [f"{f.name}{line}" for f in files
               for line in english_texts(json.loads(f.read_text(encoding="utf-8")))]
    assert not english, f"{len(english)} Engelse schemateksten:\n" + "\n".join(english)


def test_committed_schemas_carry_no_titles(repo_root: Path) -> None:
    # pydantic derives titles from names ('Valid From' for the key 'from', 'Param_Annotated_Decimal__...'): they
    # help nobody and read English, so the schemas carry none; the YAML key is the title.
    for f in sorted((repo_root / "schemas").glob("*.schema.json")):
        titles = [where for where, _ in schema_texts(json.loads(f.read_text(encoding="utf-8"))) if where.endswith("/title")]
        assert not titles, f"{f.name}: {titles[:5]}"


def _models(module: object) -> list[type[BaseModel]]:
    return [m for m in vars(module).values()
            if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == module.__name__  # type: ignore[attr-defined]
            and not m.__pydantic_generic_metadata__["parameters"]]


@pytest.mark.parametrize("module", [schema, scenario_schema], ids=["schema", "scenario_schema"])
def test_every_model_describes_itself_in_dutch(module: object) -> None:
    # The scenario and budget files are not published as schema files (yet): their texts are checked here.
    english = [f"{m.__name__}{line}" for m in _models(module) for line in english_texts(m.model_json_schema())]
    assert not english, f"{len(english)} Engelse schemateksten:\n" + "\n".join(english)


def test_a_field_reads_as_hover_help(repo_root: Path) -> None:
    doc = json.loads((repo_root / "schemas" / "cost_model.schema.json").read_text(encoding="utf-8"))
    correction = doc["$defs"]["Correction"]
    assert correction["properties"]["reason"]["description"] == "Waarom de eerdere waarde fout was"
    assert correction["description"].startswith("Een waarde die is herschreven nadat er al tarieven mee")
