"""The region's survey rules (parameters/survey.yaml), resolved for one year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tariefmodel.data.problems import InputError, Problem, Problems

SURVEY_FILE = "parameters/survey.yaml"


@dataclass(frozen=True, slots=True)
class SurveySettings:
    min_respondents: int
    min_respondents_source: str
    min_respondents_assumption: bool
    surplus_margin: Decimal
    surplus_margin_source: str


def load_settings(root: Path, year: int) -> SurveySettings:
    """Read and validate parameters/survey.yaml; raise InputError naming the file and key."""
    from pydantic import ValidationError

    from tariefmodel.data.params import MissingValue, value_at
    from tariefmodel.data.pydantic_nl import add_validation_errors
    from tariefmodel.data.schema import SurveyFile
    from tariefmodel.data.yamlio import YamlError, load_yaml

    path = root / SURVEY_FILE
    if not path.is_file():
        raise InputError([Problem(SURVEY_FILE, "", "bestand ontbreekt: het kostprijsonderzoek heeft min_respondents "
                                                   "en surplus_margin nodig")])
    try:
        raw = load_yaml(path)
        parsed = SurveyFile.model_validate(raw)
    except YamlError as exc:
        raise InputError([Problem(SURVEY_FILE, "", str(exc), line=exc.line)]) from exc
    except ValidationError as exc:
        problems = Problems()
        add_validation_errors(problems, SURVEY_FILE, exc, raw)
        raise InputError(problems.items) from exc
    day = dt.date(year, 1, 1)
    try:
        n = value_at(parsed.min_respondents, day, "min_respondents", SURVEY_FILE)
        margin = value_at(parsed.surplus_margin, day, "surplus_margin", SURVEY_FILE)
    except MissingValue as exc:
        raise InputError([exc.problem]) from exc
    return SurveySettings(int(n.value), n.entry.source, n.entry.assumption, Decimal(margin.value), margin.entry.source)
