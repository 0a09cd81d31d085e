"""Explain one tariff step by step: each figure, its formula, and the sources behind it.

The text is for finance staff and the process monitor, so its labels are
Dutch; ``to_dict`` gives the same build-up as data (``--json``, notebooks).
Intermediates are shown to four decimals; the computation itself is exact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import date, eur, num, pct
from tariefmodel.data.params import ParamUse
from tariefmodel.engine.pricing import UNIT_CODES, DerivedTariff, ProfileCost, Tariff, fixed_terms

UNIT_LABEL = {"minuut": "minuut", "uur": "uur", "dagdeel": "dagdeel", "etmaal": "etmaal", "stuks": "stuk"}


def _d(x: Decimal) -> str:
    """An intermediate figure: four decimals (the computation itself is exact)."""
    return num(x, 4)


def _value(value: object) -> str:
    """A parameter value for people: numbers Dutch and exact, anything else (a table, a text) as it is."""
    return num(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else str(value)


def _use_dict(u: ParamUse) -> dict[str, Any]:
    e = u.entry
    value = u.value
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", exclude_none=True)
    return {
        "parameter": u.path,
        "file": u.file,
        "value": value if isinstance(value, dict | list | int | str | bool) or value is None else str(value),
        "valid_from": e.valid_from.isoformat(),
        "valid_until": e.valid_until.isoformat() if e.valid_until else None,
        "source": e.source,
        "source_date": e.source_date.isoformat() if e.source_date else None,
        "rationale": e.rationale,
        "decided_by": e.decided_by,
        "decided_on": e.decided_on.isoformat() if e.decided_on else None,
        "status": e.status,
        "assumption": e.assumption,
    }


def _profile_dict(pc: ProfileCost) -> dict[str, Any]:
    return {
        "cao": pc.cao,
        "profile": pc.profile,
        "scale": pc.scale,
        "steps": [
            {"step": s.step, "weight": str(s.weight), "monthly_eur": str(s.lookup.monthly_eur),
             "table": s.lookup.table_file, "table_effective": s.lookup.table_effective.isoformat(),
             "derived_table": s.lookup.derived, "inpassingsnummer": s.lookup.number,
             **({"note": s.lookup.note} if s.lookup.note else {})}
            for s in pc.steps
        ],
        "monthly_salary": str(pc.monthly_salary),
        "annual_salary": str(pc.annual_salary),
        "holiday_allowance": str(pc.holiday_allowance),
        "holiday_allowance_minimum": str(pc.holiday_minimum),
        "year_end_bonus": str(pc.year_end_bonus),
        "other_allowances": str(pc.other_allowances),
        "irregular_hours_rate": str(pc.irregular_hours_rate),
        "irregular_hours": str(pc.irregular_hours),
        **({"ort_cap": _cap_dict(pc.ort_cap)} if pc.ort_cap is not None else {}),
        "wage_cost": str(pc.wage_cost),
        "employer_charges": [{"label": label, "amount": str(a)} for label, a in pc.charges],
        "employer_cost": str(pc.employer_cost),
        "contract_hours": str(pc.contract_hours),
        "productivity_norm": pc.productivity_norm,
        "non_productive_hours": [{"label": label, "hours": str(h)} for label, h in pc.deductions],
        "productive_hours": str(pc.productive_hours),
        "productivity": str(pc.productivity),
        "cost_per_productive_hour": str(pc.cost_per_productive_hour),
        "sources": [_use_dict(pc.map_use), _use_dict(pc.allowance_use), _use_dict(pc.hours_use)],
    }


def _head(t: Any) -> dict[str, Any]:
    """The product and variant a tariff belongs to, the same in every kind of build-up."""
    prod = t.product.product
    return {
        "product_code": prod.code,
        "product_name": prod.name,
        "product_category": prod.category,
        "law": prod.law,
        "contract": t.product.contract,
        "unit": prod.unit,
        "unit_code": UNIT_CODES[prod.unit],
        "variant": t.variant,
    }


def _cap_label(cap: Any) -> str:
    return f"inpassingsnummer {cap.number}" if cap.number is not None else f"schaal {cap.scale} periodiek {cap.step}"


def _cap_dict(cap: Any) -> dict[str, Any]:
    return {"scale": cap.scale, "step": cap.step, "inpassingsnummer": cap.number,
            "monthly_eur": str(cap.monthly_eur), "monthly_hours": str(cap.monthly_hours),
            "hourly_eur": str(excel_round(cap.hourly_eur, 2)), "table": cap.table_file, "binds": cap.binds,
            "source": cap.use.entry.source, "valid_from": cap.use.entry.valid_from.isoformat()}


def _derived_dict(t: DerivedTariff) -> dict[str, Any]:
    return {
        **_head(t),
        "kind": t.kind,
        "micro": t.micro,
        "provider": t.provider,
        "year": t.year,
        "reason": t.reason,
        "rate": str(t.rate) if t.rate is not None else None,
        "base_tariff_eur": f"{t.base.tariff_eur:.2f}" if t.base is not None else None,
        "base_variant": f"{t.base.variant} ({t.base.cao})" if t.base is not None else None,
        "source": t.source,
        **({"vast": {"amount": str(t.entry.amount), "from": t.entry.valid_from.isoformat(),
                     "until": t.entry.valid_until.isoformat() if t.entry.valid_until else None,
                     "decided_by": t.entry.decided_by, "decided_on": str(t.entry.decided_on or "") or None,
                     "decision": t.entry.decision, "listed_in": t.entry.listed_in, "listed_row": t.entry.listed_row,
                     "rationale": t.entry.rationale}} if getattr(t, "entry", None) is not None else {}),
        "tariff_eur": f"{t.tariff_eur:.2f}",
        "tariff_eurocent": t.eurocent,
    }


def _indexed_dict(t: Any) -> dict[str, Any]:
    return {
        **_head(t),
        "kind": t.kind, "micro": t.micro, "provider": t.provider, "year": t.year, "reason": t.reason,
        "base": to_dict(t.base),
        "index_steps": [
            {"year": st.year, "method": st.method, "method_kind": st.kind, "rate": str(st.rate),
             "tariff_before": str(st.before), "tariff_after": str(st.after),
             "derivation": [{"what": what, "value": value} for what, value in st.derivation.lines]}
            for st in t.steps
        ],
        "hour_tariff_eur": f"{t.hour_tariff:.2f}" if t.hour_tariff is not None else None,
        "tariff_eur": f"{t.tariff_eur:.2f}",
        "tariff_eurocent": t.eurocent,
        "valid_from": t.valid_from.isoformat() if t.valid_from else None,
        "valid_to": t.valid_to.isoformat() if t.valid_to else None,
    }


def to_dict(t: Any) -> dict[str, Any]:
    if isinstance(t, DerivedTariff):
        return _derived_dict(t)
    if not isinstance(t, Tariff):
        return _indexed_dict(t)
    prod = t.product.product
    return {
        **_head(t),
        "cao": t.cao,
        "micro": t.micro,
        "provider": t.provider,
        "year": t.year,
        "kind": t.kind,
        "reason": t.reason,
        "build_unit": "uur" if prod.unit == "minuut" else prod.unit,
        "staffing": [
            {"profile": s.profile, "share": str(s.share), "cost_per_productive_hour": str(s.cost.cost_per_productive_hour),
             "contribution": str(s.contribution), "profile_cost": _profile_dict(s.cost)}
            for s in t.staff
        ],
        "cost_per_staff_hour": str(t.cost_per_staff_hour),
        "staff_hours_per_unit": str(t.staff_hours_per_unit),
        "group_size": str(t.group_size),
        "direct_staff_cost": str(t.direct_staff_cost),
        "client_costs": [{"key": c.key, "label": c.label, "kind": c.kind, "amount": str(c.amount_per_unit)}
                         for c in t.client_costs],
        "direct_cost": str(t.direct_cost),
        "overhead_rate": str(t.overhead_rate),
        "overhead": str(t.overhead),
        "no_show_rate": str(t.no_show_rate),
        "no_show": str(t.no_show),
        "cost_price": str(t.cost_price),
        "profit_risk": str(t.profit_risk),
        "tariff_unrounded": str(t.unrounded),
        "hour_tariff_eur": f"{t.hour_tariff:.2f}" if t.hour_tariff is not None else None,
        "tariff_eur": f"{t.tariff_eur:.2f}",
        "tariff_eurocent": t.eurocent,
        "parameters": [_use_dict(u) for u in t.parameters],
        "product_provenance": prod.provenance.model_dump(mode="json"),
        "product_file": t.product.file,
    }


def _src(u: ParamUse) -> str:
    e = u.entry
    flags = [e.status]
    if e.assumption:
        flags.append("AANNAME")
    return f"{e.source} ({', '.join(flags)}; geldig vanaf {date(e.valid_from)})"


def _derived_text(t: DerivedTariff) -> str:
    prod = t.product.product
    lines = [f"Tarief {prod.code} {prod.name}",
             f"  variant {t.variant}, tariefjaar {t.year}" + (f", aanbieder {t.provider}" if t.provider else ""),
             f"  {prod.law}, contract {t.product.contract}, categorie {prod.category}, eenheid {prod.unit} "
             f"(iJw/iWmo-code {UNIT_CODES[prod.unit]})", ""]
    entry = getattr(t, "entry", None)
    if entry is not None:  # a decided amount (vast bedrag), from the product file or the ZIN tariff list
        terms = fixed_terms(entry, t.product.file, prod.code)
        lines += [
            "Vast bedrag (besluit; geen kostprijsopbouw, voor elke variant hetzelfde)",
            f"    TARIEF per {prod.unit:<17} {eur(t.tariff_eur):>14}   ({t.eurocent} eurocent)",
            f"    geldig                       {terms.period}",
            f"    besluit                      {terms.decided or '(niet vermeld)'}",
            f"    vastgelegd in                {terms.recorded_in}",
            f"    afweging: {entry.rationale}",
            f"    bron: {t.source}",
        ]
    elif t.kind == "pgb":
        assert t.base is not None and t.rate is not None
        lines += [
            "Afgeleid pgb-tarief (geen eigen kostprijsopbouw)",
            f"    {'extern tarief' if t.base.kind == 'extern' else 'laagste tarief in natura':<29}"
            f"{eur(t.base.tariff_eur):>14}   "
            + (f"extern; zie: tariefmodel explain {prod.code} --variant extern" if t.base.kind == "extern" else
               f"basistarief ({t.base.cao or 'vast bedrag'}); zie: tariefmodel explain {prod.code} "
               "--variant basistarief"),
            f"    percentage                   {pct(t.rate):>14}",
            f"    TARIEF per {prod.unit:<17} {eur(t.tariff_eur):>14}   ROUND(basis x percentage; 2), "
            f"({t.eurocent} eurocent)",
            f"    {t.reason}",
            f"    bron: {t.source}",
        ]
    else:
        lines += [
            "Extern vastgesteld tarief (niet berekend met het kostprijsmodel)",
            f"    volgt                        {prod.follows}",
            f"    TARIEF per {prod.unit:<17} {eur(t.tariff_eur):>14}   ({t.eurocent} eurocent)",
            f"    {t.reason}",
            f"    bron: {t.source}",
        ]
    return "\n".join(lines) + "\n"


def _indexed_text(t: Any, region_caos: dict[str, str]) -> str:
    prod = t.product.product
    unit_of = "uur" if t.hour_tariff is not None else prod.unit
    lines = [f"Tarief {prod.code} {prod.name}",
             f"  variant {t.variant}, tariefjaar {t.year}" + (", micro-onderneming" if t.micro else "")
             + (f", aanbieder {t.provider}" if t.provider else ""),
             f"  {prod.law}, contract {t.product.contract}, categorie {prod.category}, eenheid {prod.unit} "
             f"(iJw/iWmo-code {UNIT_CODES[prod.unit]}); geldig {date(t.valid_from)} t/m {date(t.valid_to)}", "",
             f"Geindexeerd tarief: het kostprijstarief van {t.base.year} (het eerste contractjaar), elk jaar "
             f"geïndexeerd en opnieuw afgerond",
             f"    tarief {t.base.year} per {unit_of:<10} {eur(t.base.hour_tariff or t.base.tariff_eur):>14}   "
             f"kostprijsopbouw: tariefmodel explain {prod.code} --variant {t.variant} --year {t.base.year}"
             + (" --micro" if t.micro else "") + (f" --provider {t.provider}" if t.provider else "")]
    for st in t.steps:
        lines.append(f"  {st.year}: methode {st.method} ({st.kind})")
        for what, value in st.derivation.lines:
            lines.append(f"      {what}: {value}")
        built = getattr(st.rebuilt, "built", None)
        if built is not None:  # follow_cao: the salaries of the recalculation, and why a cell differs from the CAO
            for s in built.staff:
                lines += [f"      salaris {s.cost.profile} schaal {s.cost.scale} trede {x.step} x {pct(x.weight)}: "
                          f"{eur(x.lookup.monthly_eur)} [{x.lookup.table_file}"
                          + (f"; {x.lookup.note}" if x.lookup.note else "") + "]" for x in s.cost.steps]
            lines.append(f"      herberekend tarief {st.year}: {eur(st.rebuilt.hour_tariff or st.rebuilt.tariff_eur)}")
        lines.append(f"    {eur(st.before):>12} x (1 + {pct(st.rate.quantize(Decimal('0.000001')))}) "
                     f"-> {eur(st.after)} (afgerond op centen)")
    if t.hour_tariff is not None:
        lines.append(f"    TARIEF per minuut             {eur(t.tariff_eur):>14}   ROUND(uurtarief / 60; 2)")
    else:
        lines.append(f"    TARIEF per {prod.unit:<18} {eur(t.tariff_eur):>14}   ({t.eurocent} eurocent)")
    return "\n".join(lines) + "\n"


def to_text(t: Any, region_caos: dict[str, str]) -> str:
    if isinstance(t, DerivedTariff):
        return _derived_text(t)
    if not isinstance(t, Tariff):
        return _indexed_text(t, region_caos)
    prod = t.product.product
    out: list[str] = []
    add = out.append
    unit = UNIT_LABEL[prod.unit]
    build_unit = "uur" if prod.unit == "minuut" else unit
    add(f"Tarief {prod.code} {prod.name}")
    cao_name = region_caos.get(t.cao, t.cao)
    label = f"basistarief = {cao_name}" if t.variant == "basistarief" else cao_name
    add(f"  variant {t.variant} ({label}), tariefjaar {t.year}"
        + (", micro-onderneming" if t.micro else "") + (f", aanbieder {t.provider}" if t.provider else ""))
    add(f"  {prod.law}, contract {t.product.contract}, categorie {prod.category}, eenheid {unit} "
        f"(iJw/iWmo-code {UNIT_CODES[prod.unit]})")
    if t.reason:
        add(f"  reden: {t.reason}")
    add("")
    add("1. Kosten per productief uur per functieprofiel")
    seen: set[str] = set()
    for s in t.staff:
        pc = s.cost
        if pc.profile in seen:
            continue
        seen.add(pc.profile)
        add(f"  {pc.profile}: schaal {pc.scale}")
        for st in pc.steps:
            extra = f", inpassingsnummer {st.lookup.number}" if st.lookup.number is not None else ""
            derived = " AFGELEIDE TABEL" if st.lookup.derived else ""
            note = f"; {st.lookup.note}" if st.lookup.note else ""
            add(f"    trede {st.step:>4} x {pct(st.weight):>5}: {eur(st.lookup.monthly_eur):>12}"
                f"  [{st.lookup.table_file}{extra}{derived}{note}]")
        add(f"    M  maandsalaris (gewogen)         {_d(pc.monthly_salary):>14}   som(gewicht x bedrag)")
        add(f"    G  jaarsalaris                    {_d(pc.annual_salary):>14}   12 x M")
        add(f"       vakantietoeslag                {_d(pc.holiday_allowance):>14}   "
            f"per trede max(% x 12 x bedrag; minimum {_d(pc.holiday_minimum)}), gewogen")
        add(f"       eindejaarsuitkering            {_d(pc.year_end_bonus):>14}   per trede, gewogen")
        if pc.other_allowances:
            add(f"       overige CAO-budgetten          {_d(pc.other_allowances):>14}")
        if pc.irregular_hours:
            cap = pc.ort_cap
            if cap is not None and cap.binds:
                label = f"ORT ({pct(pc.irregular_hours_rate)} van G, afgetopt)"
                add(f"       {label:<30} {_d(pc.irregular_hours):>14}   "
                    f"per trede % x 12 x min(bedrag; {_d(cap.monthly_eur)}), gewogen")
            else:
                add(f"       ORT ({pct(pc.irregular_hours_rate)} van G)           {_d(pc.irregular_hours):>14}")
            if cap is not None:
                bound = ("bindt: een trede verdient meer" if cap.binds
                         else "bindt niet: geen trede verdient meer")
                add(f"       ORT-maximum: uurloon van {_cap_label(cap)} = {eur(cap.monthly_eur)} / "
                    f"{num(cap.monthly_hours)} = {eur(excel_round(cap.hourly_eur, 2))} per uur "
                    f"[{cap.table_file}]; {bound}")
                add(f"       ORT-maximum bron: {_src(cap.use)}")
        add(f"    L  loonkosten                     {_d(pc.wage_cost):>14}   G + toeslagen")
        for label, amount in pc.charges:
            add(f"       {label[:31]:<31} {_d(amount):>14}")
        add(f"    A  werkgeverskosten               {_d(pc.employer_cost):>14}   L + werkgeverslasten")
        add(f"    H  contracturen per jaar          {_d(pc.contract_hours):>14}")
        for label, hours in pc.deductions:
            add(f"       - {label[:29]:<29} {_d(hours):>14}")
        add(f"       productieve uren               {_d(pc.productive_hours):>14}   "
            f"productiviteit {pct(pc.productivity, 2)} (norm {pc.productivity_norm})")
        add(f"    C  kosten per productief uur      {_d(pc.cost_per_productive_hour):>14}   A / productieve uren")
        add(f"       functiekoppeling: {_src(pc.map_use)}")
        add(f"       toeslagen: {_src(pc.allowance_use)}")
    add("")
    add(f"2. Kostprijs per {build_unit}")
    for s in t.staff:
        add(f"    {s.profile:<28} {pct(s.share):>6} x {_d(s.cost.cost_per_productive_hour):>10} = {_d(s.contribution):>12}")
    add(f"    Cmix kosten per direct personeelsuur {_d(t.cost_per_staff_hour):>12}")
    add(f"    D  directe personeelskosten     {_d(t.direct_staff_cost):>14}   "
        f"Cmix x {_d(t.staff_hours_per_unit)} uur / groep {_d(t.group_size)}")
    for c in t.client_costs:
        add(f"       {c.label[:29]:<29} {_d(c.amount_per_unit):>14}   ({c.kind})")
    add(f"       directe kosten              {_d(t.direct_cost):>14}")
    add(f"       overhead {pct(t.overhead_rate):>6}               {_d(t.overhead):>14}")
    if t.no_show_rate:
        add(f"       no-show {pct(t.no_show_rate):>6}                {_d(t.no_show):>14}   (ingeprijsd; niet declarabel)")
    add(f"       kostprijs                   {_d(t.cost_price):>14}")
    add(f"       winst en risico             {_d(t.profit_risk):>14}")
    add(f"       tarief onafgerond           {_d(t.unrounded):>14}")
    if prod.unit == "minuut":
        assert t.hour_tariff is not None
        add(f"    uurtarief                      {eur(t.hour_tariff):>14}")
        add(f"    TARIEF per minuut              {eur(t.tariff_eur):>14}   ({t.eurocent} eurocent)")
    else:
        add(f"    TARIEF per {unit:<19} {eur(t.tariff_eur):>14}   ({t.eurocent} eurocent)")
    add("")
    add("3. Parameters en bronnen")
    for u in t.parameters:
        add(f"  {u.path} = {_value(u.value)}")
        add(f"      {_src(u)}")
        add(f"      afweging: {u.entry.rationale}")
    pv = prod.provenance
    add(f"  product ({t.product.file}): {pv.source} ({pv.status}{', AANNAME' if pv.assumption else ''})")
    add(f"      afweging: {pv.rationale}")
    return "\n".join(out) + "\n"
