"""Commands for scenarios and budgets (issue 7), registered on the main ``tariefmodel`` group.

    tariefmodel scenario list | run S | compare S1 S2 ...
    tariefmodel budget impact | ceilings
    tariefmodel arrangements
    tariefmodel lumpsums
    tariefmodel sensitivity tornado | montecarlo
    tariefmodel goalseek CODE --variant V --target EUR --parameter P

Everything heavy (pydantic, numpy, scipy, rich, decimal money) is imported inside the
commands, so registering these commands costs nothing at start-up. Every table written goes
through ``outputs.writers.write_output`` with the run manifest, so ``verify`` can recompute it.
Exit codes as everywhere: 0 success, 2 invalid input (every problem named, nothing written),
1 no solution (goal seek).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tariefmodel.cli.common import DATA, SCENARIO, TABLES, YEAR, esc, guard, load_region_or_fail, out_option, written
from tariefmodel.cli.common import write_tables as _write
from tariefmodel.cli.errors import CommandFailure, InputFailure

if TYPE_CHECKING:
    from tariefmodel.scenarios.api import Workspace

OUT = out_option(TABLES, "Schrijf naar .csv, .json of .xlsx (atomair). Standaard: een tabel in de terminal.")


def _workspace(data: Path | None) -> Workspace:
    from tariefmodel.scenarios.api import Workspace

    return Workspace(region=load_region_or_fail(data))


def _scenario_ok(ws: Workspace, name: str) -> None:
    guard(ws.scenario, name)


def _console(width: int = 160) -> Any:
    from rich.console import Console

    return Console(width=width)


def _table(title: str, columns: list[tuple[str, str]], rows: list[list[str]]) -> None:
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    for col, just in columns:
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in rows:
        t.add_row(*esc(*r))
    _console().print(t)


def _eur(x: Any) -> str:
    """A euro amount for people (from an exact decimal string of a table cell or a Decimal): € 1.234,56."""
    from decimal import Decimal

    from tariefmodel.data.numbers import eur

    return eur(Decimal(x) if not isinstance(x, Decimal) else x)


def _pct(x: Any) -> str:
    """A percentage figure (4.15 for 4,15%, as the table cells hold it) for people: 4,15%."""
    from decimal import Decimal

    from tariefmodel.data.numbers import pct

    return pct(Decimal(str(x)) / 100, 2)


def _num(x: Any) -> str:
    """A parameter value for a table cell: up to 8 significant digits, dot decimal (machine format)."""
    return f"{float(x):.8g}"


def _shown(x: Any, significant: int = 8) -> str:
    """A parameter value for people: up to ``significant`` significant digits, Dutch (0,0125; 5,3892491E-25)."""
    from tariefmodel.data.numbers import num

    return num(x, significant=significant)


# --------------------------------------------------------------------------- scenario


@click.group()
def scenario() -> None:
    """Scenario's: de basisgegevens met benoemde wijzigingen (scenarios/*.yaml), berekend en vergeleken."""


@scenario.command("list")
@DATA
def scenario_list(data: Path | None) -> None:
    """Toon de scenario's met hun titel en wat ze wijzigen."""
    ws = _workspace(data)
    rows = []
    for name in ws.scenario_names():
        s, _ = guard(ws.scenario, name)
        kinds = ", ".join(f"{o.kind}" for layer in s.layers for o in layer.overrides) or "-"
        rows.append([name, s.label, " <- ".join(s.chain) or "-", kinds])
    _table("Scenario's", [("naam", "left"), ("titel", "left"), ("opbouw", "left"), ("overrides", "left")], rows)


@scenario.command("run")
@click.argument("name", metavar="NAAM")
@DATA
@YEAR
@OUT
def scenario_run(name: str, data: Path | None, year: int | None, out: Path | None) -> None:
    """Bereken het hele tarievenboek onder één scenario (de kolommen van tariefmodel calculate)."""
    ws = _workspace(data)
    s, _ = guard(ws.scenario, name)
    y = ws.year(year)
    book = guard(ws.book, name, y)
    from tariefmodel.outputs.tariff_rows import COLUMNS, rows

    table = rows(book.tariffs)
    if out is None:
        _table(f"{ws.region.info.name}: tarieven {y}, scenario {name} ({s.label})",
               [("code", "left"), ("product", "left"), ("eenheid", "left"), ("variant", "left"), ("micro", "left"),
                ("aanbieder", "left"), ("tarief", "right")],
               [[str(r["product_code"]), str(r["product_name"])[:48], str(r["unit"]), str(r["variant"]),
                 "ja" if r["micro"] else "", str(r["provider"]), _eur(r["tariff_eur"])] for r in table])
        return
    meta = {"scenario": name, "label": s.label, "chain": list(s.chain), "year": y}
    _write(out, ws.region, [(f"Tarieven {y} {name}", COLUMNS, table)], money={"tariff_eur", "hour_tariff_eur"}, meta=meta)
    written(out, f"{len(table)} tarieven ({y}, scenario {name})")


@scenario.command("compare")
@click.argument("names", metavar="NAAM...", nargs=-1, required=True)
@DATA
@YEAR
@click.option("--changed", is_flag=True, help="Alleen de tarieven die verschillen tussen de scenario's.")
@click.option("--product", "product", metavar="PRODUCTCODE", help="Alleen deze productcode.")
@OUT
def scenario_compare(names: tuple[str, ...], data: Path | None, year: int | None, changed: bool, product: str | None,
                     out: Path | None) -> None:
    """Tarieven van meerdere scenario's naast elkaar per product en variant, met de verschillen tot het eerste."""
    ws = _workspace(data)
    names_l = list(names) if len(names) > 1 else ["basis", *names]
    for n in names_l:
        _scenario_ok(ws, n)
    columns, rows = guard(ws.compare, names_l, year)
    if product:
        rows = [r for r in rows if r["product_code"] == product]
    if changed:
        rows = [r for r in rows if len({r[f"tarief {n}"] for n in names_l}) > 1]
    y = ws.year(year)
    if out is None:
        cols = [("code", "left"), ("product", "left"), ("variant", "left"), ("", "left")]
        cols += [(n, "right") for n in names_l]
        cols += [(f"{n} - {names_l[0]}", "right") for n in names_l[1:]]
        body = []
        for r in rows:
            flag = ("micro " if r["micro"] else "") + r["provider"] + (f" {r['version']}" if r["version"] else "")
            line = [r["product_code"], str(r["product_name"])[:40], r["variant"], flag.strip()]
            line += [_eur(r[f"tarief {n}"]) if r[f"tarief {n}"] else "" for n in names_l]
            line += [f"{_eur(r[f'verschil {n} EUR'])} ({_pct(r[f'verschil {n} %'])})" if r[f"verschil {n} EUR"] else ""
                     for n in names_l[1:]]
            body.append(line)
        _table(f"Scenario's vergeleken, tarieven {y}", cols, body)
        click.echo(f"{len(rows)} tarieven", err=True)
        return
    _write(out, ws.region, [(f"Vergelijking {y}", columns, rows)], numeric={c for c in columns if c.endswith(" %")},
          meta={"scenarios": names_l, "year": y})
    written(out, f"{len(rows)} tarieven van {len(names_l)} scenario's ({y})")


# --------------------------------------------------------------------------- budget


@click.group()
def budget() -> None:
    """Budgeteffect van volumes x tarieven, en budgetplafonds per aanbieder."""


@budget.command("impact")
@click.option("--scenario", "scenarios", multiple=True, metavar="NAAM", help="Scenario (herhaalbaar). Standaard: basis.")
@click.option("--year", "years", type=int, multiple=True, metavar="JAAR",
              help="Tariefjaar (herhaalbaar). Standaard: het standaardjaar van de regio.")
@click.option("--by", "by", type=click.Choice(["contract", "gemeente", "wet", "product", "aanbieder"]),
              default="contract", show_default=True, help="De indeling van de tabel in de terminal.")
@DATA
@OUT
def budget_impact(scenarios: tuple[str, ...], years: tuple[int, ...], by: str, data: Path | None,
                  out: Path | None) -> None:
    """Kosten per perceel, gemeente, wet, scenario en jaar: volumes x de (geïndexeerde) tarieven van het jaar + lumpsums."""
    ws = _workspace(data)
    names = list(scenarios) or ["basis"]
    ys = list(years) or [ws.year(None)]
    for n in names:
        _scenario_ok(ws, n)
    budgets = guard(ws.budgets, names, ys)
    from tariefmodel.scenarios.budget import pivot

    warnings = [p for yb in budgets for p in yb.problems]
    for p in dict.fromkeys(warnings):
        click.echo(str(p), err=True)
    if out is None:
        columns, rows = pivot(budgets, by)
        _table(f"Begroting per {by}" + (" (verschil met " + f"{names[0]} {ys[0]})" if len(columns) > 2 else ""),
               [(c, "left" if c == by else "right") for c in columns] + ([("verschil", "right")]
                                                                         if len(columns) > 2 else []),
               [[str(r[by])] + [_eur(r[c]) for c in columns[1:]]
                + ([_eur(r[columns[-1]] - r[columns[1]])] if len(columns) > 2 else []) for r in rows])
        return
    from tariefmodel.outputs.scenario_tables import eur

    sheets = []
    for dim in ("contract", "gemeente", "wet", "aanbieder"):
        columns, rows = pivot(budgets, dim)
        sheets.append((f"Per {dim}", columns, [{k: (eur(v) if k != dim else v) for k, v in r.items()} for r in rows]))
    detail_cols = ["scenario", "year", "municipality", "contract", "law", "kind", "product", "product_name", "unit",
                   "provider", "variant", "micro", "units", "cost_eur", "note"]
    detail = [{"scenario": ln.scenario, "year": ln.year, "municipality": ln.municipality, "contract": ln.contract,
               "law": ln.law, "kind": ln.kind, "product": ln.product, "product_name": ln.product_name, "unit": ln.unit,
               "provider": ln.provider, "variant": ln.variant, "micro": ln.micro, "units": f"{ln.units:f}",
               "cost_eur": eur(ln.cost), "note": ln.note} for yb in budgets for ln in yb.lines]
    if out.suffix.lower() == ".csv":
        sheets = [("Regels", detail_cols, detail)]
    else:
        sheets.append(("Regels", detail_cols, detail))
    money = {c for _, cols, _ in sheets for c in cols if c not in ("contract", "gemeente", "wet", "aanbieder")
             and " " in c}
    _write(out, ws.region, sheets, money=money | {"cost_eur"}, numeric={"units"},
          meta={"scenarios": names, "years": ys, "volumes": "parameters/volumes.yaml (aanname)"})
    written(out, f"begroting ({', '.join(names)}; {', '.join(map(str, ys))})")


@budget.command("ceilings")
@SCENARIO
@YEAR
@click.option("--provider", "provider", metavar="AANBIEDER", help="Het verloop per maand van één aanbieder.")
@DATA
@OUT
def budget_ceilings(scenario: str, year: int | None, provider: str | None, data: Path | None,
                    out: Path | None) -> None:
    """Budgetplafonds per jeugdhulpaanbieder: recht, benutting, het signaal bij 70%, lopende zorg erboven."""
    from tariefmodel.data.numbers import date

    ws = _workspace(data)
    _scenario_ok(ws, scenario)
    y = ws.year(year)
    report = guard(ws.ceilings, scenario, y)
    if provider is not None and provider not in {s.provider for s in report}:
        raise InputFailure.of(f"aanbieder {provider!r} heeft geen perceel waarin een plafond kan gelden (aanbieders: "
               f"{', '.join(s.provider for s in report)})")
    summary_cols = ["provider", "name", "year", "applies", "turnover_eur", "ceiling_eur", "contracts", "spend_eur",
                    "paid_eur", "utilisation_pct", "signal_month", "signal_date", "reached_month",
                    "above_ceiling_paid_eur", "new_intake_not_paid_eur", "reason", "deadlines"]
    summary = [{"provider": s.provider, "name": s.name, "year": s.year, "applies": s.applies,
                "turnover_eur": f"{s.turnover:.2f}", "ceiling_eur": f"{s.ceiling:.2f}" if s.ceiling else "",
                "contracts": ", ".join(s.contracts), "spend_eur": f"{s.spend:.2f}", "paid_eur": f"{s.paid:.2f}",
                "utilisation_pct": f"{s.utilisation * 100:.2f}" if s.applies else "",
                "signal_month": s.signal_month or "", "signal_date": str(s.signal_date or ""),
                "reached_month": s.reached_month or "", "above_ceiling_paid_eur": f"{s.above_ceiling:.2f}",
                "new_intake_not_paid_eur": f"{s.not_paid:.2f}", "reason": s.reason, "deadlines": "; ".join(s.deadlines)}
               for s in report]
    month_cols = ["provider", "month", "spend_eur", "ongoing_eur", "new_intake_eur", "paid_eur", "not_paid_eur",
                  "cumulative_eur", "utilisation_pct", "above_ceiling_eur", "signal"]
    months = [{"provider": s.provider, "month": r.month, "spend_eur": f"{r.spend:.2f}", "ongoing_eur": f"{r.ongoing:.2f}",
               "new_intake_eur": f"{r.new_intake:.2f}", "paid_eur": f"{r.paid:.2f}", "not_paid_eur": f"{r.not_paid:.2f}",
               "cumulative_eur": f"{r.cumulative:.2f}", "utilisation_pct": f"{r.utilisation * 100:.2f}",
               "above_ceiling_eur": f"{r.above_ceiling:.2f}",
               "signal": ("SIGNAAL 70% op " + date(r.signal_date) if r.signal else "")
               + (" PLAFOND BEREIKT" if r.reached else "")}
              for s in report for r in s.months if provider is None or s.provider == provider]
    if out is None:
        if provider is not None:
            st = next(s for s in report if s.provider == provider)
            click.echo(f"{st.name} ({st.provider}), {y}: {st.reason}")
            for d in st.deadlines:
                click.echo(f"  termijn: {d}")
            if not st.applies:
                return
            _table(f"Plafond {_eur(st.ceiling)}; lopende zorg wordt altijd betaald [001:588]",
                   [("maand", "right"), ("zorgkosten", "right"), ("betaald", "right"), ("niet betaald", "right"),
                    ("cumulatief", "right"), ("uitnutting", "right"), ("boven plafond", "right"), ("", "left")],
                   [[str(m["month"]), _eur(m["spend_eur"]), _eur(m["paid_eur"]), _eur(m["not_paid_eur"]),
                     _eur(m["cumulative_eur"]), _pct(m["utilisation_pct"]), _eur(m["above_ceiling_eur"]), m["signal"]]
                    for m in months])
            return
        _table(f"Budgetplafonds {y} (scenario {scenario}); omzet: {ws.ceiling_file.rules.turnover_basis.value}",
               [("aanbieder", "left"), ("omzet", "right"), ("plafond", "right"), ("zorgkosten", "right"),
                ("uitnutting", "right"), ("signaal 70%", "left"), ("bereikt", "left"), ("boven plafond", "right"),
                ("status", "left")],
               [[s.provider, _eur(s.turnover), _eur(s.ceiling) if s.ceiling else "", _eur(s.spend) if s.applies else "",
                 _pct(s.utilisation * 100) if s.applies else "",
                 date(s.signal_date) if s.signal_date else "",
                 f"maand {s.reached_month}" if s.reached_month else "", _eur(s.above_ceiling) if s.applies else "",
                 s.status + ("; " + "; ".join(s.deadlines) if s.deadlines else "")] for s in report])
        click.echo("Lopende zorg wordt altijd betaald, ook boven het plafond [001:588]; details per maand: "
                   "--provider P", err=True)
        return
    _write(out, ws.region, [("Plafonds", summary_cols, summary), ("Per maand", month_cols, months)],
          money={c for c in summary_cols + month_cols if c.endswith("_eur")}, numeric={"utilisation_pct"},
          meta={"scenario": scenario, "year": y})
    written(out, f"budgetplafonds {y}")


# --------------------------------------------------------------------------- arrangements and lump sums


@click.command("arrangements")
@SCENARIO
@YEAR
@click.option("--outcome", metavar="UITKOMST",
              help="Wat betaald wordt als trajecten zo eindigen (afgerond, uitval, verhuizing, overlijden).")
@DATA
@OUT
def arrangements(scenario: str, year: int | None, outcome: str | None, data: Path | None, out: Path | None) -> None:
    """Arrangementtarieven (ondersteuningsprofiel x intensiteit): per maand of traject, met het betaalschema 70/30."""
    ws = _workspace(data)
    _scenario_ok(ws, scenario)
    prices = guard(ws.arrangements, scenario, year)
    schedule = ws.arrangement_file.payment_schedule
    from decimal import Decimal

    from tariefmodel.scenarios.arrangements import payment

    known = [*schedule.completion_paid_on, *schedule.completion_withheld_on]
    if outcome is not None and outcome not in known:
        raise InputFailure.of(f"onbekende uitkomst {outcome!r} (uitkomsten: {', '.join(known)})")
    columns = ["arrangement", "group", "profile", "profile_label", "intensity", "intensity_label", "law", "cao", "form",
               "hours", "hour_price_eur", "tariff_eur", "start_payment_eur", "completion_payment_eur",
               "expected_payment_eur"] + (["paid_if_" + outcome + "_eur"] if outcome else [])
    rows = []
    for p in prices:
        row = {"arrangement": p.code, "group": p.group, "profile": p.profile, "profile_label": p.profile_label,
               "intensity": p.intensity, "intensity_label": p.intensity_label, "law": p.law, "cao": p.cao,
               "form": {"monthly": "maandtarief", "trajectory": "trajecttarief"}[p.form], "hours": f"{p.hours:f}",
               "hour_price_eur": f"{p.hour_price.unrounded:.4f}", "tariff_eur": f"{p.tariff:.2f}",
               "start_payment_eur": f"{p.start_payment:.2f}" if p.start_payment is not None else "",
               "completion_payment_eur": f"{p.completion_payment:.2f}" if p.completion_payment is not None else "",
               "expected_payment_eur": f"{p.expected_payment:.2f}" if p.expected_payment is not None else ""}
        if outcome:
            row["paid_if_" + outcome + "_eur"] = f"{payment(p.tariff, schedule, outcome):.2f}" \
                if p.form == "trajectory" else ""
        rows.append(row)
    y = ws.year(year)
    if out is None:
        from tariefmodel.data.numbers import num, pct

        head = (f"Arrangementen {y}: trajecttarief {pct(schedule.start_share, 0)} bij de start, "
                f"{pct(schedule.completion_share, 0)} na afronding; niet bij {', '.join(schedule.completion_withheld_on)}")
        cols = [("arrangement", "left"), ("profiel", "left"), ("intensiteit", "left"), ("vorm", "left"),
                ("uren", "right"), ("tarief", "right"), ("start", "right"), ("afronding", "right"),
                ("verwacht", "right")] + ([(outcome, "right")] if outcome else [])
        body = [[r["arrangement"], r["profile_label"][:40], r["intensity"], r["form"],
                 num(Decimal(r["hours"])) if r["hours"] else "", _eur(r["tariff_eur"]),
                 _eur(r["start_payment_eur"]) if r["start_payment_eur"] else "",
                 _eur(r["completion_payment_eur"]) if r["completion_payment_eur"] else "",
                 _eur(r["expected_payment_eur"]) if r["expected_payment_eur"] else ""]
                + ([_eur(r[columns[-1]]) if r[columns[-1]] else ""] if outcome else []) for r in rows]
        _table(head, cols, body)
        if schedule.reference_dropout is not None:
            click.echo(f"verwacht: bij {pct(schedule.reference_dropout, 0)} uitval (de basis van de 70/30-verdeling "
                       "[002:487])", err=True)
        return
    _write(out, ws.region, [(f"Arrangementen {y}", columns, rows)], money={c for c in columns if c.endswith("_eur")},
          meta={"scenario": scenario, "year": y})
    written(out, f"{len(rows)} arrangementen ({y})")


@click.command("lumpsums")
@SCENARIO
@YEAR
@DATA
@OUT
def lumpsums(scenario: str, year: int | None, data: Path | None, out: Path | None) -> None:
    """Lumpsums, beschikbaarheidsfinanciering en taakgerichte budgetten: opbouw, bedrag, per ontvanger en per gemeente."""
    ws = _workspace(data)
    _scenario_ok(ws, scenario)
    y = ws.year(year)
    prices = guard(ws.lump_sums, scenario, y)
    columns = ["key", "label", "contract", "law", "kind", "year", "base_year", "staff_hours", "cost_per_staff_hour",
               "direct_staff_cost", "travel_time_cost", "client_costs", "accommodation", "direct_cost", "overhead",
               "profit_risk", "base_amount_eur", "amount_eur", "index_steps", "allocation_key", "recipients",
               "municipalities"]
    rows = [{"key": p.key, "label": p.label, "contract": p.contract, "law": p.law, "kind": p.kind, "year": p.year,
             "base_year": p.base_year, "staff_hours": f"{p.hours:f}", "cost_per_staff_hour": f"{p.cost_per_staff_hour:.4f}",
             "direct_staff_cost": f"{p.direct_staff_cost:.4f}", "travel_time_cost": f"{p.travel_time_cost:.4f}",
             "client_costs": f"{p.client_costs:.4f}", "accommodation": f"{p.accommodation:.4f}",
             "direct_cost": f"{p.direct_cost:.4f}", "overhead": f"{p.overhead:.4f}", "profit_risk": f"{p.profit_risk:.4f}",
             "base_amount_eur": f"{p.base_amount:.2f}", "amount_eur": f"{p.amount:.2f}",
             "index_steps": "; ".join(f"{s.year} {s.method} {s.rate * 100:f}%" for s in p.steps),
             "allocation_key": p.allocation_key,
             "recipients": "; ".join(f"{k} {v:.2f}" for k, v in p.per_recipient.items()),
             "municipalities": "; ".join(f"{k} {v:.2f}" for k, v in p.per_municipality.items())} for p in prices]
    if out is None:
        from tariefmodel.data.numbers import num, pct

        for p in prices:
            click.echo(f"{p.label} [{p.key}, {p.contract}, {p.kind}]")
            if p.kind != "fixed":
                click.echo(f"  {num(p.hours.normalize())} personeelsuren x {_eur(p.cost_per_staff_hour)} (personeelsmix)"
                           f" = {_eur(p.direct_staff_cost)}; reistijd {_eur(p.travel_time_cost)}; clientgebonden "
                           f"{_eur(p.client_costs)}; huisvesting {_eur(p.accommodation)}")
                click.echo(f"  overhead {_eur(p.overhead)}; winst en risico {_eur(p.profit_risk)}; "
                           f"bedrag {p.base_year}: {_eur(p.base_amount)}")
            for s in p.steps:
                click.echo(f"  indexatie {s.year} ({s.method}, {pct(s.rate)}): {_eur(s.before)} -> {_eur(s.after)}")
            click.echo(f"  BEDRAG {y}: {_eur(p.amount)}")
            if p.per_recipient:
                click.echo("  aan: " + "; ".join(f"{k} {_eur(v)}" for k, v in p.per_recipient.items()))
            click.echo(f"  verdeling ({p.allocation_key}): " + "; ".join(f"{k} {_eur(v)}"
                                                                          for k, v in p.per_municipality.items()))
        return
    _write(out, ws.region, [(f"Lump sums {y}", columns, rows)], money={"base_amount_eur", "amount_eur"},
          meta={"scenario": scenario, "year": y})
    written(out, f"{len(rows)} lump sums ({y})")


# --------------------------------------------------------------------------- sensitivity


@click.group()
def sensitivity() -> None:
    """Gevoeligheid van tarieven en budget: tornado en Monte Carlo (parameters/sensitivity.yaml)."""


def _target_row(ws: Workspace, model: Any, year: int, product: str, variant: str | None, micro: bool) -> int:
    keys = model.public_keys(year)
    matches = [i for i, k in enumerate(keys) if k[0] == product and (variant is None or k[1] == variant)
               and k[2] == micro and k[3] == ""]
    if not matches:
        options = sorted({k[1] for k in keys if k[0] == product})
        raise InputFailure.of(f"product {product} heeft geen variant {variant!r} in {year}"
                              + (f" (varianten: {', '.join(options)})" if options else " (onbekend product)"))
    return matches[0]


@sensitivity.command("tornado")
@SCENARIO
@click.option("--year", "years", type=int, multiple=True, metavar="JAAR",
              help="Budgetjaar (herhaalbaar). Standaard: het standaardjaar.")
@click.option("--product", metavar="PRODUCTCODE", help="Een tarief in plaats van het budget: de productcode.")
@click.option("--variant", metavar="VARIANT",
              help="Met --product: een cao-sleutel of basistarief (standaard: de eerste).")
@click.option("--micro", is_flag=True, help="Met --product: het micro-ondernemingstarief.")
@click.option("--top", type=int, default=15, show_default=True, metavar="N",
              help="Toon de N grootste balken in de terminal.")
@DATA
@OUT
def tornado(scenario: str, years: tuple[int, ...], product: str | None, variant: str | None, micro: bool, top: int,
            data: Path | None, out: Path | None) -> None:
    """Elke parameter aan de onder- en bovenkant van zijn bereik, de andere op basis: effect op een tarief of het budget."""
    from decimal import Decimal

    from tariefmodel.data.money import excel_round

    ws = _workspace(data)
    _scenario_ok(ws, scenario)
    from tariefmodel.scenarios.sensitivity import Target, parameters
    from tariefmodel.scenarios.sensitivity import tornado as run

    ys = list(years) or [ws.year(None)]
    model, budget_target = guard(ws.model, scenario, ys, budget=product is None)
    sens = guard(lambda: ws.sensitivity_file) if ws.has("parameters/sensitivity.yaml") else None
    params = guard(parameters, model, ws.scenario(scenario)[1], sens)
    if product is not None:
        row = _target_row(ws, model, ys[0], product, variant, micro)
        key = model.public_keys(ys[0])[row]
        target = Target(f"tarief {key[0]} {key[1]}{' micro' if micro else ''} {ys[0]}", year=ys[0], row=row)
    else:
        target = budget_target
    bars = run(model, params, [target])[0]
    columns = ["parameter", "label", "low", "high", "result_low", "result_high", "base", "swing", "source"]
    rows = [{"parameter": b.key, "label": b.label, "low": f"{b.low:.6g}", "high": f"{b.high:.6g}",
             "result_low": f"{b.at_low:.2f}", "result_high": f"{b.at_high:.2f}", "base": f"{b.base:.2f}",
             "swing": f"{b.swing:.2f}", "source": b.source} for b in bars]
    if out is None:
        _table(f"Tornado: {target.label} (scenario {scenario}; basis {_eur(excel_round(Decimal(repr(bars[0].base)), 2))})",
               [("parameter", "left"), ("bereik", "left"), ("laag", "right"), ("hoog", "right"), ("bandbreedte", "right")],
               [[f"{b.label[:60]}", f"{_shown(b.low, 4)} .. {_shown(b.high, 4)}", _delta(b.at_low - b.base),
                 _delta(b.at_high - b.base), _eur(excel_round(Decimal(repr(b.swing)), 2))] for b in bars[:top]])
        click.echo(f"{len(bars)} parameters; de grootste {min(top, len(bars))} getoond", err=True)
        return
    _write(out, ws.region, [("Tornado", columns, rows)], numeric={"low", "high", "result_low", "result_high", "base", "swing"},
          meta={"scenario": scenario, "target": target.label})
    written(out, f"tornado over {len(rows)} parameters")


def _delta(x: float) -> str:
    from decimal import Decimal

    from tariefmodel.data.money import excel_round

    d = excel_round(Decimal(repr(x)), 2)
    return ("+" if d > 0 else "") + _eur(d)


@sensitivity.command("montecarlo")
@SCENARIO
@click.option("--year", "years", type=int, multiple=True, metavar="JAAR",
              help="Tariefjaar (herhaalbaar). Standaard: het standaardjaar.")
@click.option("--draws", type=click.IntRange(10, 10_000_000), default=10_000, show_default=True, metavar="N",
              help="Aantal getrokken parametersets.")
@click.option("--seed", type=int, default=20250101, show_default=True, metavar="GETAL",
              help="Startwaarde: dezelfde startwaarde geeft dezelfde uitkomst.")
@click.option("--product", metavar="PRODUCTCODE", help="Toon alleen dit product in de terminal.")
@DATA
@OUT
def montecarlo(scenario: str, years: tuple[int, ...], draws: int, seed: int, product: str | None, data: Path | None,
               out: Path | None) -> None:
    """Trek de parameters uit hun verdelingen; percentielen van elk tarief en van het budget."""
    from decimal import Decimal

    ws = _workspace(data)
    _scenario_ok(ws, scenario)
    if not ws.has("parameters/sensitivity.yaml"):
        raise InputFailure.of("Monte Carlo vraagt parameters/sensitivity.yaml (de verdelingen)")
    import numpy as np

    from tariefmodel.scenarios.inputs import load_sensitivity
    from tariefmodel.scenarios.sensitivity import monte_carlo, parameters

    ys = list(years) or [ws.year(None)]
    model, target = guard(ws.model, scenario, ys)
    sens = guard(load_sensitivity, ws.scenario(scenario)[1], check_distributions=True)
    params = [p for p in guard(parameters, model, ws.scenario(scenario)[1], sens, defaults=False)
              if p.distribution is not None]
    mc = monte_carlo(model, params, draws, seed)
    exact_total = sum((ws.budget(scenario, y).total for y in ys), Decimal(0))
    budget = target.value(mc.out)
    qs = (5, 50, 95)
    columns = ["year", "product_code", "variant", "micro", "provider", "version", "tariff_eur", "mean", "p5", "p50",
               "p95"]
    rows = []
    for y in ys:
        vals = mc.out[y]
        pct = np.percentile(vals, qs, axis=0)
        mean = vals.mean(axis=0)
        for j, key in enumerate(model.public_keys(y)):
            exact = model.years[y].rows[j]
            tariff = exact.tariff_eur if hasattr(exact, "tariff_eur") else exact.amount
            rows.append({"year": y, "product_code": key[0], "variant": key[1], "micro": key[2], "provider": key[3],
                         "version": key[4], "tariff_eur": f"{tariff:.2f}", "mean": f"{mean[j]:.2f}",
                         "p5": f"{pct[0, j]:.2f}", "p50": f"{pct[1, j]:.2f}", "p95": f"{pct[2, j]:.2f}"})
    bp = np.percentile(budget, qs)
    budget_row = {"year": "+".join(map(str, ys)), "product_code": "BEGROTING", "variant": "", "micro": False,
                  "provider": "", "version": "", "tariff_eur": f"{exact_total:.2f}", "mean": f"{budget.mean():.2f}",
                  "p5": f"{bp[0]:.2f}", "p50": f"{bp[1]:.2f}", "p95": f"{bp[2]:.2f}"}
    for key, n in mc.clipped.items():
        click.echo(f"{key}: {n} van {draws} trekkingen buiten het toegestane bereik, afgekapt", err=True)
    if out is None:
        shown = [r for r in rows if (product is None or r["product_code"] == product) and not r["micro"]
                 and not r["provider"] and not str(r["variant"]).startswith("pgb")]
        if product is None:
            shown = [r for r in shown if r["variant"] == "basistarief"]
        _table(f"Monte Carlo, {draws} trekkingen (seed {seed}), scenario {scenario}; "
               f"{len(params)} parameters met een verdeling",
               [("jaar", "left"), ("code", "left"), ("variant", "left"), ("tarief", "right"), ("gemiddeld", "right"),
                ("P5", "right"), ("P50", "right"), ("P95", "right")],
               [[str(r["year"]), r["product_code"], r["variant"]] + [_eur(r[c]) for c in ("tariff_eur", "mean", "p5",
                                                                                           "p50", "p95")]
                for r in [*shown, budget_row]])
        return
    _write(out, ws.region, [("Monte Carlo", columns, [*rows, budget_row])], money={"tariff_eur", "mean", "p5", "p50", "p95"},
          meta={"scenario": scenario, "years": ys, "draws": draws, "seed": seed,
                "parameters": [p.key for p in params], "clipped": mc.clipped})
    written(out, f"Monte Carlo ({draws} trekkingen, seed {seed})")


# --------------------------------------------------------------------------- goal seek


@click.command("goalseek")
@click.argument("product_code", metavar="PRODUCTCODE")
@click.option("--variant", required=True, metavar="VARIANT", help="Een cao-sleutel of basistarief.")
@click.option("--target", "target", required=True, metavar="BEDRAG",
              help="Het te bereiken tarief in euro's (bijvoorbeeld 80.00).")
@click.option("--parameter", required=True,
              metavar="PARAMETER",
              help="Een pad in het kostprijsmodel (bijvoorbeeld overhead.rate), cao.<sleutel>.salary_factor, "
                   "productiviteit, groepsgrootte of uren_per_eenheid.")
@click.option("--micro", is_flag=True, help="Het micro-ondernemingstarief.")
@click.option("--min", "low", metavar="WAARDE", help="Zoek niet lager dan deze waarde.")
@click.option("--max", "high", metavar="WAARDE", help="Zoek niet hoger dan deze waarde.")
@SCENARIO
@YEAR
@DATA
@out_option(TABLES, "Schrijf de uitkomst ook als één rij naar .csv, .json of .xlsx.")
def goalseek(product_code: str, variant: str, target: str, parameter: str, micro: bool, low: str | None,
             high: str | None, scenario: str, year: int | None, data: Path | None, out: Path | None) -> None:
    """De waarde van één parameter waarbij een tarief gelijk wordt aan een bedrag.

    Bijvoorbeeld het tarief dat een aanbieder vraagt.
    """
    from decimal import Decimal, InvalidOperation

    from tariefmodel.scenarios.goalseek import NoSolution

    amounts = {}
    for name, text in (("--target", target), ("--min", low), ("--max", high)):
        if text is None:
            continue
        try:
            amounts[name] = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise InputFailure.of(f"{name} {text!r} is geen getal") from None
    ws = _workspace(data)
    _scenario_ok(ws, scenario)
    try:
        res = guard(ws.goal_seek, product_code, variant, amounts["--target"], parameter, scenario=scenario,
                     year=year, micro=micro, low=amounts.get("--min"), high=amounts.get("--max"))
    except ValueError as exc:
        raise InputFailure.of(str(exc)) from exc
    except NoSolution as exc:
        raise CommandFailure(f"{product_code} {variant}{' micro' if micro else ''}: {exc}") from exc
    click.echo(f"Doelzoeken {res.code} ({res.variant}{', micro' if res.micro else ''}, {res.year}, scenario {scenario})")
    click.echo(f"  parameter: {res.parameter} - {res.label}")
    from tariefmodel.data.numbers import num

    click.echo(f"  basis:     {_shown(res.base_value)} -> tarief {_eur(res.base_tariff)}")
    click.echo(f"  gevonden:  {_shown(res.value)} -> tarief {_eur(res.tariff)} (onafgerond {num(res.unrounded, 8)})")
    click.echo(f"  zoekbereik {_shown(res.low)} .. {_shown(res.high)}; {res.iterations} iteraties (brentq, exact rekenpad)")
    click.echo(f"DOEL {_eur(res.target)}: {res.parameter} = {_shown(res.value)}")
    if out is not None:
        columns = ["product_code", "variant", "micro", "year", "scenario", "parameter", "label", "target_eur",
                   "base_value", "base_tariff_eur", "value", "tariff_eur", "unrounded_eur", "low", "high", "iterations"]
        row = {"product_code": res.code, "variant": res.variant, "micro": res.micro, "year": res.year,
               "scenario": scenario, "parameter": res.parameter, "label": res.label, "target_eur": f"{res.target:.2f}",
               "base_value": _num(res.base_value), "base_tariff_eur": f"{res.base_tariff:.2f}", "value": _num(res.value),
               "tariff_eur": f"{res.tariff:.2f}", "unrounded_eur": f"{res.unrounded:.8f}", "low": _num(res.low),
               "high": _num(res.high), "iterations": res.iterations}
        _write(out, ws.region, [("Doelzoeken", columns, [row])], numeric={"base_value", "value", "low", "high"})
        written(out, f"doelzoeken {res.code} {res.variant}")


COMMANDS = (scenario, budget, arrangements, lumpsums, sensitivity, goalseek)
