"""The data folder as one unit: every file in it is checked whenever the folder is loaded.

The region files are checked by :mod:`tariefmodel.loader.load`; the scenario and budget
files (``scenarios/*.yaml``, ``parameters/municipalities.yaml``, ``volumes.yaml``,
``budget_ceilings.yaml``, ``arrangements.yaml``, ``lump_sums.yaml``, ``sensitivity.yaml``)
by the :data:`FOLDER_CHECKS` here, which run on every cold load, so a broken volumes file
makes ``calculate`` refuse (exit 2, nothing written) just as ``validate`` does. A file that is
absent is not checked (each is optional for the engine); the command that needs it says so.

:func:`tariefmodel.loader.load.check_folder` is the one call for ``tariefmodel validate``:
every problem of the folder (errors and warnings), never raising for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tariefmodel.data.problems import InputError, Problem, Problems
from tariefmodel.data.region import Region
from tariefmodel.loader import inputs
from tariefmodel.loader.reader import Reader


def _municipalities(region: Region, reader: Reader) -> None:
    if (region.root / inputs.MUNICIPALITIES).exists():
        inputs.load_municipalities(region, reader)


def _with_municipalities(rel: str, load: Callable[[Region, object, Reader], object]) -> Callable[[Region, Reader], None]:
    def check(region: Region, reader: Reader) -> None:
        if not (region.root / rel).exists():
            return
        if not (region.root / inputs.MUNICIPALITIES).exists():
            raise InputError([Problem(rel, "", f"heeft de gemeenten in {inputs.MUNICIPALITIES} nodig "
                                               "(dat bestand ontbreekt)")])
        try:
            municipalities = inputs.load_municipalities(region)  # its own problems are reported once, above
        except InputError:
            return
        load(region, municipalities, reader)
    return check


def _optional(rel: str, load: Callable[[Region, Reader], object]) -> Callable[[Region, Reader], None]:
    def check(region: Region, reader: Reader) -> None:
        if (region.root / rel).exists():
            load(region, reader)
    return check


def _scenarios(region: Region, reader: Reader) -> None:
    problems: list[Problem] = []
    for path in inputs.scenario_files(region.root):
        try:
            inputs.load_scenario_file(region, path, reader)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


FolderCheck = Callable[[Region, Reader], None]  # raises InputError with every problem it finds

FOLDER_CHECKS: tuple[tuple[str, FolderCheck], ...] = (
    ("municipalities", _municipalities),
    ("volumes", _with_municipalities(inputs.VOLUMES, inputs.load_volumes)),
    ("budget ceilings", _optional(inputs.CEILINGS, inputs.load_ceilings)),
    ("arrangements", _optional(inputs.ARRANGEMENTS, inputs.load_arrangements)),
    ("lump sums", _with_municipalities(inputs.LUMP_SUMS, inputs.load_lump_sums)),
    ("sensitivity", _optional(inputs.SENSITIVITY, lambda region, reader: inputs.load_sensitivity(region, reader))),
    ("scenarios", _scenarios),
)


FORMATS: tuple[tuple[str, str], ...] = (
    (inputs.MUNICIPALITIES, "MunicipalitiesFile"), (inputs.VOLUMES, "VolumesFile"),
    (inputs.CEILINGS, "CeilingsFile"), (inputs.ARRANGEMENTS, "ArrangementsFile"),
    (inputs.LUMP_SUMS, "LumpSumsFile"), (inputs.SENSITIVITY, "SensitivityFile"),
)


def check_formats(root: Path, reader: Reader, problems: Problems) -> None:
    """When the region itself has errors (so no region to check against): each file's own format, so that
    one run still lists the problems of every file."""
    from tariefmodel.data import scenario_schema

    for rel, model in FORMATS:
        if (root / rel).exists():
            inputs.read_model(root, rel, getattr(scenario_schema, model), problems, reader)
    for path in inputs.scenario_files(root):
        inputs.read_model(root, f"{inputs.SCENARIO_DIR}/{path.name}", scenario_schema.ScenarioFile, problems, reader)


def run_folder_checks(region: Region, reader: Reader, problems: Problems) -> None:
    """Run every whole-folder check on a validated region; add their problems (the files read go to ``reader``)."""
    for _name, check in FOLDER_CHECKS:
        try:
            check(region, reader)
        except InputError as exc:
            problems.extend(exc.problems)
