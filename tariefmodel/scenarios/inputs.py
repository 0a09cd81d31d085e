"""The sensitivity file's checks that need the scenarios layer: parameter paths and distributions.

Reading and the format checks of every scenario and budget file are the loader's
(:mod:`tariefmodel.loader.inputs`), so that a data folder is checked as one unit; this module
adds what only the scenarios layer can judge.
"""

from __future__ import annotations

from typing import Any

from tariefmodel.data.problems import Problems
from tariefmodel.data.region import Region
from tariefmodel.loader import inputs as loader_inputs
from tariefmodel.loader.inputs import SENSITIVITY


def load_sensitivity(region: Region, *, check_distributions: bool = False) -> Any:
    """parameters/sensitivity.yaml; ``check_distributions`` also checks them against scipy.stats (slow import)."""
    from tariefmodel.scenarios.paramspace import is_known, match_paths, suggest

    def check(problems: Problems, where: str, p: Any, at: int | None) -> None:
        for path in p.paths:
            if path.startswith("index."):
                continue  # index rates exist per year; checked when a model is built
            if not (match_paths(region, path) or is_known(region, path)):
                problems.add(SENSITIVITY, f"{where}.paths", f"parameter {path!r} bestaat niet: {suggest(region, path)}",
                             line=at)
        if p.distribution is not None and check_distributions:
            _check_distribution(problems, where, p.distribution, at)

    return loader_inputs.load_sensitivity(region, check_paths=check)


def _check_distribution(problems: Problems, where: str, dist: Any, line: int | None) -> None:
    import scipy.stats

    factory = getattr(scipy.stats, dist.name, None)
    if not isinstance(factory, scipy.stats.rv_continuous):
        problems.add(SENSITIVITY, f"{where}.distribution.name", f"{dist.name!r} is geen continue verdeling van "
                     "scipy.stats (bijvoorbeeld norm, uniform, triang, lognorm, beta)", line=line)
        return
    try:
        frozen = factory(**{k: float(v) for k, v in dist.params.items()})
        frozen.mean()
    except (TypeError, ValueError):
        # scipy's own (English) message is not shown; the parameter names are what the user wrote.
        problems.add(SENSITIVITY, f"{where}.distribution.params",
                     f"ongeldige parameters voor {dist.name} ({', '.join(dist.params)})", line=line)
        return
    if not (frozen.support()[0] < frozen.support()[1]) or frozen.std() != frozen.std():
        problems.add(SENSITIVITY, f"{where}.distribution.params", f"ongeldige parameters voor {dist.name}", line=line)
