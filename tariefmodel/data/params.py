"""The region's dated parameters: one view of the cost model as valid on one day.

Every dated parameter (``values: [{from, until?, value, source, ...}]``) is looked
up here and nowhere else::

    view = params(region.cost_model, dt.date(2025, 1, 1))
    use = view.get("overhead.rate")   # ParamUse: path, file, value and the dated entry (its provenance)
    use.value                         # Decimal('0.12')
    view.paths()                      # every parameter path, in the order of the file

``valid_entry`` is the one rule for "which entry holds on a day": the latest
``from`` on or before the day whose ``until`` (if any) is not before it. The
parameter workbook applies the same rule to the YAML entries it edits in place.

A view is built once per (cost model, day) and reused: pricing 100,000 tariffs
reads the same thirty values over and over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from tariefmodel.data import numbers
from tariefmodel.data.problems import Problem, did_you_mean
from tariefmodel.data.records import Record

if TYPE_CHECKING:
    from tariefmodel.data.schema import Dated, Param

COST_MODEL_FILE = "parameters/cost_model.yaml"

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class ParamUse:
    """A parameter value as used in a tariff, with the entry that holds its provenance."""

    path: str
    file: str
    value: Any
    entry: Dated


class MissingValue(LookupError):
    """A parameter without a value for the day asked (or a path that names none); carries its Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _from(e: Any) -> dt.date:
    return e.valid_from


def _until(e: Any) -> dt.date | None:
    return e.valid_until


def valid_entry(entries: Iterable[E], day: dt.date, start: Callable[[E], dt.date] = _from,
                end: Callable[[E], dt.date | None] = _until) -> E | None:
    """The entry valid on ``day``: the latest start on or before it whose end (if any) is not before it."""
    best = None
    best_start = None
    for e in entries:
        s = start(e)
        if s <= day and (best_start is None or s > best_start):
            u = end(e)
            if u is None or u >= day:
                best, best_start = e, s
    return best


def value_at(param: Param, day: dt.date, path: str, file: str = COST_MODEL_FILE) -> ParamUse:
    """The entry of one dated parameter valid on ``day`` (for any file: cost model, CAO, differentiation)."""
    entry = valid_entry(param.values, day)
    if entry is None:
        raise MissingValue(Problem(file, path, f"geen waarde geldig op {numbers.date(day)}"))
    return ParamUse(path, file, entry.value, entry)


# --------------------------------------------------------------------------- the parameters of a cost model


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    """The named children of a record, a validated model or a dict."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield str(k), v
        return
    if isinstance(obj, Record):
        names: Iterable[str] = obj._fields
    else:
        names = getattr(type(obj), "model_fields", None) or ()
    for name in names:
        yield name, getattr(obj, name)


def _is_param(obj: Any) -> bool:
    """A dated parameter: a Param record, a validated Param model (the loader checks before recording), or
    in the parsed YAML a mapping whose ``values`` is a list of entries (the parameter workbook edits those)."""
    if isinstance(obj, Record):
        return obj._kind == "Param"
    if isinstance(obj, dict):
        values = obj.get("values")
        return isinstance(values, list) and bool(values) and all(isinstance(e, dict) for e in values)
    return type(obj).__name__.split("[")[0] == "Param" and isinstance(getattr(obj, "values", None), list)


def _walk(obj: Any, prefix: str, out: dict[str, Any]) -> None:
    for name, child in _children(obj):
        path = f"{prefix}.{name}" if prefix else name
        if _is_param(child):
            out[path] = child
        elif isinstance(child, dict | Record) or hasattr(type(child), "model_fields"):
            _walk(child, path, out)


def param_index(cost_model: Any) -> Mapping[str, Param]:
    """Every dated parameter of a cost model by its dotted path, in the order of the file (read-only)."""
    key = id(cost_model)
    hit = _INDEX.get(key)
    if hit is not None and hit[0] is cost_model:
        return hit[1]
    out: dict[str, Any] = {}
    _walk(cost_model, "", out)
    index = MappingProxyType(out)
    _remember(_INDEX, key, (cost_model, index))
    return index


def replace_at(cost_model: Any, path: str, new: Any) -> Any:
    """A copy of the cost model with the parameter (or block, e.g. a norm) at dotted ``path`` replaced."""
    return _replace(cost_model, path.split("."), new)


def _replace(obj: Any, parts: list[str], new: Any) -> Any:
    if not parts:
        return new
    head, rest = parts[0], parts[1:]
    if isinstance(obj, dict):
        return {**obj, head: _replace(obj[head], rest, new)}
    return obj.model_copy(update={head: _replace(getattr(obj, head), rest, new)})


class ParameterView:
    """The dated parameters of one cost model as valid on one day, each with its provenance."""

    __slots__ = ("_params", "_uses", "cost_model", "day", "file")

    def __init__(self, cost_model: Any, day: dt.date, file: str = COST_MODEL_FILE):
        self.cost_model = cost_model
        self.day = day
        self.file = file
        self._params = param_index(cost_model)
        self._uses: dict[str, ParamUse] = {}

    def paths(self) -> tuple[str, ...]:
        """Every parameter path of the cost model (valid on this day or not), in the order of the file."""
        return tuple(self._params)

    def __contains__(self, path: object) -> bool:
        return path in self._params

    def param(self, path: str) -> Param:
        """The dated parameter itself (all its entries); MissingValue for an unknown path."""
        try:
            return self._params[path]
        except KeyError:
            raise MissingValue(Problem(self.file, path, self._unknown(path))) from None

    def get(self, path: str) -> ParamUse:
        """The value valid on the view's day, with its entry; MissingValue names the path and the day."""
        use = self._uses.get(path)
        if use is None:
            use = self._uses[path] = value_at(self.param(path), self.day, path, self.file)
        return use

    def value(self, path: str) -> Any:
        return self.get(path).value

    def uses(self) -> Iterator[ParamUse]:
        """The value of every parameter valid on the day (parameters without one are left out)."""
        for path in self._params:
            try:
                yield self.get(path)
            except MissingValue:
                continue

    def _unknown(self, path: str) -> str:
        hint = did_you_mean(path, self._params)
        hint = f"; {hint}" if hint else ""
        return f"onbekende parameter (gevraagd voor {numbers.date(self.day)}){hint}"


def params(cost_model: Any, day: dt.date) -> ParameterView:
    """The view of ``cost_model`` on ``day``, built once and reused."""
    key = (id(cost_model), day)
    hit = _VIEWS.get(key)
    if hit is not None and hit.cost_model is cost_model:
        return hit
    view = ParameterView(cost_model, day)
    _remember(_VIEWS, key, view)
    return view


# Keyed by identity: records hold dicts and so have no hash. Each entry keeps its cost model alive, so an id
# is never reused while cached; the bound keeps scenario runs (a new cost model per step) from piling up.
_CACHE_SIZE = 256
_INDEX: dict[int, tuple[Any, Mapping[str, Any]]] = {}
_VIEWS: dict[tuple[int, dt.date], ParameterView] = {}


def _remember(cache: dict, key: Any, value: Any) -> None:
    if len(cache) >= _CACHE_SIZE:
        del cache[next(iter(cache))]
    cache[key] = value
