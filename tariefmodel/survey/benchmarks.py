"""The survey's figures as benchmarks: ``benchmarks/kostprijsonderzoek_<jaar>.yaml``.

One entry per parameter (and per micro/regular group where the model has its own
parameter), in the existing benchmarks format (:class:`tariefmodel.data.schema.Benchmark`):
value = the weighted median, low-high = P25-P75, with the survey, n and method as source.
``informs`` names the cost-model parameters the figure speaks to, so the audit checks
them like any other benchmark. Suppressed figures are left out; no respondent is named.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.survey.aggregate import Figure, SurveyResult

BENCH_DIR = "benchmarks"

UNITS = {"fractie": "fractie", "EUR/uur": "EUR per direct uur", "clienten": "clienten per begeleider",
         "uur": "uur per eenheid"}


def benchmarks_file(year: int) -> str:
    return f"{BENCH_DIR}/kostprijsonderzoek_{year}.yaml"


def entries(result: SurveyResult, overhead_convention: str) -> list[dict[str, Any]]:
    """The benchmark entries (plain dicts in the order of the report) for every figure not suppressed."""
    out: list[dict[str, Any]] = []
    y = result.year
    for p in result.parameters:
        if p.key == "overhead":
            # The model's overhead parameter is a mark-up on direct costs; the survey measures a share of
            # total costs. Convert (s -> s / (1 - s)), which keeps the order of values, so median and
            # percentiles convert exactly (except a midpoint of two values, which moves slightly).
            for group, path in (("regulier", "overhead.rate"), ("micro", "overhead.rate_micro")):
                fig = p.figure(group)
                if fig is None or fig.suppressed:
                    continue
                conv = _markup if overhead_convention == "markup" else (lambda s: s)
                out.append(_entry(y, f"overhead-{group}", f"Overhead, {fig.label}", fig, "fractie", [path],
                                  transform=conv, note=(
                                      f"Gemeten als overheadkosten / totale kosten, hier omgerekend naar een opslag op "
                                      f"de overige kosten (a / (1 - a)), zoals {path} rekent."
                                      if overhead_convention == "markup" else p.definition)))
            continue
        fig = p.overall
        if fig.suppressed:
            continue
        informs = sorted({path for m in p.model for path in m.path.split(";") if path})
        out.append(_entry(y, p.key, p.label, fig, p.unit, informs, note=f"{p.definition}; gewogen naar {p.weight}."))
    return out


def _markup(share: Decimal) -> Decimal:
    return share / (1 - share)


def _entry(year: int, key: str, label: str, fig: Figure, unit: str, informs: list[str], *,
           transform: Any = None, note: str) -> dict[str, Any]:
    t = transform or (lambda v: v)
    decimals = 4 if unit == "fractie" else 2
    assert fig.median is not None and fig.p25 is not None and fig.p75 is not None
    return {
        "key": f"kostprijsonderzoek-{year}-{key}",
        "label": f"{label} (kostprijsonderzoek {year})",
        "value": excel_round(t(fig.median), decimals),
        "low": excel_round(t(fig.p25), decimals),
        "high": excel_round(t(fig.p75), decimals),
        "unit": UNITS.get(unit, unit),
        "source": f"Kostprijsonderzoek {year}, n = {fig.n}, gewogen mediaan; P25–P75",
        "informs": informs,
        "note": note,
    }


def yaml_bytes(result: SurveyResult, items: list[dict[str, Any]]) -> bytes:
    """The benchmarks file, written by hand so its bytes depend only on the figures."""
    lines = [f"# Kostprijsonderzoek {result.year} van {result.region}: gewogen mediaan (value) en P25-P75 (low-high)",
             f"# per parameter, uit {result.n} respondenten (laatste versie per respondent). Geschreven door",
             f"# `tariefmodel survey benchmarks --jaar {result.year}`; cijfers op minder dan "
             f"{result.settings.min_respondents} respondenten zijn weggelaten.",
             "benchmarks:"]
    for e in items:
        lines.append(f"  - key: {e['key']}")
        lines.append(f"    label: {_q(e['label'])}")
        for k in ("value", "low", "high"):
            lines.append(f"    {k}: {e[k]}")
        lines.append(f"    unit: {_q(e['unit'])}")
        lines.append(f"    source: {_q(e['source'])}")
        if e["informs"]:
            lines.append("    informs:")
            lines.extend(f"      - {i}" for i in e["informs"])
        lines.append(f"    note: {_q(e['note'])}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'



def checked(body: bytes, region: Any) -> None:
    """Refuse (InputError) a benchmarks file the loader would refuse: schema, and informs naming real parameters."""
    import yaml
    from pydantic import ValidationError

    from tariefmodel.data.params import param_index
    from tariefmodel.data.problems import InputError, Problem
    from tariefmodel.data.pydantic_nl import dutch_message, error_path
    from tariefmodel.data.schema import BenchmarksFile

    try:
        parsed = BenchmarksFile.model_validate(yaml.safe_load(body.decode("utf-8")))
    except yaml.YAMLError as exc:
        raise InputError([Problem("benchmarks", "", "de gegenereerde benchmarks zijn geen geldige YAML")]) from exc
    except ValidationError as exc:
        raise InputError([Problem("benchmarks", ".".join(str(p) for p in error_path(err)),
                                  f"de gegenereerde benchmarks zijn ongeldig: {dutch_message(err)}")
                          for err in exc.errors()]) from exc
    known = param_index(region.cost_model)
    problems = [Problem("benchmarks", f"{b.key}.informs", f"{path!r} is geen parameter van het kostenmodel")
                for b in parsed.benchmarks for path in b.informs
                if path not in known
                and path.removeprefix("productivity_norms.") not in region.cost_model.productivity_norms]
    if problems:
        raise InputError(problems)
