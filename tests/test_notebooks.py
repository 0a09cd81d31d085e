"""The notebooks run top to bottom (nbclient, kernel python3), draw their charts, and are stored without outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# The charts each notebook draws (one picture per chart): 01 histogram, variants, waterfall, build-up;
# 02 scenario differences, per contract, totals, per municipality, ceiling, lump sums; 03 two tornados,
# Monte Carlo, goal seek; 04 general parameters, per product, coverage.
CHARTS = {"01_tariefboek": 4, "02_scenario_en_begroting": 6, "03_gevoeligheid_montecarlo": 4,
          "04_kostprijsonderzoek": 3}
PICTURES = ("image/png", "image/svg+xml")


def test_there_are_four_notebooks() -> None:
    assert [p.stem for p in NOTEBOOKS] == list(CHARTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_without_outputs(path: Path) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_forced_backend(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "%matplotlib inline" in text and "matplotlib.use(" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_its_charts(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    # The kernel imports this checkout's tariefmodel (and notebooks/grafiek.py from its working directory).
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the notebooks choose the inline backend themselves
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, [f"{o.ename}: {o.evalue}" for o in errors]
    # Warnings go to stderr (a non-interactive backend says "FigureCanvasAgg is non-interactive").
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not [t for t in stderr if "Warning" in t or "backend" in t.lower() or "non-interactive" in t], stderr
    pictures = sum(1 for o in outputs if o.output_type in ("display_data", "execute_result")
                   and any(kind in o.get("data", {}) for kind in PICTURES))
    assert pictures >= CHARTS[path.stem], f"{path.name}: {pictures} pictures, {CHARTS[path.stem]} charts expected"
