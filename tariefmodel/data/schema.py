"""The input file formats, as pydantic models.

Every file under ``parameters/``, ``cao_tables/`` and ``benchmarks/`` is
validated against one of these models; ``tariefmodel schema`` publishes them as
JSON Schema. Parameters follow OpenFisca's idea: a value is never overwritten,
a new dated entry is added, and every entry carries its provenance (source,
date, rationale; for choices also who decided, when, and the status).

Conventions a finance advisor needs to know:

* percentages are written as fractions: 2% is ``0.02``. A value above 1 where a
  fraction is expected is rejected (``4.94`` meant as 4.94% is caught).
* amounts are euros with a decimal point: ``1234.56``.
* dates are ISO: ``2025-01-01``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

T = TypeVar("T")


def _fraction(v: Decimal) -> Decimal:
    if v < 0 or v > 1:
        raise ValueError(
            f"{v} is geen fractie tussen 0 en 1 (schrijf percentages als fractie: 2% = 0.02)"
        )
    return v


def _non_negative(v: Decimal) -> Decimal:
    if v < 0:
        raise ValueError(f"{v} is negatief: hier hoort 0 of meer")
    return v


def _quoted_code(v: object) -> object:
    if isinstance(v, int | Decimal):
        raise ValueError(f'zet codes tussen aanhalingstekens, bijvoorbeeld "{v}": een getal zonder '
                         'aanhalingstekens verliest voorloopnullen')
    return v


def _month_day(v: str) -> str:
    month, day = (int(x) for x in v.split("-"))
    try:
        dt.date(2001, month, day)  # a non-leap year: the day must exist in every tariff year
    except ValueError as exc:
        raise ValueError(f"{v} is geen dag die in elk jaar bestaat (MM-DD)") from exc
    return v


def _positive(v: Decimal) -> Decimal:
    if v <= 0:
        raise ValueError(f"{v} is niet groter dan 0")
    return v


Fraction = Annotated[Decimal, AfterValidator(_fraction)]
Amount = Annotated[Decimal, AfterValidator(_non_negative)]
PositiveNumber = Annotated[Decimal, AfterValidator(_positive)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=60)]


class Strict(BaseModel):
    # defer_build: a model's validator is built on its first use, not at import.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


Status = Literal["draft", "adopted"]
PLACEHOLDER_SOURCES = {"todo", "tbd", "fixme", "onbekend", "unknown", "n.v.t", "nvt", "n/a", "???", "xxx", "bron"}
# A to-do marker makes any text a placeholder ('TODO: bron opzoeken'); an empty word only when it is all there
# is ('(onbekend)', 'bron volgt'): 'Bron: Stcrt. 2025, 12264' and 'Onbekend in 2025; aanname ...' name something.
_PLACEHOLDER = re.compile(r"^\W*(todo|tbd|fixme|x{3,}|\?+)\b", re.IGNORECASE)
_EMPTY = re.compile(r"^\W*(onbekend|unknown|n\.?v\.?t\.?|n/a|bron|source)\W*"
                    r"(opzoeken|volgt|nog (te )?(vinden|zoeken|invullen)|in te vullen|later|toevoegen|onbekend)?\W*$",
                    re.IGNORECASE)


def is_placeholder(source: str) -> bool:
    """A source that only promises one: 'TODO', '(onbekend)', 'TODO: bron opzoeken', '???', 'bron volgt'."""
    text = source.strip()
    return not text.strip("?()[]-. ") or bool(_PLACEHOLDER.match(text)) or bool(_EMPTY.match(text))


class Correction(Strict):
    """A value rewritten after it priced tariffs: why, when, and what it was (``param set --correctie``)."""

    reason: str = Field(min_length=3, description="Why the earlier value was wrong")
    recorded_on: dt.date = Field(description="The day the correction was made")
    previous_value: Any = Field(None, description="The value this entry held before the correction (if any)")


class Provenance(Strict):
    """Where a value comes from and who chose it."""

    source: str = Field(min_length=3, description="Document and page, or address, of the source")
    source_date: dt.date | None = Field(None, description="Date of the source document")
    rationale: str = Field(min_length=3, description="Why this value (de afweging)")
    decided_by: str | None = Field(None, description="Who chose the value (for choices)")
    decided_on: dt.date | None = None
    status: Status = "draft"
    assumption: bool = Field(
        False, description="True where no real figure was found and the value is an assumption"
    )
    decision: str | None = Field(None, description="The decision that set the value (e.g. a college decision)")
    correction: Correction | None = Field(
        None, description="Set when this entry corrects a value that had already priced tariffs")

    @model_validator(mode="after")
    def _adopted_needs_a_source(self) -> Provenance:
        # An adopted value is a decision others rely on: a placeholder is no source.
        if self.status == "adopted" and is_placeholder(self.source):
            raise ValueError(f"vastgestelde waarde zonder bron ({self.source!r} is een plaatshouder): noem de publicatie")
        return self


class Dated(Provenance, Generic[T]):
    """One value of a parameter, valid from a date (and optionally until a date)."""

    valid_from: dt.date = Field(alias="from")
    valid_until: dt.date | None = Field(None, alias="until")
    value: T

    @model_validator(mode="after")
    def _period(self) -> Dated[T]:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"until {self.valid_until} ligt vóór from {self.valid_from}")
        return self


def _check_periods(values: list[Dated]) -> list[Dated]:
    ordered = sorted(values, key=lambda v: v.valid_from)
    for a, b in itertools.pairwise(ordered):
        if a.valid_from == b.valid_from:
            raise ValueError(f"twee waarden beginnen op {a.valid_from}")
        if a.valid_until is not None and a.valid_until >= b.valid_from:
            raise ValueError(
                f"overlappende geldigheid: {a.valid_from}..{a.valid_until} en {b.valid_from}.."
            )
    return values


class Param(Strict, Generic[T]):
    """A dated parameter: its values side by side, each with provenance."""

    description: str | None = None
    unit: str | None = None
    values: Annotated[list[Dated[T]], AfterValidator(_check_periods)] = Field(min_length=1)


# --------------------------------------------------------------------------- region


class RegionFile(Strict):
    name: str
    description: str
    default_year: int = Field(ge=2000, le=2100)
    source: str
    audit_max_source_age_years: int = Field(
        5, ge=1, le=50, description="The audit flags sources and benchmarks older than this many years")


class Contract(Strict):
    key: Key
    number: int
    name: str
    law: Literal["Jeugdwet", "Wmo", "Jeugdwet en Wmo"]
    start: dt.date
    term_years: list[int] = Field(min_length=1, description="Initial term and extensions, e.g. [3, 2, 2, 2, 1]")
    funding: str
    provider_specific_allowed: bool
    source: str


class ContractsFile(Strict):
    contracts: list[Contract] = Field(min_length=1)


class FunctionProfile(Strict):
    key: Key
    name: str
    education: str
    description: str
    irregular_hours: bool = Field(
        True, description="Works rostered shifts and so earns ORT on a product's irregular hours"
    )


class FunctionProfilesFile(Strict):
    profiles: list[FunctionProfile] = Field(min_length=1)


# --------------------------------------------------------------------------- cost model


class ChargeItem(Strict):
    label: str
    base: Literal["wage", "wage_above_franchise"] = Field(
        description="wage: rate x annual wage cost; wage_above_franchise: rate x (wage cost - franchise)"
    )
    rate: Param[Fraction]
    franchise_eur: Param[Amount] | None = None

    @model_validator(mode="after")
    def _franchise(self) -> ChargeItem:
        if self.base == "wage_above_franchise" and self.franchise_eur is None:
            raise ValueError("grondslag wage_above_franchise heeft franchise_eur nodig")
        return self


class EmployerCharges(Strict):
    mode: Param[Literal["total", "itemised"]]
    total_rate: Param[Fraction] | None = None
    items: dict[Key, ChargeItem] = Field(default_factory=dict)


class Overhead(Strict):
    rate: Param[Fraction]
    rate_micro: Param[Fraction]
    convention: Param[Literal["markup", "share"]]


class NoShow(Strict):
    rate: Param[Fraction]
    convention: Param[Literal["divide", "markup"]]
    client_bill_max_eur: Param[Amount] | None = Field(
        None, description="The most a provider may bill the client for a no-show (printed in the tariff sheets)")


class Checks(Strict):
    """Thresholds of the region's consistency checks: policy choices, dated and sourced like any parameter."""

    wage_floor_fraction: Param[Fraction] = Field(
        description="A weighted function-profile salary below this fraction of its scale mean is flagged")
    recalibration_threshold: Param[Fraction] = Field(
        description="An indexed tariff this far (fraction) below its recalibration is flagged")


class Rounding(Strict):
    tariff_decimals: Param[Annotated[int, Field(ge=0, le=4)]]
    minute_tariff: Param[Literal["from_hour", "direct", "hour_multiple_of_60_cents"]]
    cost_per_hour_decimals: Param[Annotated[int, Field(ge=0, le=6)] | None] | None = None


class BreakdownItem(Strict):
    label: str
    kind: Literal["hours", "share"] = Field(
        description="hours: hours per year off the contract hours; share: a fraction of the contract hours"
    )
    value: Param[Amount]


class ProductivityNorm(Strict):
    label: str
    method: Literal["fraction", "breakdown"]
    fraction: Param[Fraction] | None = None
    breakdown: dict[Key, BreakdownItem] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _method(self) -> ProductivityNorm:
        if self.method == "fraction" and self.fraction is None:
            raise ValueError("methode fraction heeft 'fraction' nodig")
        if self.method == "breakdown" and not self.breakdown:
            raise ValueError("methode breakdown heeft posten in 'breakdown' nodig")
        return self


class ClientCost(Strict):
    label: str
    kind: Literal["per_unit", "per_staff_hour", "staff_time_uplift", "per_place_year"] = Field(
        description=(
            "per_unit: euros per unit; per_staff_hour: euros per direct staff hour of the unit; "
            "staff_time_uplift: a fraction added to the direct staff cost (travel time); "
            "per_place_year: euros per place per year, spread over units_per_place_year"
        )
    )
    units_per_place_year: PositiveNumber | None = None
    amount: Param[Amount]

    @model_validator(mode="after")
    def _units(self) -> ClientCost:
        if self.kind == "per_place_year" and self.units_per_place_year is None:
            raise ValueError("soort per_place_year heeft units_per_place_year nodig")
        if self.kind == "staff_time_uplift":
            for v in self.amount.values:
                if v.value > 1:
                    raise ValueError(f"een opslag op personele tijd is een fractie; gevonden: {v.value}")
        return self


class CostModelFile(Strict):
    cao_reference_day: Param[
        Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"), AfterValidator(_month_day)]
    ]
    employer_charges: EmployerCharges
    overhead: Overhead
    no_show: NoShow
    profit_risk_rate: Param[Fraction]
    hours_per_dagdeel: Param[PositiveNumber]
    rounding: Rounding
    productivity_norms: dict[Key, ProductivityNorm] = Field(min_length=1)
    client_costs: dict[Key, ClientCost] = Field(default_factory=dict)
    checks: Checks | None = Field(None, description="Check thresholds; absent: the wage check does not run")


# --------------------------------------------------------------------------- products

Unit = Literal["minuut", "uur", "dagdeel", "etmaal", "stuks"]
OrtSlot = Literal["avond", "nacht", "zaterdag", "zondag"]


class FixedAmount(Provenance):
    """A decided tariff for a product from a date (vast bedrag), instead of its cost build-up."""

    valid_from: dt.date = Field(alias="from")
    valid_until: dt.date | None = Field(
        None, alias="until", description="Last day the amount holds; open-ended when absent (the next entry ends it)")
    amount: Amount = Field(description="The tariff per unit (per hour for a minute product is not supported)")
    listed_in: str | None = Field(
        None, description="Set by the loader for a row of the ZIN tariff list: the file it was read from")
    listed_row: int | None = Field(None, description="Set by the loader with listed_in: the row in that file")

    @model_validator(mode="after")
    def _period(self) -> FixedAmount:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"until {self.valid_until} ligt vóór from {self.valid_from}")
        return self


class Product(Strict):
    code: Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9A-Z]{1,5}$")]
    category: Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9]{2}$")]
    name: str
    law: Literal["Jeugdwet", "Wmo"]
    unit: Unit
    funding: Literal["inspanningsgericht"] = "inspanningsgericht"
    staffing: dict[Key, Fraction] = Field(
        min_length=1, description="Function profile -> share of the direct staff hours (sum 1)"
    )
    staff_hours_per_unit: PositiveNumber | None = Field(
        None,
        description=(
            "Direct staff hours per unit for the whole group; default 1 for uur and minuut "
            "(minute products are built per hour), hours_per_dagdeel for dagdeel; required for etmaal"
        ),
    )
    group_size: PositiveNumber = Field(Decimal(1), description="Clients per staff member")
    productivity_norm: Key
    irregular_hours_rate: Fraction = Field(
        Decimal(0), description="ORT as one fraction of the annual salary, the same under every CAO"
    )
    irregular_hours_profile: dict[OrtSlot, Fraction] | None = Field(
        None,
        description=(
            "Share of the direct staff hours in each ORT time slot (avond, nacht, zaterdag, zondag); "
            "the ORT then follows each CAO's own slot rates"
        ),
    )
    client_costs: list[Key] = Field(default_factory=list)
    no_show: bool = Field(False, description="Priced-in no-show applies (appointment-based products)")
    caos: list[Key] = Field(min_length=1, description="The CAOs this product is priced for")
    provider_specific_allowed: bool = False
    housing_included: bool = False
    lighter_twin: str | None = Field(
        None, description="Code of the lighter product this one specialises (checked for perverse incentives, TAR-16)"
    )
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    vast: list[FixedAmount] = Field(
        default_factory=list,
        description="Decided amounts (vast bedrag) per date: while one holds on 1 January, every variant of the "
                    "product (each CAO, basistarief, micro) has that amount instead of its build-up")
    provenance: Provenance

    @model_validator(mode="after")
    def _shape(self) -> Product:
        total = sum(self.staffing.values(), Decimal(0))
        if total != 1:
            raise ValueError(f"de aandelen in staffing tellen op tot {total}, niet tot 1")
        if self.unit in ("etmaal", "stuks") and self.staff_hours_per_unit is None:
            raise ValueError(f"een product per {self.unit} heeft staff_hours_per_unit nodig")
        if len(set(self.caos)) != len(self.caos):
            raise ValueError("een CAO staat twee keer in caos")
        if len({v.valid_from for v in self.vast}) != len(self.vast):
            raise ValueError("vast: twee bedragen beginnen op dezelfde datum")
        if self.vast and self.unit == "minuut":
            raise ValueError("vast: een vast bedrag voor een minuutproduct kan niet (leg het uurproduct vast)")
        if self.irregular_hours_profile is not None:
            if self.irregular_hours_rate:
                raise ValueError("geef irregular_hours_rate of irregular_hours_profile, niet allebei")
            slots = sum(self.irregular_hours_profile.values(), Decimal(0))
            if slots > 1:
                raise ValueError(f"de aandelen onregelmatige uren tellen op tot {slots}, meer dan 1")
        return self


class ProductsFile(Strict):
    contract: Key
    products: list[Product] = Field(min_length=1)


# --------------------------------------------------------------------------- differentiation

OverridableField = Literal["group_size", "staff_hours_per_unit"]


class PgbCategory(Strict):
    label: str
    rate: Param[Fraction] = Field(description="Share of the lowest in-kind (ZIN) tariff")


class DifferentiationFile(Strict):
    """Rules for tariff variants: micro-enterprises, addenda, CAOs not modelled, pgb."""

    micro_max_employees: Param[Annotated[int, Field(ge=1)]] = Field(
        description="A micro-enterprise has fewer than this many employees"
    )
    micro_threshold_eur: Param[Amount] = Field(description="Turnover and/or balance-sheet total below this amount")
    micro_financial_test: Param[Literal["either", "both"]] = Field(
        description="either: turnover OR balance below the threshold; both: turnover AND balance below it"
    )
    addendum_overridable: Param[list[OverridableField]] = Field(
        description="Product parameters a provider-specific addendum may change (a whitelist)"
    )
    unmodelled_caos: dict[Key, str] = Field(
        default_factory=dict, description="CAOs providers may declare that the region does not model: key -> name"
    )
    pgb_categories: dict[Key, PgbCategory] = Field(default_factory=dict)
    pgb_exempt_products: Param[list[str]] | None = Field(
        None, description="Products whose pgb tariff stays at 100% of the lowest in-kind tariff (e.g. transport)"
    )
    pgb_external_products: Param[list[str]] | None = Field(
        None, description="External products (external_tariffs.yaml) that get pgb tariffs: each pgb category's "
                          "share of the external tariff, as for a computed product; others get none")


NO_CAO = "geen"


class Provider(Strict):
    key: Key
    name: str
    identifier: str = Field(description="KvK- or AGB-code")
    cao: str = Field(description=f"Declared CAO: a modelled CAO key, a key in unmodelled_caos, or '{NO_CAO}'")
    employees: int = Field(ge=0)
    annual_turnover_eur: Amount
    balance_total_eur: Amount
    contracts: list[Key] = Field(min_length=1)
    registered_on: dt.date | None = None
    source: str = Field(min_length=3, description="Where the registration data comes from")


class ProvidersFile(Strict):
    providers: list[Provider] = Field(min_length=1)


class Decision(Strict):
    status: Literal["requested", "advised", "approved", "rejected"]
    decided_by: str | None = None
    decided_on: dt.date | None = None

    @model_validator(mode="after")
    def _decided(self) -> Decision:
        if self.status in ("approved", "rejected") and (self.decided_by is None or self.decided_on is None):
            raise ValueError(f"een besluit '{self.status}' heeft decided_by en decided_on nodig")
        return self


class Addendum(Strict):
    """A provider-specific tariff request and its decision (DIFF-04/05)."""

    id: Key
    provider: Key
    product: Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9A-Z]{1,5}$")]
    overrides: dict[OverridableField, PositiveNumber] = Field(min_length=1)
    reason: str = Field(min_length=3)
    team_advice: str | None = Field(None, description="Advice of the multidisciplinary team")
    decision: Decision
    valid_from: dt.date = Field(alias="from")
    valid_until: dt.date | None = Field(None, alias="until")
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _period(self) -> Addendum:
        if self.decision.status == "approved" and is_placeholder(self.source):
            raise ValueError(f"goedgekeurd addendum {self.id} heeft een bron nodig ({self.source!r} is een plaatshouder)")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"until {self.valid_until} ligt vóór from {self.valid_from}")
        return self


class AddendaFile(Strict):
    addenda: list[Addendum] = Field(min_length=1)


class ExternalAmount(Provenance):
    year: int = Field(ge=2000, le=2100)
    amount_eur: Amount


class PhaseIn(Strict):
    provider: Key
    values: list[ExternalAmount] = Field(min_length=1)


class ExternalProduct(Strict):
    """A product whose tariff is set elsewhere and imported, not computed (IDX-05)."""

    code: Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9A-Z]{1,5}$")]
    category: Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9]{2}$")]
    name: str
    law: Literal["Jeugdwet", "Wmo"]
    contract: Key
    unit: Unit
    follows: str = Field(description="Who sets the tariff: national agreement, another region, ...")
    tariffs: list[ExternalAmount] = Field(min_length=1)
    phase_in: list[PhaseIn] = Field(default_factory=list, description="Per-provider phase-in path (ingroeipad)")

    @model_validator(mode="after")
    def _years(self) -> ExternalProduct:
        for label, values in [("tariffs", self.tariffs)] + [(f"phase_in {p.provider}", p.values) for p in self.phase_in]:
            years = [v.year for v in values]
            if len(set(years)) != len(years):
                raise ValueError(f"{label}: een jaar staat er twee keer in")
        return self


class ExternalFile(Strict):
    products: list[ExternalProduct] = Field(min_length=1)


# --------------------------------------------------------------------------- re-issues

ReissueField = Literal["staffing", "staff_hours_per_unit", "group_size", "client_costs", "irregular_hours_rate",
                       "irregular_hours_profile", "productivity_norm", "no_show"]


class Reissue(Provenance):
    """A product tariff re-issued from a date, with its reason (TAR-17): the old version keeps its history."""

    id: Key
    product: Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9A-Z]{1,5}$")]
    valid_from: dt.date = Field(alias="from")
    changes: dict[ReissueField, Any] = Field(min_length=1, description="Product fields and their new values")
    reason: str = Field(min_length=3)


class ReissuesFile(Strict):
    reissues: list[Reissue] = Field(min_length=1)


# --------------------------------------------------------------------------- indexation


def _index_fraction(v: Decimal) -> Decimal:
    if v <= Decimal("-0.5") or v >= Decimal("0.5"):
        raise ValueError(f"{v} is geen indexfractie: schrijf 4,94% als 0.0494 (een waarde van 0.5 of meer wordt geweigerd)")
    return v


IndexFraction = Annotated[Decimal, AfterValidator(_index_fraction)]
SeriesKey = Literal["ova", "ppc"]


class IndexPublication(Strict):
    """One published figure of an index series: provisional, definitive, or a correction of an earlier one."""

    year: int = Field(ge=2000, le=2100, description="The year the index figure is for")
    kind: Literal["voorlopig", "definitief"]
    value: IndexFraction
    published: dt.date = Field(description="Publication date: a run 'known on' an earlier date does not see it")
    corrects: dt.date | None = Field(None, description="Publication date of the figure this one corrects")
    source: str = Field(min_length=3)
    note: str | None = None


class IndexSeries(Strict):
    label: str
    publications: list[IndexPublication] = Field(min_length=1)


class Decimals(Strict):
    component: int = Field(ge=0, le=6, description="Decimals of the percentage for a component's correction")
    weighted: int = Field(ge=0, le=6, description="Decimals of the percentage for weighted figures")
    provider: int = Field(ge=0, le=6, description="Decimals of the percentage for the provider index")


def _weights(v: dict[str, Decimal]) -> dict[str, Decimal]:
    total = sum(v.values(), Decimal(0))
    if total != 1:
        raise ValueError(f"de gewichten tellen op tot {total}, niet tot 1 (100%)")
    return v


Weights = Annotated[dict[SeriesKey, Fraction], AfterValidator(_weights)]


class VngPublication(Strict):
    """The VNG indexation advice for one year, as published: its rules and its provider percentage."""

    index_year: int = Field(ge=2000, le=2100)
    published: dt.date
    kind: Literal["original", "corrected"] = "original"
    weights: Weights
    correction: Literal["ratio", "difference"] = Field(
        description="ratio: (1 + definitive) / (1 + provisional) - 1 per component; difference: "
                    "weighted definitive minus weighted provisional, in percentage points"
    )
    decimals: Decimals
    provider_rate: IndexFraction = Field(description="The provider index as VNG published it (checked)")
    source: str = Field(min_length=3)


class IndexMethod(Strict):
    label: str
    kind: Literal["vng", "fixed", "components", "follow_cao", "none"]
    weights: Weights | None = Field(None, description="vng: weights other than the published ones (e.g. 80/20)")
    rate: IndexFraction | None = Field(None, description="fixed: the yearly percentage as a fraction")
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _fields(self) -> IndexMethod:
        if self.kind == "fixed" and self.rate is None:
            raise ValueError("een vaste methode (fixed) heeft 'rate' nodig")
        if self.kind != "fixed" and self.rate is not None:
            raise ValueError(f"'rate' hoort bij een vaste methode (fixed), niet bij {self.kind!r}")
        return self


class MethodAssignment(Provenance):
    """Which indexation method applies to a contract (or some of its products) from a date."""

    contract: Key
    products: list[str] | None = Field(None, description="Only these products of the contract (default: all)")
    method: Key
    valid_from: dt.date = Field(alias="from")
    valid_until: dt.date | None = Field(None, alias="until")


class IndexationFile(Strict):
    series: dict[SeriesKey, IndexSeries]
    vng_publications: list[VngPublication] = Field(default_factory=list)
    methods: dict[Key, IndexMethod] = Field(min_length=1)
    assignments: list[MethodAssignment] = Field(min_length=1)
    recalibration_threshold: Fraction | None = Field(
        None, description="recalibrate flags an indexed tariff this far from the rebuilt one; absent: the cost "
                          "model's dated checks.recalibration_threshold"
    )


# --------------------------------------------------------------------------- CAO


class AllowanceRules(Strict):
    holiday_rate: Fraction
    holiday_min_month_eur: Amount | None = Field(None, description="Minimum holiday allowance per month (full-time)")
    holiday_min_year_eur: Amount | None = None
    holiday_min_number: int | None = Field(
        None, description="Holiday allowance is at least holiday_rate x the salary of this inpassingsnummer"
    )
    year_end_rate: Fraction
    year_end_base: Literal["salary", "salary_plus_holiday"] = "salary"
    year_end_min_year_eur: Amount | None = None
    other_rate: Fraction = Field(Decimal(0), description="Other CAO budgets (e.g. IKB) as a fraction of salary")
    ort_rates: dict[OrtSlot, Fraction] = Field(
        default_factory=dict,
        description="Irregular-hours allowance (ORT) per time slot, as a fraction of the hourly wage",
    )

    @model_validator(mode="after")
    def _one_minimum(self) -> AllowanceRules:
        minima = (self.holiday_min_month_eur, self.holiday_min_year_eur, self.holiday_min_number)
        given = [x for x in minima if x is not None]
        if len(given) > 1:
            raise ValueError("geef hoogstens één minimum voor de vakantietoeslag")
        return self


class OrtCap(Strict):
    """The CAO's cap on ORT: the allowance is computed over at most the hourly wage of this scale and step
    (or inpassingsnummer), taken from the salary table valid on the reference date."""

    scale: str | None = Field(None, description="Scale whose step caps the hourly wage (with step)")
    step: str | None = None
    number: int | None = Field(None, description="Inpassingsnummer whose salary caps the hourly wage (FWG CAOs)")
    monthly_hours: PositiveNumber = Field(
        description="The CAO's divisor from monthly salary to hourly wage (156 for 1/156; 156.5 for x 12 / 1878)")
    scale_for_prefix: dict[str, str] = Field(
        default_factory=dict,
        description="A profile whose scale starts with this prefix is capped at this scale instead "
                    "(e.g. {PP: PP5}: the primary-process table of the same CAO)")

    @model_validator(mode="after")
    def _one(self) -> OrtCap:
        if (self.number is None) == (self.scale is None and self.step is None):
            raise ValueError("give either scale and step, or number")
        if self.number is None and (self.scale is None or self.step is None):
            raise ValueError("give both scale and step")
        return self


class CaoFile(Strict):
    key: Key
    name: str
    weekly_hours: PositiveNumber
    annual_hours: Param[PositiveNumber]
    allowances: Param[AllowanceRules]
    ort_cap: Param[OrtCap | None] | None = Field(
        None, description="Dated ORT cap (value null: the CAO has no cap from that date); absent: never capped")
    source: str


class MinimumWage(Provenance):
    """One statutory minimum wage (WML, 21 years and older) as the publication states it, valid from a date."""

    valid_from: dt.date = Field(alias="from")
    value: PositiveNumber = Field(description="The amount as published: euros per month (full-time) or per hour")
    per: Literal["month", "hour"] = Field(
        description="month: a monthly amount for a full-time week (published until 2023); "
                    "hour: the hourly minimum wage (Wet minimumloon, from 2024-01-01)")


class MinimumWageFile(Strict):
    """parameters/minimum_wage.yaml: the WML on each date, the floor under every CAO salary table.

    An hourly WML becomes a monthly floor for a CAO as hourly x the CAO's full-time weekly_hours x 52 / 12.
    A used cell below the WML of its own date or later is priced at the WML (loader.wml_floor, a warning);
    a cell below the WML already in force the day before its table started is an error (a typo).
    """

    description: str | None = None
    values: list[MinimumWage] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_dates(self) -> MinimumWageFile:
        dates = [v.valid_from for v in self.values]
        if len(set(dates)) != len(dates):
            raise ValueError("twee waarden met dezelfde 'from'-datum")
        return self


class TableEntry(Strict):
    kind: Literal["series", "scales", "scale_map"]
    effective: dt.date
    file: str
    derived: bool = False
    cells_dropped: str | None = Field(
        None, min_length=10,
        description="Why cells of the previous table of the same name are absent here (a restructured table, "
                    "or a row the source extraction missed); without it a dropped cell is refused as truncation")


class TablesFile(Strict):
    tables: list[TableEntry] = Field(min_length=1)


class StepSpec(Strict):
    scale: str
    step: str | None = Field(None, description="One step (trede/periodiek)")
    steps: dict[str, Fraction] | None = Field(None, description="A distribution over steps: step -> weight (sum 1)")

    @model_validator(mode="after")
    def _one(self) -> StepSpec:
        if (self.step is None) == (self.steps is None):
            raise ValueError("geef step of steps, niet allebei en niet geen van beide")
        if self.steps is not None:
            total = sum(self.steps.values(), Decimal(0))
            if total != 1:
                raise ValueError(f"de gewichten van de treden tellen op tot {total}, niet tot 1")
        return self

    def weights(self) -> dict[str, Decimal]:
        from tariefmodel.data.steps import step_weights

        return step_weights(self)


class FunctionMapFile(Strict):
    profiles: dict[Key, Param[StepSpec]] = Field(min_length=1)


# --------------------------------------------------------------------------- benchmarks


class Benchmark(Strict):
    key: Key
    label: str
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str
    source: str
    source_date: dt.date | None = None
    weak: bool = Field(False, description="Third-party or secondary source, or unclear date")
    informs: list[str] = Field(default_factory=list, description="Parameter paths this benchmark supports")
    compares: list[str] = Field(
        default_factory=list,
        description="A published tariff: the region's product codes or two-digit categories it is comparable to")
    tariff_unit: Unit | None = Field(None, description="The unit of a published tariff (with compares)")
    note: str | None = None

    @model_validator(mode="after")
    def _range(self) -> Benchmark:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} ligt boven high {self.high}")
        if self.compares and (self.tariff_unit is None or (self.value is None and self.low is None
                                                           and self.high is None)):
            raise ValueError("een tariefbenchmark (compares) heeft tariff_unit en een waarde of een bereik nodig")
        return self


class BenchmarksFile(Strict):
    benchmarks: list[Benchmark] = Field(min_length=1)


class AmvbFactor(Strict):
    """One cost element of the AMvB reële prijs, with the parameters of the region that address it."""

    key: Key
    law: Literal["Wmo", "Jeugdwet"]
    article: str = Field(min_length=3, description="Article, paragraph and letter")
    text: str = Field(min_length=3, description="The element as the article words it")
    address: str = Field(min_length=10, description="Public address of the regulation (wetten.overheid.nl)")
    source: str = Field(min_length=3, description="Where the text was read")
    addressed_by: list[str] = Field(
        default_factory=list,
        description="Cost-model parameter paths (* as wildcard), 'cao_tables/*', or a parameters/ file the region has")
    note: str | None = None


class AmvbFactorsFile(Strict):
    factors: list[AmvbFactor] = Field(min_length=1)


SCHEMAS: dict[str, type[BaseModel]] = {
    "region": RegionFile,
    "contracts": ContractsFile,
    "function_profiles": FunctionProfilesFile,
    "cost_model": CostModelFile,
    "products": ProductsFile,
    "cao": CaoFile,
    "cao_tables": TablesFile,
    "function_map": FunctionMapFile,
    "benchmarks": BenchmarksFile,
    "differentiation": DifferentiationFile,
    "providers": ProvidersFile,
    "addenda": AddendaFile,
    "external_tariffs": ExternalFile,
    "indexation": IndexationFile,
    "reissues": ReissuesFile,
    "minimum_wage": MinimumWageFile,
    "amvb_factors": AmvbFactorsFile,
}



# --------------------------------------------------------------------------- cost-price survey


class SurveyFile(Strict):
    """Rules of the region's cost-price survey (kostprijsonderzoek): confidentiality and thresholds."""

    min_respondents: Param[Annotated[int, Field(ge=1)]] = Field(
        description="A figure based on fewer respondents than this is suppressed ('te weinig respondenten')"
    )
    surplus_margin: Param[Fraction] = Field(
        description="Revenue per unit more than this fraction above a respondent's own cost counts as unintended room"
    )


SCHEMAS["survey"] = SurveyFile
