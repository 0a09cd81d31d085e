"""Benchmark tariefmodel: start-up, the bundled book, and the exact path at scale.

Speed is measured here, never in unit tests. The machines are small (2 cores)
and noisy, so every figure is the median of several runs, and the script
reports ratios within one run next to absolute times.

    python scripts/bench.py                # print the results
    python scripts/bench.py --write-readme # also replace the block in README.md

Measured:
* ``tariefmodel --help`` wall time (a fresh process each run);
* ``tariefmodel calculate --out book.csv`` wall time on the bundled region;
* 100,000 synthetic product x variant x year combinations priced on the exact
  Decimal path on one core (products derived from the bundled book with other
  staffing mixes and group sizes), and the peak memory of that run;
* ``tariefmodel export review`` on the bundled book, LibreOffice's headless
  recalculation of the same workbook, and the ratio of the two;
* ``tariefmodel export annex`` of one contract (wall time, incl. start-up);
* ``tariefmodel survey import`` of 1,000 filled questionnaires plus ``survey report`` on them (wall time of the
  two commands; the questionnaires are drawn by scripts/make_survey_example.py beforehand, not timed);
* the core of ``tariefmodel export providers`` for 500 providers: a synthetic register made in
  memory from the bundled providers (``dataclasses.replace`` on the Region), the book priced,
  the manifest built, and 500 workbooks written and moved into place;
* the same for 10,000 providers (``--providers N`` to choose another size, ``--only-providers`` to run just
  this row): the book indexed by provider once, the workbooks written on two processes.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def wall(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir(),
                       env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def synthetic_pricing(target: int) -> tuple[int, float, float]:
    """Price ``target`` synthetic combinations; return (count, seconds, peak MiB of this process)."""
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.region import BookProduct
    from tariefmodel.engine.pricing import Pricer
    from tariefmodel.loader.load import load_region

    region = load_region(bundled_region())
    base = list(region.products)
    years = (2024, 2025, 2026)
    per_product = sum(len(bp.product.caos) for bp in base) / len(base) * len(years)
    n_products = int(target / per_product) + 1
    synthetic: list[BookProduct] = []
    for i in range(n_products):
        bp = base[i % len(base)]
        prod = bp.product
        # Another group size and a shifted staffing mix per copy: real work, no cache hits on products.
        shares = dict(prod.staffing)
        if len(shares) > 1:
            first, second = list(shares)[:2]
            shift = Decimal(i % 10) / 100 * min(shares[first], shares[second])
            shares[first] -= shift
            shares[second] += shift
        new = prod.model_copy(update={"code": f"S{i:04d}"[:5], "staffing": shares,
                                      "group_size": prod.group_size + Decimal(i % 3)})
        synthetic.append(BookProduct(new, bp.contract, bp.file, bp.line))
    count = 0
    t = time.perf_counter()
    for year in years:
        pricer = Pricer(region, year)
        for bp in synthetic:
            for cao in bp.product.caos:
                pricer.price(bp, cao)
                count += 1
                if count >= target:
                    break
            if count >= target:
                break
    seconds = time.perf_counter() - t
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return count, seconds, peak_mib


def provider_sheets(n: int, runs: int) -> float:
    """Median seconds of the core of ``export providers`` for a register of ``n`` providers."""
    import dataclasses

    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region
    from tariefmodel.outputs.workbooks.providers import write_provider_books
    from tariefmodel.trail import manifest as mf

    region = load_region(bundled_region())
    base = list(region.providers.values())
    register = dict(region.providers)  # the bundled ones (their addenda and phase-in paths) plus copies
    for i in range(n - len(register)):
        p = base[i % len(base)]
        register[f"{p.key}-{i:03d}"] = p.model_copy(update={"key": f"{p.key}-{i:03d}", "name": f"{p.name} {i}"})
    synthetic = dataclasses.replace(region, providers=register)
    times = []
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            book = price_book(synthetic, synthetic.info.default_year)
            man = mf.build(synthetic, ["export", "providers", "--year", str(book.year)])
            result = write_provider_books(Path(tmp) / f"sheets{i}", synthetic, book, None, man)
            times.append(time.perf_counter() - t)
            assert len(result.files) == n
    return statistics.median(times)


def survey_import_report(n: int) -> tuple[float, float]:
    """Wall seconds of ``survey import`` of ``n`` questionnaires and of ``survey report`` on them (fresh data folder)."""
    import shutil

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_survey_example import make_workbooks

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for d in ("parameters", "cao_tables", "benchmarks"):
            shutil.copytree(ROOT / d, data / d)
        make_workbooks(data, n, Path(tmp) / "wb")
        exe = [sys.executable, "-m", "tariefmodel.cli.main", "survey"]
        t = time.perf_counter()
        subprocess.run([*exe, "import", str(Path(tmp) / "wb"), "--data", str(data)], check=True, capture_output=True)
        t_import = time.perf_counter() - t
        t = time.perf_counter()
        subprocess.run([*exe, "report", "--out", str(Path(tmp) / "r.html"), "--data", str(data)], check=True,
                       capture_output=True)
        return t_import, time.perf_counter() - t


def libreoffice_recalc(workbook: Path, tmp: Path, runs: int) -> float | None:
    """Median wall time of LibreOffice opening, recalculating and saving ``workbook`` (None: not installed)."""
    from tariefmodel.outputs.workbooks import recalc

    if recalc.soffice() is None:
        return None
    profile = tmp / "lo_profile"
    recalc.convert([workbook], tmp / "lo_warmup", profile=profile)  # the first start creates the profile
    times = []
    for i in range(runs):
        t = time.perf_counter()
        recalc.convert([workbook], tmp / f"lo_{i}", profile=profile)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


VECTOR_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def vectorised(kind: str) -> str:
    """Scenarios and budgets (issue 7): the vectorised path, measured in this (pinned) process after imports.

    montecarlo: 10,000 draws over the 2025 book and budget (drawing, pricing, percentiles of every tariff);
    throughput: tariffs per second on a large synthetic book; tornado: every parameter low and high.
    """
    import numpy as np

    from tariefmodel.scenarios.api import Workspace
    from tariefmodel.scenarios.inputs import load_sensitivity
    from tariefmodel.scenarios.sensitivity import monte_carlo, parameters, tornado

    ws = Workspace()
    if kind == "montecarlo":
        model, target = ws.model("basis", [2025])
        params = parameters(model, ws.region, load_sensitivity(ws.region, check_distributions=True))
        monte_carlo(model, params, 100, seed=1)  # imports and first-call costs out of the measurement
        t = time.perf_counter()
        mc = monte_carlo(model, params, 10_000, seed=20250101)
        np.percentile(mc.out[2025], (5, 50, 95), axis=0)
        np.percentile(target.value(mc.out), (5, 50, 95))
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows = len(ws.book("basis", 2025).tariffs)
        return f"{seconds} {rows} {peak}"
    if kind == "tornado":
        t = time.perf_counter()
        model, target = ws.model("basis", [2025])
        params = parameters(model, ws.region, ws.sensitivity_file)
        t_built = time.perf_counter()
        tornado(model, params, [target])
        t_end = time.perf_counter()
        return f"{t_end - t} {t_end - t_built} {len(params)}"
    # throughput: synthetic products from the bundled book (other staffing mixes, group sizes), one row per CAO
    from tariefmodel.data.region import BookProduct
    from tariefmodel.engine.pricing import Pricer
    from tariefmodel.scenarios.vectorised import Model

    region = ws.region
    pricer = Pricer(region, 2025)
    tariffs = []
    for i in range(10_000):
        bp = region.products[i % len(region.products)]
        shares = dict(bp.product.staffing)
        if len(shares) > 1:
            first, second = list(shares)[:2]
            shift = Decimal(i % 10) / 100 * min(shares[first], shares[second])
            shares[first] -= shift
            shares[second] += shift
        new = bp.product.model_copy(update={"code": f"S{i:04d}"[:5], "staffing": shares,
                                            "group_size": bp.product.group_size + Decimal(i % 3)})
        for cao in new.caos:
            tariffs.append(pricer.price(BookProduct(new, bp.contract, bp.file, bp.line), cao, micro=bool(i % 2)))
    model = Model(region, tariffs=tariffs)
    draws = 300
    X = model.space.matrix(draws) * np.random.default_rng(0).uniform(0.97, 1.03, (draws, len(model.space.names)))
    model.evaluate(X)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        model.evaluate(X)
        times.append(time.perf_counter() - t)
    return f"{statistics.median(times)} {len(tariffs)} {draws}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--target", type=int, default=100_000)
    ap.add_argument("--write-readme", action="store_true")
    ap.add_argument("--providers", type=int, default=10_000, help="register size of the large export providers row")
    ap.add_argument("--only-providers", action="store_true", help="run only the large export providers row")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-vector", choices=["montecarlo", "throughput", "tornado"], help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child_vector:  # one process per measurement, pinned to one core, BLAS on one thread (VECTOR_ENV)
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        print(vectorised(args.child_vector))
        return

    if args.child:  # one pinned process per measurement, so peak memory is its own
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        n, s, peak = synthetic_pricing(args.target)
        print(f"{n} {s} {peak}")
        return

    if args.only_providers:
        secs = provider_sheets(args.providers, runs=1)
        print(f"{args.providers:,} provider sheets: {secs:.1f} s ({secs / args.providers * 1000:.1f} ms per workbook)")
        return

    exe = [sys.executable, "-m", "tariefmodel.cli.main"]
    help_s = wall([*exe, "--help"], args.runs)
    python_s = wall([sys.executable, "-c", "pass"], args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        # Warm: the inputs were validated before (the usual case when recalculating); cold: every
        # file validated again, as on the first run after an edit.
        cache_env = dict(os.environ, TARIEFMODEL_CACHE_DIR=str(Path(tmp) / "cache"))
        cache_env.pop("TARIEFMODEL_NO_CACHE", None)
        calc = [*exe, "calculate", "--out", str(Path(tmp) / "book.csv")]
        subprocess.run(calc, check=True, capture_output=True, env=cache_env)
        calc_s = wall(calc, args.runs, cache_env)
        cold_s = wall(calc, args.runs, dict(cache_env, TARIEFMODEL_NO_CACHE="1"))
        annex_s = wall([*exe, "export", "annex", "--contract", "ambulant-jeugd", "--out", str(Path(tmp) / "annex.xlsx")],
                       args.runs, cache_env)
        review_xlsx = Path(tmp) / "review.xlsx"
        review_s = wall([*exe, "export", "review", "--out", str(review_xlsx)], args.runs, cache_env)
        lo_s = libreoffice_recalc(review_xlsx, Path(tmp), runs=3)
    # Pricing first, while this process is small: Linux keeps a process's peak RSS across fork and exec,
    # so a child started after the large rows below would report their memory as its own.
    # One small child first: it validates the inputs into the cache (the engine hash changes with every code
    # edit), so the three measured children load a validated region, as calculate does on a warm run.
    subprocess.run([sys.executable, __file__, "--child", "--target", "1"], check=True, capture_output=True)
    results = []
    for _ in range(3):
        out = subprocess.run([sys.executable, __file__, "--child", "--target", str(args.target)],
                             check=True, capture_output=True, text=True).stdout.split()
        results.append((int(out[0]), float(out[1]), float(out[2])))
    n = results[0][0]
    secs = statistics.median(r[1] for r in results)
    peak = max(r[2] for r in results)
    providers_s = provider_sheets(500, runs=3)
    many_s = provider_sheets(args.providers, runs=1)
    survey_import_s, survey_report_s = survey_import_report(1000)

    vector: dict[str, list[list[float]]] = {}
    for kind in ("montecarlo", "throughput", "tornado"):
        for _ in range(3):
            out = subprocess.run([sys.executable, __file__, "--child-vector", kind], check=True, capture_output=True,
                                 text=True, env=dict(os.environ, **VECTOR_ENV)).stdout.split()
            vector.setdefault(kind, []).append([float(x) for x in out])
    mc_s = statistics.median(r[0] for r in vector["montecarlo"])
    mc_rows = int(vector["montecarlo"][0][1])
    mc_peak = max(r[2] for r in vector["montecarlo"])
    tp_s = statistics.median(r[0] for r in vector["throughput"])
    tp_rows, tp_draws = (int(x) for x in vector["throughput"][0][1:])
    tor_s = statistics.median(r[0] for r in vector["tornado"])
    tor_eval = statistics.median(r[1] for r in vector["tornado"])
    tor_n = int(vector["tornado"][0][2])

    lines = [
        f"Measured with `python scripts/bench.py` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()} (median of {args.runs} runs; pricing: median of 3 processes pinned to one core).",
        "",
        "| what | target | measured |",
        "|---|---|---|",
        f"| `python -c pass` (interpreter start, for scale) | | {python_s:.3f} s |",
        f"| `tariefmodel --help` | < 0.3 s | {help_s:.3f} s |",
        f"| `tariefmodel calculate --out book.csv` (bundled book, incl. start-up; inputs validated before) "
        f"| < 0.5 s | {calc_s:.3f} s |",
        f"| the same, cold: every input file validated again (first run after an edit) | | {cold_s:.3f} s |",
        f"| {n:,} synthetic product x variant x year tariffs, exact Decimal path, one core | < 2 s | "
        f"{secs:.3f} s ({n / secs:,.0f} tariffs/s) |",
        f"| peak memory of that pricing process | | {peak:.0f} MiB |",
        f"| `tariefmodel export review --out review.xlsx` (bundled book, every build-up as live formulas, "
        f"incl. start-up) | < 3 s | {review_s:.3f} s |",
        f"| LibreOffice recalculating that workbook headless (`soffice --convert-to xlsx`, warm profile, median "
        f"of 3) | | {'not installed' if lo_s is None else f'{lo_s:.3f} s'} |",
        f"| ratio: our export / LibreOffice's recalculation of it | | "
        f"{'n/a' if lo_s is None else f'{review_s / lo_s:.2f}'} |",
        f"| `tariefmodel export annex --contract ambulant-jeugd` (contract annex, incl. start-up) | | {annex_s:.3f} s |",
        f"| 500 provider tariff sheets: the core of `export providers` (book, manifest, 500 workbooks written and "
        f"moved into place; synthetic register, median of 3, 2 processes) | < 30 s on 2 cores | {providers_s:.2f} s "
        f"({providers_s / 500 * 1000:.0f} ms per workbook) |",
        f"| {args.providers:,} provider tariff sheets, the same core (book indexed by provider once, workbooks "
        f"written on 2 processes; one run) | < 120 s on 2 cores | {many_s:.1f} s "
        f"({many_s / args.providers * 1000:.1f} ms per workbook) |",
        f"| `tariefmodel survey import` of 1,000 filled questionnaires, then `survey report --out r.html` on them "
        f"(wall time, incl. start-up; one run) | < 60 s on 2 cores | {survey_import_s + survey_report_s:.1f} s "
        f"(import {survey_import_s:.1f} s, report {survey_report_s:.1f} s) |",
        f"| 10,000 Monte Carlo draws over the whole bundled book ({mc_rows} tariffs of 2025, and the lump sums) and "
        f"the budget, "
        f"vectorised, one core: drawing, pricing, percentiles (median of 3 processes) | < 2 s | {mc_s:.3f} s |",
        f"| peak memory of that Monte Carlo process | | {mc_peak:.0f} MiB |",
        f"| vectorised path on a large synthetic book ({tp_rows:,} tariffs x {tp_draws} parameter sets), one core "
        f"| >= 10,000,000 tariffs/s | {tp_rows * tp_draws / tp_s:,.0f} tariffs/s ({tp_s:.3f} s) |",
        f"| tornado over all {tor_n} parameters of the 2025 book and budget, one core, incl. building the vectorised "
        f"model from the exact book | < 1 s | {tor_s:.3f} s (the {2 * tor_n + 1} evaluations alone: {tor_eval:.3f} s) |",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write_readme:
        readme = README.read_text(encoding="utf-8")
        if START in readme and END in readme:
            head, rest = readme.split(START, 1)
            _, tail = rest.split(END, 1)
            README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")
        else:
            print("README.md has no bench block; not written", file=sys.stderr)


if __name__ == "__main__":
    main()
