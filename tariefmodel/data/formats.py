"""Every input format of a data folder, by the name its JSON Schema is published under (``tariefmodel schema``).

The region's files are defined in :mod:`tariefmodel.data.schema`; the scenario and budget files in
:mod:`tariefmodel.data.scenario_schema`, which builds on the former (so the list of both lives here).
"""

from __future__ import annotations

from pydantic import BaseModel

from tariefmodel.data import scenario_schema as s
from tariefmodel.data.schema import SCHEMAS

INPUT_FORMATS: dict[str, type[BaseModel]] = {
    **SCHEMAS,
    "scenario": s.ScenarioFile,
    "municipalities": s.MunicipalitiesFile,
    "volumes": s.VolumesFile,
    "budget_ceilings": s.CeilingsFile,
    "arrangements": s.ArrangementsFile,
    "lump_sums": s.LumpSumsFile,
    "sensitivity": s.SensitivityFile,
}
