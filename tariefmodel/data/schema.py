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
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from tariefmodel.data.numbers import date

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


# A product code and a product category, always quoted in YAML (a bare number would lose its leading zeros).
ProductCode = Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9A-Z]{1,5}$")]
CategoryCode = Annotated[str, BeforeValidator(_quoted_code), StringConstraints(pattern=r"^[0-9]{2}$")]


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


def _dutch_schema_text(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give a model's JSON Schema the Dutch text finance staff see as hover help in their editor.

    pydantic would publish the English docstring as the description and titles derived from names ('Valid From'
    for the key ``from``, 'Param_Annotated_Decimal__...'): the description becomes the model's ``schema_help``
    (none when it has none) and the titles go, as the YAML key names the field. Field descriptions are Dutch
    where they are declared (``Field(description=...)``): they are user text, like the validators' messages.
    """
    schema.pop("title", None)
    schema.pop("description", None)
    # A parametrised generic (Param[Fraction]) is a subclass of its origin and has no attributes of its own.
    origin = model.__pydantic_generic_metadata__["origin"] or model
    help_text = vars(origin).get("schema_help")
    if help_text:
        schema["description"] = help_text
    for field in schema.get("properties", {}).values():
        field.pop("title", None)


class Strict(BaseModel):
    # defer_build: a model's validator is built on its first use, not at import.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True,
                              json_schema_extra=_dutch_schema_text)
    # The model's description in the published JSON Schema, in Dutch (the docstring is for developers); read
    # from the class itself only, so a subclass never shows its parent's text. A field holding such a model
    # needs no description of its own: the editor shows the model's.
    schema_help: ClassVar[str | None] = None


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

    schema_help = ("Een waarde die is herschreven nadat er al tarieven mee waren berekend: waarom, wanneer en wat ze was "
                   "('tariefmodel param set --correctie').")

    reason: str = Field(min_length=3, description="Waarom de eerdere waarde fout was")
    recorded_on: dt.date = Field(description="De dag waarop de correctie is gemaakt")
    previous_value: Any = Field(None, description="De waarde die deze regel vóór de correctie had (als die er was)")


class Provenance(Strict):
    """Where a value comes from and who chose it."""

    schema_help = "Waar een waarde vandaan komt en wie haar koos."

    source: str = Field(min_length=3, description="De bron: document en pagina, of het (web)adres")
    source_date: dt.date | None = Field(None, description="Datum van het brondocument")
    rationale: str = Field(min_length=3, description="Waarom deze waarde: de afweging")
    decided_by: str | None = Field(None, description="Wie de waarde koos (bij een keuze)")
    decided_on: dt.date | None = Field(None, description="Wanneer de waarde gekozen is (bij een keuze)")
    status: Status = Field("draft", description="'draft' (concept) of 'adopted' (vastgesteld): een vastgestelde "
                                                "waarde heeft een echte bron nodig")
    assumption: bool = Field(
        False, description="true: er is geen echt cijfer gevonden; de waarde is een aanname"
    )
    decision: str | None = Field(None, description="Het besluit dat de waarde vaststelde (bijvoorbeeld een collegebesluit)")
    correction: Correction | None = Field(
        None, description="Alleen als deze regel een waarde corrigeert waarmee al tarieven waren berekend")

    @model_validator(mode="after")
    def _adopted_needs_a_source(self) -> Provenance:
        # An adopted value is a decision others rely on: a placeholder is no source.
        if self.status == "adopted" and is_placeholder(self.source):
            raise ValueError(f"vastgestelde waarde zonder bron ({self.source!r} is een plaatshouder): noem de publicatie")
        return self


class Period(Strict):
    """A validity period: from a date, optionally until a date (the last day it holds)."""

    schema_help = "Een geldigheidsperiode: vanaf een datum, eventueel tot en met een datum."

    valid_from: dt.date = Field(alias="from", description="Ingangsdatum: vanaf deze dag geldt het")
    valid_until: dt.date | None = Field(
        None, alias="until", description="Laatste dag waarop het geldt; zonder einddatum loopt het door tot het volgende")

    @model_validator(mode="after")
    def _until_after_from(self) -> Period:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"until {date(self.valid_until)} ligt vóór from {date(self.valid_from)}")
        return self


class Dated(Provenance, Period, Generic[T]):
    """One value of a parameter, valid from a date (and optionally until a date)."""

    schema_help = ("Eén waarde van een parameter, geldig vanaf een datum (en eventueel tot een datum), met bron en "
                   "afweging.")

    value: T = Field(description="De waarde vanaf deze datum (percentages als fractie: 2% = 0.02; bedragen in euro: 1234.56)")


def _check_periods(values: list[Dated]) -> list[Dated]:
    ordered = sorted(values, key=lambda v: v.valid_from)
    for a, b in itertools.pairwise(ordered):
        if a.valid_from == b.valid_from:
            raise ValueError(f"twee waarden beginnen op {date(a.valid_from)}")
        if a.valid_until is not None and a.valid_until >= b.valid_from:
            raise ValueError(
                f"overlappende geldigheid: {date(a.valid_from)} t/m {date(a.valid_until)} en vanaf {date(b.valid_from)}"
            )
    return values


class Param(Strict, Generic[T]):
    """A dated parameter: its values side by side, each with provenance."""

    schema_help = ("Een gedateerde parameter: de waarden naast elkaar, elk met bron en afweging. Een waarde wordt nooit "
                   "overschreven: een nieuwe waarde krijgt een eigen ingangsdatum.")

    description: str | None = Field(None, description="Omschrijving van de parameter")
    unit: str | None = Field(None, description="Eenheid (bijvoorbeeld euro, fractie, uren)")
    values: Annotated[list[Dated[T]], AfterValidator(_check_periods)] = Field(
        min_length=1, description="De waarden, elk met een eigen ingangsdatum ('from'): een waarde wordt nooit "
                                  "overschreven, er komt een nieuwe bij")


# --------------------------------------------------------------------------- region


class RegionFile(Strict):
    schema_help = "parameters/region.yaml: de regio: naam, omschrijving, standaardjaar en bron."

    name: str = Field(description="Naam van de regio")
    description: str = Field(description="Omschrijving van de regio")
    default_year: int = Field(ge=2000, le=2100, description="Het tariefjaar als een opdracht geen --year krijgt")
    source: str = Field(description="Bron van de regiogegevens")
    audit_max_source_age_years: int = Field(
        5, ge=1, le=50, description="De audit meldt bronnen en benchmarks die ouder zijn dan zoveel jaar")


class Contract(Strict):
    schema_help = "Eén perceel (contract) van de regio: wet, ingangsdatum, looptijd en bekostiging."

    key: Key = Field(description="Sleutel van het perceel")
    number: int = Field(description="Nummer van het perceel")
    name: str = Field(description="Naam van het perceel")
    law: Literal["Jeugdwet", "Wmo", "Jeugdwet en Wmo"] = Field(description="De wet: Jeugdwet, Wmo, of Jeugdwet en Wmo")
    start: dt.date = Field(description="Ingangsdatum van het contract")
    term_years: list[int] = Field(min_length=1, description="Looptijd in jaren: eerste termijn en verlengingen, "
                                                            "bijvoorbeeld [3, 2, 2, 2, 1]")
    funding: str = Field(description="Bekostigingsvorm (bijvoorbeeld inspanningsgericht)")
    provider_specific_allowed: bool = Field(
        description="true: in dit perceel mag een aanbieder een eigen tarief (addendum) aanvragen")
    source: str = Field(description="Bron van de contractgegevens")


class ContractsFile(Strict):
    schema_help = "parameters/contracts.yaml: de percelen (contracten) van de regio."

    contracts: list[Contract] = Field(min_length=1, description="De percelen")


class FunctionProfile(Strict):
    schema_help = "Een functieprofiel: een functie met opleiding, die in de personele inzet van een product voorkomt."

    key: Key = Field(description="Sleutel van het functieprofiel")
    name: str = Field(description="Naam van de functie")
    education: str = Field(description="Opleidingsniveau")
    description: str = Field(description="Omschrijving van de functie")
    irregular_hours: bool = Field(
        True, description="Werkt in roosterdiensten en krijgt dus ORT over de onregelmatige uren van een product"
    )


class FunctionProfilesFile(Strict):
    schema_help = ("parameters/function_profiles.yaml: de functieprofielen waaruit de personele inzet van een product "
                   "bestaat.")

    profiles: list[FunctionProfile] = Field(min_length=1, description="De functieprofielen")


# --------------------------------------------------------------------------- cost model


class ChargeItem(Strict):
    schema_help = "Eén post van de werkgeverslasten (bijvoorbeeld pensioenpremie), als percentage van de loonkosten."

    label: str = Field(description="Naam van de post")
    base: Literal["wage", "wage_above_franchise"] = Field(
        description="'wage': percentage x loonkosten per jaar; 'wage_above_franchise': percentage x (loonkosten - franchise)"
    )
    rate: Param[Fraction] = Field(description="Het percentage als fractie (2% = 0.02)")
    franchise_eur: Param[Amount] | None = Field(None, description="Franchise in euro per jaar (bij 'wage_above_franchise')")

    @model_validator(mode="after")
    def _franchise(self) -> ChargeItem:
        if self.base == "wage_above_franchise" and self.franchise_eur is None:
            raise ValueError("grondslag wage_above_franchise heeft franchise_eur nodig")
        return self


class EmployerCharges(Strict):
    schema_help = "Werkgeverslasten: één totaalpercentage ('total') of per post ('itemised')."

    mode: Param[Literal["total", "itemised"]] = Field(
        description="'total': één totaalpercentage (total_rate); 'itemised': per post (items)")
    total_rate: Param[Fraction] | None = Field(None, description="Het totaalpercentage werkgeverslasten (bij 'total')")
    items: dict[Key, ChargeItem] = Field(
        default_factory=dict, description="De posten, elk met een eigen percentage (bij 'itemised')")


class Overhead(Strict):
    schema_help = ("Overhead: het percentage voor aanbieders en voor micro-ondernemingen, als opslag ('markup') of als "
                   "aandeel ('share').")

    rate: Param[Fraction] = Field(description="Overhead voor reguliere aanbieders")
    rate_micro: Param[Fraction] = Field(description="Overhead voor micro-ondernemingen")
    convention: Param[Literal["markup", "share"]] = Field(
        description="'markup': opslag op de directe kosten, x (1 + o); 'share': aandeel in de integrale kostprijs, / (1 - o)")


class NoShow(Strict):
    schema_help = "No-show: het deel van de afspraken waarbij de cliënt niet komt, en hoe dat in het tarief zit."

    rate: Param[Fraction] = Field(description="No-showpercentage als fractie")
    convention: Param[Literal["divide", "markup"]] = Field(description="'divide': kosten / (1 - n); 'markup': kosten x (1 + n)")
    client_bill_max_eur: Param[Amount] | None = Field(
        None, description="Het hoogste bedrag dat een aanbieder de cliënt voor een no-show mag rekenen (staat op de "
                          "tariefbladen)")


class Checks(Strict):
    """Thresholds of the region's consistency checks: policy choices, dated and sourced like any parameter."""

    schema_help = ("Drempels van de consistentiecontroles van de regio: beleidskeuzes, gedateerd en met bron zoals elke "
                   "parameter.")

    wage_floor_fraction: Param[Fraction] = Field(
        description="Een gewogen salaris van een functieprofiel onder deze fractie van het schaalgemiddelde wordt gemeld")
    recalibration_threshold: Param[Fraction] = Field(
        description="Een geïndexeerd tarief dat zoveel (fractie) onder zijn herijking ligt, wordt gemeld")


class Rounding(Strict):
    schema_help = "Afronding: decimalen van het tarief en hoe het minuuttarief ontstaat."

    tariff_decimals: Param[Annotated[int, Field(ge=0, le=4)]] = Field(
        description="Aantal decimalen van het eenheidstarief (halverwege van nul af, zoals Excel ROUND)")
    minute_tariff: Param[Literal["from_hour", "direct", "hour_multiple_of_60_cents"]] = Field(
        description="'from_hour': minuuttarief uit het afgeronde uurtarief; 'direct': uit het onafgeronde uurtarief; "
                    "'hour_multiple_of_60_cents': uurtarief op een veelvoud van 60 cent")
    cost_per_hour_decimals: Param[Annotated[int, Field(ge=0, le=6)] | None] | None = Field(
        None, description="Afronding van de kosten per productief uur (null: niet afronden)")


class BreakdownItem(Strict):
    schema_help = "Eén post van de productiviteit: uren of een aandeel van de contracturen die niet productief zijn."

    label: str = Field(description="Naam van de post")
    kind: Literal["hours", "share"] = Field(
        description="'hours': uren per jaar die van de contracturen afgaan; 'share': een fractie van de contracturen"
    )
    value: Param[Amount] = Field(description="Uren per jaar of een fractie, naar 'kind'")


class ProductivityNorm(Strict):
    schema_help = ("Een productiviteitsnorm: het deel van de contracturen dat aan cliënten besteed wordt, als één "
                   "fractie of opgebouwd uit posten.")

    label: str = Field(description="Naam van de norm")
    method: Literal["fraction", "breakdown"] = Field(
        description="'fraction': één productiviteitsfractie; 'breakdown': opgebouwd uit posten")
    fraction: Param[Fraction] | None = Field(None, description="Productieve uren / contracturen (bij 'fraction')")
    breakdown: dict[Key, BreakdownItem] = Field(
        default_factory=dict, description="De posten niet-productieve tijd (bij 'breakdown')")

    @model_validator(mode="after")
    def _method(self) -> ProductivityNorm:
        if self.method == "fraction" and self.fraction is None:
            raise ValueError("methode fraction heeft 'fraction' nodig")
        if self.method == "breakdown" and not self.breakdown:
            raise ValueError("methode breakdown heeft posten in 'breakdown' nodig")
        return self


class ClientCost(Strict):
    schema_help = "Cliëntgebonden kosten (bijvoorbeeld reiskosten of materiaal), bovenop de personele kosten."

    label: str = Field(description="Naam van de kostenpost")
    kind: Literal["per_unit", "per_staff_hour", "staff_time_uplift", "per_place_year"] = Field(
        description=(
            "'per_unit': euro per eenheid; 'per_staff_hour': euro per direct personeelsuur van de eenheid; "
            "'staff_time_uplift': een fractie bovenop de directe personeelskosten (reistijd); "
            "'per_place_year': euro per plaats per jaar, verdeeld over units_per_place_year"
        )
    )
    units_per_place_year: PositiveNumber | None = Field(None, description="Eenheden per plaats per jaar (bij 'per_place_year')")
    amount: Param[Amount] = Field(description="Het bedrag in euro (een fractie bij 'staff_time_uplift')")

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
    schema_help = ("parameters/cost_model.yaml: het kostprijsmodel: werkgeverslasten, overhead, no-show, winst en "
                   "risico, productiviteit, cliëntgebonden kosten en afronding; elke waarde gedateerd en met bron.")

    cao_reference_day: Param[
        Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"), AfterValidator(_month_day)]
    ] = Field(description="Peildatum van de cao-loontabellen binnen het tariefjaar (MM-DD)")
    employer_charges: EmployerCharges
    overhead: Overhead
    no_show: NoShow
    profit_risk_rate: Param[Fraction] = Field(description="Opslag winst en risico (fractie van de kostprijs)")
    hours_per_dagdeel: Param[PositiveNumber] = Field(description="Uren per dagdeel")
    rounding: Rounding
    productivity_norms: dict[Key, ProductivityNorm] = Field(
        min_length=1, description="Productiviteitsnormen: sleutel -> norm (een product noemt de sleutel)")
    client_costs: dict[Key, ClientCost] = Field(
        default_factory=dict, description="Cliëntgebonden kosten: sleutel -> kostenpost (een product noemt de sleutel)")
    checks: Checks | None = Field(None, description="Drempels van de controles; zonder dit blok draait de loontoets niet")


# --------------------------------------------------------------------------- products

Unit = Literal["minuut", "uur", "dagdeel", "etmaal", "stuks"]
OrtSlot = Literal["avond", "nacht", "zaterdag", "zondag"]


class FixedAmount(Provenance, Period):
    """A decided tariff for a product from a date (vast bedrag), instead of its cost build-up."""

    schema_help = ("Een vastgesteld tarief voor een product vanaf een datum (vast bedrag), in plaats van de "
                   "kostprijsopbouw.")

    amount: Amount = Field(description="Het tarief per eenheid (een uurtarief voor een minuutproduct kan niet)")
    listed_in: str | None = Field(
        None, description="Niet invullen: het model zet hier bij een regel uit de ZIN-tarievenlijst het bestand waaruit die komt")
    listed_row: int | None = Field(None, description="Niet invullen: het model zet hier, met listed_in, de regel in dat bestand")


class Product(Strict):
    schema_help = ("Een product en zijn kostprijsopbouw: personele inzet, groepsgrootte, productiviteit, ORT en "
                   "cliëntgebonden kosten.")

    code: ProductCode = Field(
        description="Productcode, tussen aanhalingstekens (bijvoorbeeld '43A01')")
    category: CategoryCode = Field(
        description="Productcategorie: twee cijfers tussen aanhalingstekens (bijvoorbeeld '43')")
    name: str = Field(description="Productnaam")
    law: Literal["Jeugdwet", "Wmo"] = Field(description="Jeugdwet of Wmo")
    unit: Unit = Field(description="Eenheid van het tarief: minuut, uur, dagdeel, etmaal of stuks")
    funding: Literal["inspanningsgericht"] = Field("inspanningsgericht", description="Bekostigingsvorm")
    staffing: dict[Key, Fraction] = Field(
        min_length=1, description="Functieprofiel -> aandeel in de directe personele uren (samen 1)"
    )
    staff_hours_per_unit: PositiveNumber | None = Field(
        None,
        description=(
            "Directe personele uren per eenheid voor de hele groep; standaard 1 bij uur en minuut "
            "(een minuutproduct wordt per uur opgebouwd), hours_per_dagdeel bij dagdeel; verplicht bij etmaal en stuks"
        ),
    )
    group_size: PositiveNumber = Field(Decimal(1), description="Groepsgrootte: aantal cliënten per medewerker")
    productivity_norm: Key = Field(description="Sleutel van de productiviteitsnorm (cost_model.yaml)")
    irregular_hours_rate: Fraction = Field(
        Decimal(0), description="ORT als één fractie van het jaarsalaris, gelijk onder elke cao"
    )
    irregular_hours_profile: dict[OrtSlot, Fraction] | None = Field(
        None,
        description=(
            "Aandeel van de directe personele uren in elk ORT-tijdvak (avond, nacht, zaterdag, zondag); "
            "de ORT volgt dan de eigen percentages per tijdvak van elke cao"
        ),
    )
    client_costs: list[Key] = Field(
        default_factory=list, description="Sleutels van de cliëntgebonden kosten (cost_model.yaml) die bij dit product horen")
    no_show: bool = Field(False, description="Het tarief bevat een opslag voor no-show (producten op afspraak)")
    caos: list[Key] = Field(min_length=1, description="De cao's waarvoor dit product een tarief krijgt")
    provider_specific_allowed: bool = Field(
        False, description="true: een aanbieder mag voor dit product een eigen tarief (addendum) aanvragen")
    housing_included: bool = False
    lighter_twin: str | None = Field(
        None, description="Code van het lichtere product waarvan dit een zwaardere vorm is (gecontroleerd op perverse "
                          "prikkels, TAR-16)"
    )
    valid_from: dt.date | None = Field(None, description="Eerste dag waarop het product bestaat (standaard: altijd)")
    valid_until: dt.date | None = Field(None, description="Laatste dag waarop het product bestaat (standaard: open)")
    vast: list[FixedAmount] = Field(
        default_factory=list,
        description="Vastgestelde bedragen (vast bedrag) per datum: zolang er op 1 januari één geldt, heeft elke "
                    "variant van het product (elke cao, basistarief, micro) dat bedrag in plaats van de kostprijsopbouw")
    provenance: Provenance = Field(description="Bron en afweging van de productopbouw")

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
    schema_help = "parameters/products/*.yaml: de producten van één perceel en hun kostprijsopbouw."

    contract: Key = Field(description="Sleutel van het perceel waartoe deze producten horen")
    products: list[Product] = Field(min_length=1, description="De producten")


# --------------------------------------------------------------------------- differentiation

OverridableField = Literal["group_size", "staff_hours_per_unit"]


class PgbCategory(Strict):
    schema_help = "Een pgb-categorie: haar tarief is een aandeel van het laagste tarief in natura."

    label: str = Field(description="Naam van de pgb-categorie")
    rate: Param[Fraction] = Field(description="Aandeel van het laagste tarief in natura (ZIN)")


class DifferentiationFile(Strict):
    """Rules for tariff variants: micro-enterprises, addenda, CAOs not modelled, pgb."""

    schema_help = ("parameters/differentiation.yaml: regels voor de tariefvarianten: micro-ondernemingen, addenda, cao's "
                   "die het model niet doorrekent, pgb.")

    micro_max_employees: Param[Annotated[int, Field(ge=1)]] = Field(
        description="Een micro-onderneming heeft minder medewerkers dan dit aantal"
    )
    micro_threshold_eur: Param[Amount] = Field(description="Omzet en/of balanstotaal onder dit bedrag")
    micro_financial_test: Param[Literal["either", "both"]] = Field(
        description="'either': omzet óf balanstotaal onder de drempel; 'both': omzet én balanstotaal eronder"
    )
    addendum_overridable: Param[list[OverridableField]] = Field(
        description="Productparameters die een aanbiederspecifiek addendum mag wijzigen (een witte lijst)"
    )
    unmodelled_caos: dict[Key, str] = Field(
        default_factory=dict, description="Cao's die aanbieders mogen opgeven en die de regio niet doorrekent: sleutel -> naam"
    )
    pgb_categories: dict[Key, PgbCategory] = Field(default_factory=dict, description="Pgb-categorieën: sleutel -> categorie")
    pgb_exempt_products: Param[list[str]] | None = Field(
        None, description="Producten waarvan het pgb-tarief 100% van het laagste tarief in natura blijft (bijvoorbeeld vervoer)"
    )
    pgb_external_products: Param[list[str]] | None = Field(
        None, description="Externe producten (external_tariffs.yaml) die pgb-tarieven krijgen: per pgb-categorie haar "
                          "aandeel van het externe tarief, zoals bij een berekend product; andere krijgen er geen")


NO_CAO = "geen"


class Provider(Strict):
    schema_help = "Een aanbieder: registratie, opgegeven cao en omvang (voor de micro-toets)."

    key: Key = Field(description="Sleutel van de aanbieder")
    name: str = Field(description="Naam van de aanbieder")
    identifier: str = Field(description="KvK- of AGB-code")
    cao: str = Field(description=f"Opgegeven cao: een cao-sleutel van het model, een sleutel uit unmodelled_caos, of '{NO_CAO}'")
    employees: int = Field(ge=0, description="Aantal medewerkers (voor de micro-toets)")
    annual_turnover_eur: Amount = Field(description="Jaaromzet in euro (voor de micro-toets)")
    balance_total_eur: Amount = Field(description="Balanstotaal in euro (voor de micro-toets)")
    contracts: list[Key] = Field(min_length=1, description="De percelen waarvoor de aanbieder gecontracteerd is")
    registered_on: dt.date | None = Field(None, description="Datum van de registratiegegevens")
    source: str = Field(min_length=3, description="Waar de registratiegegevens vandaan komen")


class ProvidersFile(Strict):
    schema_help = "parameters/providers.yaml: de aanbieders van de regio."

    providers: list[Provider] = Field(min_length=1, description="De aanbieders")


class Decision(Strict):
    schema_help = "Het besluit over een addendum en wie het nam."

    status: Literal["requested", "advised", "approved", "rejected"] = Field(
        description="'requested' (aangevraagd), 'advised' (geadviseerd), 'approved' (goedgekeurd) of 'rejected' (afgewezen)")
    decided_by: str | None = Field(None, description="Wie besliste (verplicht bij goedgekeurd of afgewezen)")
    decided_on: dt.date | None = Field(None, description="Datum van het besluit")

    @model_validator(mode="after")
    def _decided(self) -> Decision:
        if self.status in ("approved", "rejected") and (self.decided_by is None or self.decided_on is None):
            raise ValueError(f"een besluit '{self.status}' heeft decided_by en decided_on nodig")
        return self


class Addendum(Strict):
    """A provider-specific tariff request and its decision (DIFF-04/05)."""

    schema_help = "Een aanbiederspecifieke tariefaanvraag en het besluit erover (DIFF-04/05)."

    id: Key = Field(description="Kenmerk van het addendum")
    provider: Key = Field(description="Sleutel van de aanbieder")
    product: ProductCode = Field(
        description="Productcode")
    overrides: dict[OverridableField, PositiveNumber] = Field(
        min_length=1, description="Productparameters en hun waarde voor deze aanbieder (alleen wat "
                                  "addendum_overridable toestaat)")
    reason: str = Field(min_length=3, description="Waarom de aanbieder een eigen tarief vraagt")
    team_advice: str | None = Field(None, description="Advies van het multidisciplinaire team")
    decision: Decision
    valid_from: dt.date = Field(alias="from", description="Ingangsdatum")
    valid_until: dt.date | None = Field(
        None, alias="until", description="Laatste dag waarop het addendum geldt (zonder einddatum: open)")
    source: str = Field(min_length=3, description="Bron: de aanvraag en het besluit")

    @model_validator(mode="after")
    def _period(self) -> Addendum:
        if self.decision.status == "approved" and is_placeholder(self.source):
            raise ValueError(f"goedgekeurd addendum {self.id} heeft een bron nodig ({self.source!r} is een plaatshouder)")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(f"until {date(self.valid_until)} ligt vóór from {date(self.valid_from)}")
        return self


class AddendaFile(Strict):
    schema_help = "parameters/addenda.yaml: aanbiederspecifieke tariefaanvragen (addenda) en de besluiten erover."

    addenda: list[Addendum] = Field(min_length=1, description="De addenda")


class ExternalAmount(Provenance):
    schema_help = "Het externe tarief voor één jaar, met bron."

    year: int = Field(ge=2000, le=2100, description="Het jaar")
    amount_eur: Amount = Field(description="Het tarief in euro")


class PhaseIn(Strict):
    schema_help = "Het ingroeipad van één aanbieder: een bedrag per jaar."

    provider: Key = Field(description="Sleutel van de aanbieder")
    values: list[ExternalAmount] = Field(min_length=1, description="Het bedrag per jaar")


class ExternalProduct(Strict):
    """A product whose tariff is set elsewhere and imported, not computed (IDX-05)."""

    schema_help = "Een product waarvan het tarief elders wordt vastgesteld en overgenomen, niet berekend (IDX-05)."

    code: ProductCode = Field(
        description="Productcode, tussen aanhalingstekens")
    category: CategoryCode = Field(
        description="Productcategorie: twee cijfers")
    name: str = Field(description="Productnaam")
    law: Literal["Jeugdwet", "Wmo"] = Field(description="Jeugdwet of Wmo")
    contract: Key = Field(description="Sleutel van het perceel")
    unit: Unit = Field(description="Eenheid van het tarief")
    follows: str = Field(description="Wie het tarief vaststelt: landelijke afspraak, andere regio, ...")
    tariffs: list[ExternalAmount] = Field(min_length=1, description="Het tarief per jaar")
    phase_in: list[PhaseIn] = Field(default_factory=list, description="Ingroeipad per aanbieder")

    @model_validator(mode="after")
    def _years(self) -> ExternalProduct:
        for label, values in [("tariffs", self.tariffs)] + [(f"phase_in {p.provider}", p.values) for p in self.phase_in]:
            years = [v.year for v in values]
            if len(set(years)) != len(years):
                raise ValueError(f"{label}: een jaar staat er twee keer in")
        return self


class ExternalFile(Strict):
    schema_help = "parameters/external_tariffs.yaml: producten met een tarief dat elders is vastgesteld."

    products: list[ExternalProduct] = Field(min_length=1, description="De producten met een extern tarief")


# --------------------------------------------------------------------------- re-issues

ReissueField = Literal["staffing", "staff_hours_per_unit", "group_size", "client_costs", "irregular_hours_rate",
                       "irregular_hours_profile", "productivity_norm", "no_show"]


class Reissue(Provenance):
    """A product tariff re-issued from a date, with its reason (TAR-17): the old version keeps its history."""

    schema_help = ("Een producttarief dat vanaf een datum opnieuw is vastgesteld, met de reden (TAR-17): de oude versie "
                   "houdt haar geschiedenis.")

    id: Key = Field(description="Kenmerk van de herziening")
    product: ProductCode = Field(
        description="Productcode")
    valid_from: dt.date = Field(alias="from", description="Ingangsdatum van het nieuwe tarief")
    changes: dict[ReissueField, Any] = Field(min_length=1, description="Productvelden en hun nieuwe waarden")
    reason: str = Field(min_length=3, description="Waarom het tarief opnieuw wordt vastgesteld")


class ReissuesFile(Strict):
    schema_help = "parameters/reissues.yaml: producttarieven die vanaf een datum opnieuw zijn vastgesteld."

    reissues: list[Reissue] = Field(min_length=1, description="De herziene producttarieven")


# --------------------------------------------------------------------------- indexation


def _index_fraction(v: Decimal) -> Decimal:
    if v <= Decimal("-0.5") or v >= Decimal("0.5"):
        raise ValueError(f"{v} is geen indexfractie: schrijf 4,94% als 0.0494 (een waarde van 0.5 of meer wordt geweigerd)")
    return v


IndexFraction = Annotated[Decimal, AfterValidator(_index_fraction)]
SeriesKey = Literal["ova", "ppc"]


class IndexPublication(Strict):
    """One published figure of an index series: provisional, definitive, or a correction of an earlier one."""

    schema_help = ("Eén gepubliceerd cijfer van een indexreeks: voorlopig, definitief, of een correctie van een eerder "
                   "cijfer.")

    year: int = Field(ge=2000, le=2100, description="Het jaar waarvoor het indexcijfer geldt")
    kind: Literal["voorlopig", "definitief"] = Field(description="'voorlopig' of 'definitief'")
    value: IndexFraction = Field(description="Het indexcijfer als fractie (4,94% = 0.0494)")
    published: dt.date = Field(description="Publicatiedatum: een berekening 'bekend op' een eerdere datum ziet dit cijfer niet")
    corrects: dt.date | None = Field(None, description="Publicatiedatum van het cijfer dat dit cijfer corrigeert")
    source: str = Field(min_length=3, description="Bron: de publicatie")
    note: str | None = Field(None, description="Toelichting")


class IndexSeries(Strict):
    schema_help = "Een indexreeks (OVA of prijsindex) en haar publicaties."

    label: str = Field(description="Naam van de reeks")
    publications: list[IndexPublication] = Field(min_length=1, description="De gepubliceerde cijfers")


class Decimals(Strict):
    schema_help = "Op hoeveel decimalen de VNG de percentages afrondt."

    component: int = Field(ge=0, le=6, description="Aantal decimalen van het percentage bij de correctie per component")
    weighted: int = Field(ge=0, le=6, description="Aantal decimalen van het percentage bij gewogen cijfers")
    provider: int = Field(ge=0, le=6, description="Aantal decimalen van het percentage bij de aanbiedersindex")


def _weights(v: dict[str, Decimal]) -> dict[str, Decimal]:
    total = sum(v.values(), Decimal(0))
    if total != 1:
        raise ValueError(f"de gewichten tellen op tot {total}, niet tot 1 (100%)")
    return v


Weights = Annotated[dict[SeriesKey, Fraction], AfterValidator(_weights)]


class VngPublication(Strict):
    """The VNG indexation advice for one year, as published: its rules and its provider percentage."""

    schema_help = ("Het indexeringsadvies van de VNG voor één jaar, zoals gepubliceerd: de rekenregels en het percentage "
                   "voor aanbieders.")

    index_year: int = Field(ge=2000, le=2100, description="Het jaar waarvoor het advies geldt")
    published: dt.date = Field(description="Publicatiedatum")
    kind: Literal["original", "corrected"] = Field(
        "original", description="'original' (oorspronkelijk) of 'corrected' (gecorrigeerd)")
    weights: Weights = Field(description="Gewichten van de reeksen ova en ppc (samen 1)")
    correction: Literal["ratio", "difference"] = Field(
        description="'ratio': (1 + definitief) / (1 + voorlopig) - 1 per component; 'difference': "
                    "gewogen definitief min gewogen voorlopig, in procentpunten"
    )
    decimals: Decimals = Field(description="Afronding van de percentages")
    provider_rate: IndexFraction = Field(description="De aanbiedersindex zoals de VNG die publiceerde (wordt nagerekend)")
    source: str = Field(min_length=3, description="Bron: de VNG-publicatie")


class IndexMethod(Strict):
    schema_help = "Een indexeringsmethode: VNG-advies, vast percentage, componenten, cao volgen of geen indexatie."

    label: str = Field(description="Naam van de methode")
    kind: Literal["vng", "fixed", "components", "follow_cao", "none"] = Field(
        description="'vng': VNG-advies; 'fixed': vast percentage; 'components': per component; 'follow_cao': volgt de "
                    "cao; 'none': geen indexatie")
    weights: Weights | None = Field(None, description="'vng': andere gewichten dan de gepubliceerde (bijvoorbeeld 80/20)")
    rate: IndexFraction | None = Field(None, description="'fixed': het jaarlijkse percentage als fractie")
    source: str = Field(min_length=3, description="Bron: het besluit of contract dat de methode kiest")

    @model_validator(mode="after")
    def _fields(self) -> IndexMethod:
        if self.kind == "fixed" and self.rate is None:
            raise ValueError("een vaste methode (fixed) heeft 'rate' nodig")
        if self.kind != "fixed" and self.rate is not None:
            raise ValueError(f"'rate' hoort bij een vaste methode (fixed), niet bij {self.kind!r}")
        return self


class MethodAssignment(Provenance):
    """Which indexation method applies to a contract (or some of its products) from a date."""

    schema_help = "Welke indexeringsmethode vanaf een datum geldt voor een perceel (of enkele producten ervan)."

    contract: Key = Field(description="Sleutel van het perceel")
    products: list[str] | None = Field(None, description="Alleen deze producten van het perceel (standaard: alle)")
    method: Key = Field(description="Sleutel van de indexeringsmethode (methods)")
    valid_from: dt.date = Field(alias="from", description="Ingangsdatum")
    valid_until: dt.date | None = Field(None, alias="until", description="Laatste dag (zonder einddatum: open)")


class IndexationFile(Strict):
    schema_help = ("parameters/indexation.yaml: indexreeksen, VNG-publicaties, indexeringsmethoden en welke methode per "
                   "perceel geldt.")

    series: dict[SeriesKey, IndexSeries] = Field(description="Indexreeksen: ova (loonkosten) en ppc (prijzen)")
    vng_publications: list[VngPublication] = Field(default_factory=list, description="De indexeringsadviezen van de VNG")
    methods: dict[Key, IndexMethod] = Field(min_length=1, description="Indexeringsmethoden: sleutel -> methode")
    assignments: list[MethodAssignment] = Field(min_length=1, description="Welke methode vanaf welke datum per perceel geldt")
    recalibration_threshold: Fraction | None = Field(
        None, description="De herijking (recalibrate) meldt een geïndexeerd tarief dat zoveel afwijkt van het opnieuw "
                          "opgebouwde; zonder deze waarde geldt checks.recalibration_threshold uit het kostprijsmodel"
    )


# --------------------------------------------------------------------------- CAO


class AllowanceRules(Strict):
    schema_help = "De toeslagen van een cao: vakantietoeslag, eindejaarsuitkering, overige budgetten en ORT."

    holiday_rate: Fraction = Field(description="Vakantietoeslag als fractie van het salaris")
    holiday_min_month_eur: Amount | None = Field(None, description="Minimale vakantietoeslag per maand (voltijd)")
    holiday_min_year_eur: Amount | None = Field(None, description="Minimale vakantietoeslag per jaar (voltijd)")
    holiday_min_number: int | None = Field(
        None, description="De vakantietoeslag is minstens holiday_rate x het salaris van dit inpassingsnummer"
    )
    year_end_rate: Fraction = Field(description="Eindejaarsuitkering als fractie")
    year_end_base: Literal["salary", "salary_plus_holiday"] = Field(
        "salary", description="'salary': over het salaris; 'salary_plus_holiday': over salaris plus vakantietoeslag")
    year_end_min_year_eur: Amount | None = Field(None, description="Minimale eindejaarsuitkering per jaar")
    other_rate: Fraction = Field(Decimal(0), description="Overige cao-budgetten (bijvoorbeeld IKB) als fractie van het salaris")
    ort_rates: dict[OrtSlot, Fraction] = Field(
        default_factory=dict,
        description="Toeslag onregelmatige uren (ORT) per tijdvak, als fractie van het uurloon",
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

    schema_help = ("Het ORT-maximum van de cao: de toeslag wordt berekend over ten hoogste het uurloon van deze schaal "
                   "en trede (of dit inpassingsnummer), uit de salaristabel die op de peildatum geldt.")

    scale: str | None = Field(None, description="Schaal waarvan de trede (met 'step') het uurloon begrenst")
    step: str | None = Field(None, description="Trede die het uurloon begrenst (met 'scale')")
    number: int | None = Field(None, description="Inpassingsnummer waarvan het salaris het uurloon begrenst (FWG-cao's)")
    monthly_hours: PositiveNumber = Field(
        description="De deler van de cao van maandsalaris naar uurloon (156 bij 1/156; 156.5 bij x 12 / 1878)")
    scale_for_prefix: dict[str, str] = Field(
        default_factory=dict,
        description="Een profiel waarvan de schaal met dit voorvoegsel begint, wordt op deze schaal begrensd "
                    "(bijvoorbeeld {PP: PP5}: de tabel primair proces van dezelfde cao)")

    @model_validator(mode="after")
    def _one(self) -> OrtCap:
        if (self.number is None) == (self.scale is None and self.step is None):
            raise ValueError("give either scale and step, or number")
        if self.number is None and (self.scale is None or self.step is None):
            raise ValueError("give both scale and step")
        return self


class CaoFile(Strict):
    schema_help = "cao_tables/<cao>/cao.yaml: een cao: arbeidsduur, jaaruren, toeslagen en ORT-maximum."

    key: Key = Field(description="Sleutel van de cao")
    name: str = Field(description="Naam van de cao")
    weekly_hours: PositiveNumber = Field(description="Arbeidsduur van een voltijdbaan in uren per week")
    annual_hours: Param[PositiveNumber] = Field(description="Jaaruren van een voltijdbaan")
    allowances: Param[AllowanceRules] = Field(description="De toeslagen van de cao, gedateerd")
    ort_cap: Param[OrtCap | None] | None = Field(
        None, description="Gedateerd ORT-maximum (waarde null: de cao heeft vanaf die datum geen maximum); zonder dit "
                          "veld nooit begrensd")
    source: str = Field(description="Bron: de cao-tekst")


class MinimumWage(Provenance):
    """One statutory minimum wage (WML, 21 years and older) as the publication states it, valid from a date."""

    schema_help = ("Eén wettelijk minimumloon (WML, 21 jaar en ouder) zoals de publicatie het noemt, geldig vanaf een "
                   "datum.")

    valid_from: dt.date = Field(alias="from", description="Ingangsdatum van dit minimumloon")
    value: PositiveNumber = Field(description="Het bedrag zoals gepubliceerd: euro per maand (voltijd) of per uur")
    per: Literal["month", "hour"] = Field(
        description="'month': een maandbedrag voor een voltijdweek (gepubliceerd tot en met 2023); "
                    "'hour': het minimumuurloon (Wet minimumloon, vanaf 1 januari 2024)")


class MinimumWageFile(Strict):
    """parameters/minimum_wage.yaml: the WML on each date, the floor under every CAO salary table.

    An hourly WML becomes a monthly floor for a CAO as hourly x the CAO's full-time weekly_hours x 52 / 12.
    A used cell below the WML of its own date or later is priced at the WML (loader.wml_floor, a warning);
    a cell below the WML already in force the day before its table started is an error (a typo).
    """

    schema_help = ("parameters/minimum_wage.yaml: het WML op elke datum, de bodem onder elke salaristabel van een cao. "
                   "Een WML per uur wordt voor een cao een maandbodem: uurbedrag x de voltijd weekuren van de cao x 52 / "
                   "12. Een gebruikte cel onder het WML van haar eigen datum of later wordt tegen het WML geprijsd (met "
                   "een waarschuwing); een cel onder het WML dat al gold op de dag vóór de start van haar tabel is een "
                   "fout (een tikfout).")

    description: str | None = Field(None, description="Omschrijving")
    values: list[MinimumWage] = Field(min_length=1, description="De minimumlonen, elk vanaf een datum")

    @model_validator(mode="after")
    def _distinct_dates(self) -> MinimumWageFile:
        dates = [v.valid_from for v in self.values]
        if len(set(dates)) != len(dates):
            raise ValueError("twee waarden met dezelfde 'from'-datum")
        return self


class TableEntry(Strict):
    schema_help = "Eén salaristabel van de cao: soort, ingangsdatum en bestand."

    kind: Literal["series", "scales", "scale_map"] = Field(
        description="'series': inpassingsnummers met maandbedrag; 'scales': schaal en trede met maandbedrag; "
                    "'scale_map': schaal en trede naar inpassingsnummer")
    effective: dt.date = Field(description="Ingangsdatum van de tabel")
    file: str = Field(description="Het CSV-bestand met de tabel, in deze map")
    derived: bool = Field(False, description="true: afgeleid, niet zo gepubliceerd")
    cells_dropped: str | None = Field(
        None, min_length=10,
        description="Waarom cellen van de vorige tabel met dezelfde naam hier ontbreken (een heringedeelde tabel, of "
                    "een regel die bij het overnemen uit de bron is gemist); zonder deze toelichting wordt een "
                    "weggevallen cel geweigerd als afgekapte tabel")


class TablesFile(Strict):
    schema_help = "cao_tables/<cao>/tables.yaml: de salaristabellen van een cao en hun ingangsdatum."

    tables: list[TableEntry] = Field(min_length=1, description="De salaristabellen")


class StepSpec(Strict):
    schema_help = "De schaal en trede(n) van een functieprofiel in deze cao: één trede of een verdeling over treden."

    scale: str = Field(description="Schaal")
    step: str | None = Field(None, description="Eén trede (periodiek)")
    steps: dict[str, Fraction] | None = Field(None, description="Een verdeling over treden: trede -> gewicht (samen 1)")

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
    schema_help = "cao_tables/<cao>/function_map.yaml: per functieprofiel de schaal en trede(n) in deze cao."

    profiles: dict[Key, Param[StepSpec]] = Field(min_length=1, description="Per functieprofiel de schaal en trede(n), gedateerd")


# --------------------------------------------------------------------------- benchmarks


class Benchmark(Strict):
    schema_help = "Een openbaar vergelijkingscijfer met bron: een waarde of een bandbreedte."

    key: Key = Field(description="Sleutel van de benchmark")
    label: str = Field(description="Omschrijving")
    value: Decimal | None = Field(None, description="De waarde")
    low: Decimal | None = Field(None, description="Ondergrens van de bandbreedte")
    high: Decimal | None = Field(None, description="Bovengrens van de bandbreedte")
    unit: str = Field(description="Eenheid (bijvoorbeeld fractie, euro per uur)")
    source: str = Field(description="Bron: document en pagina, of adres")
    source_date: dt.date | None = Field(None, description="Datum van de bron")
    weak: bool = Field(False, description="Bron van derden of secundaire bron, of onduidelijke datum")
    informs: list[str] = Field(default_factory=list, description="Parameterpaden die deze benchmark onderbouwt")
    compares: list[str] = Field(
        default_factory=list,
        description="Een gepubliceerd tarief: de productcodes of tweecijferige categorieën van de regio waarmee het te "
                    "vergelijken is")
    tariff_unit: Unit | None = Field(None, description="De eenheid van een gepubliceerd tarief (bij compares)")
    note: str | None = Field(None, description="Toelichting")

    @model_validator(mode="after")
    def _range(self) -> Benchmark:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} ligt boven high {self.high}")
        if self.compares and (self.tariff_unit is None or (self.value is None and self.low is None
                                                           and self.high is None)):
            raise ValueError("een tariefbenchmark (compares) heeft tariff_unit en een waarde of een bereik nodig")
        return self


class BenchmarksFile(Strict):
    schema_help = ("benchmarks/*.yaml: openbare vergelijkingscijfers (benchmarks) met bron, naast de parameters van de "
                   "regio.")

    benchmarks: list[Benchmark] = Field(min_length=1, description="De benchmarks")


class AmvbFactor(Strict):
    """One cost element of the AMvB reële prijs, with the parameters of the region that address it."""

    schema_help = "Eén kostenelement van de reële prijs uit de AMvB, met de parameters van de regio die het afdekken."

    key: Key = Field(description="Sleutel van het element")
    law: Literal["Wmo", "Jeugdwet"] = Field(description="Wmo of Jeugdwet")
    article: str = Field(min_length=3, description="Artikel, lid en onderdeel")
    text: str = Field(min_length=3, description="Het element zoals het artikel het verwoordt")
    address: str = Field(min_length=10, description="Openbaar adres van de regeling (wetten.overheid.nl)")
    source: str = Field(min_length=3, description="Waar de tekst gelezen is")
    addressed_by: list[str] = Field(
        default_factory=list,
        description="Parameterpaden uit het kostprijsmodel (* als joker), 'cao_tables/*', of een bestand in parameters/ "
                    "dat de regio heeft")
    note: str | None = Field(None, description="Toelichting")


class AmvbFactorsFile(Strict):
    schema_help = ("parameters/amvb_factors.yaml: de kostenelementen van de reële prijs uit de AMvB en de parameters die "
                   "ze afdekken.")

    factors: list[AmvbFactor] = Field(min_length=1, description="De kostenelementen")


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

    schema_help = ("parameters/survey.yaml: regels van het kostprijsonderzoek van de regio: vertrouwelijkheid en "
                   "drempels.")

    min_respondents: Param[Annotated[int, Field(ge=1)]] = Field(
        description="Een cijfer op minder respondenten dan dit aantal wordt niet getoond ('te weinig respondenten')"
    )
    surplus_margin: Param[Fraction] = Field(
        description="Opbrengst per eenheid die meer dan deze fractie boven de eigen kostprijs van een respondent ligt, "
                    "telt als onbedoelde ruimte"
    )


SCHEMAS["survey"] = SurveyFile
