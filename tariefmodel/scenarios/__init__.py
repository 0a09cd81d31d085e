"""Scenarios and budgets (issue 7): what-if tariff books, budget impact, other funding forms, sensitivity.

Modules, one job each:

* :mod:`.models`       input formats of the scenario and budget files (pydantic)
* :mod:`.files`        reading them, every problem with file, key and line
* :mod:`.paramspace`   the parameters that can be moved, their labels and allowed ranges
* :mod:`.overrides`    a scenario applied to a region: a new region, never a changed one
* :mod:`.budget`       volumes x tariffs per contract, municipality, law, scenario and year
* :mod:`.ceilings`     budget ceilings per provider and the 70% signal
* :mod:`.arrangements` arrangements (support profile x intensity) and their payment schedule
* :mod:`.lumpsums`     lump sums, availability funding, task budgets, allocation keys
* :mod:`.vectorised`   the book as numpy array expressions over many parameter sets
* :mod:`.sensitivity`  tornado and Monte Carlo (scipy.stats) on the vectorised path
* :mod:`.goalseek`     the parameter value that gives a tariff (scipy.optimize.brentq, exact path)
* :mod:`.api`          :class:`Workspace`, the Python interface

Heavy libraries (numpy, scipy, pandas, matplotlib) are imported only by the modules that
need them, so ``tariefmodel --help`` stays fast.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "Workspace":
        from tariefmodel.scenarios.api import Workspace

        return Workspace
    raise AttributeError(f"module 'tariefmodel.scenarios' has no attribute {name!r}")


__all__ = ["Workspace"]
