"""Input formats of the scenario and budget files, as pydantic models.

The loader checks these files with the rest of the data folder (:mod:`tariefmodel.loader.inputs`,
same error style: file, key, line; every problem at once); they live in ``data`` so that it can.

* ``scenarios/*.yaml``                 a scenario: the base data plus named overrides
* ``parameters/municipalities.yaml``   the municipalities and their population (allocation keys)
* ``parameters/volumes.yaml``          units per product, municipality and year
* ``parameters/budget_ceilings.yaml``  budget ceilings per provider and year, and their rules
* ``parameters/arrangements.yaml``     arrangements (support profile x intensity) and their payment schedule
* ``parameters/lump_sums.yaml``        lump sums, availability funding, task budgets, allocation keys
* ``parameters/sensitivity.yaml``      ranges and distributions for tornado and Monte Carlo

Conventions are the engine's: percentages are fractions (2% = 0.02), amounts in euros,
dates ISO, product codes quoted strings, unknown keys are errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from tariefmodel.data.schema import Amount, Fraction, Key, PositiveNumber, ProductCode, Provenance, Strict

Code = ProductCode
OrtSlot = Literal["avond", "nacht", "zaterdag", "zondag"]


def _rate(v: Decimal) -> Decimal:
    if v <= Decimal("-0.5") or v >= Decimal("0.5"):
        raise ValueError(f"{v} is geen percentage als fractie: schrijf 3% als 0.03 (een waarde van 0.5 of meer wordt geweigerd)")
    return v


Rate = Annotated[Decimal, AfterValidator(_rate)]


# --------------------------------------------------------------------------- scenarios


class ScenarioFile(Strict):
    """A scenario: the base data plus named overrides, each applied to a copy of the region."""

    schema_help = ("scenarios/*.yaml: een scenario: de basisgegevens plus benoemde wijzigingen, elk toegepast op een "
                   "kopie van de regio.")

    label: str = Field(min_length=3, description="Korte titel in het Nederlands (staat in de uitvoer)")
    description: str = Field(min_length=3)
    extends: Key | None = Field(None, description="Een ander scenario waarvan de wijzigingen eerst gelden")
    provenance: Provenance
    overrides: list[dict[str, Any]] = Field(
        default_factory=list, description="Wijzigingen, elk met één soortsleutel: param, productivity, "
                                          "cao_raise, index_rate, product, contract of volume_factor")


class _Note(Strict):
    note: str | None = Field(None, description="Waarom deze wijziging (staat als afweging bij de gewijzigde waarde)")


class ParamOverride(_Note):
    """A cost-model parameter (its path, e.g. overhead.rate; * matches any part) set from a date."""

    schema_help = ("Een parameter uit het kostprijsmodel (het pad, bijvoorbeeld overhead.rate; * past op elk deel), "
                   "gewijzigd vanaf een datum.")

    param: str = Field(min_length=3)
    value: Any = None
    factor: Decimal | None = Field(None, description="Vermenigvuldig de waarde (bijvoorbeeld 1.1 = +10%)")
    delta: Decimal | None = Field(None, description="Tel op bij de waarde (bijvoorbeeld 0.02 = +2 procentpunt)")
    valid_from: dt.date | None = Field(None, alias="from", description="Vanaf deze datum (standaard: elke waarde)")

    @model_validator(mode="after")
    def _one(self) -> ParamOverride:
        given = [k for k in ("value", "factor", "delta") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("geef precies één van value, factor of delta")
        return self


class ProductivityOverride(_Note):
    """A productivity norm replaced by one productivity fraction (productive hours / contract hours)."""

    schema_help = "Een productiviteitsnorm vervangen door één productiviteitsfractie (productieve uren / contracturen)."

    productivity: Key = Field(description="De productiviteitsnorm (bijvoorbeeld ambulant)")
    fraction: Annotated[Fraction, AfterValidator(lambda v: _positive_fraction(v))] = Field(
        description="Geldt in elk jaar: de opbouw van de norm wordt vervangen door deze ene fractie")


def _positive_fraction(v: Decimal) -> Decimal:
    if v <= 0:
        raise ValueError(f"{v} laat geen productieve uren over: geef een fractie boven 0")
    return v


class CaoRaise(_Note):
    """Every salary table of a CAO raised by a percentage from a date (default: every table)."""

    schema_help = "Elke salaristabel van een cao verhoogd met een percentage vanaf een datum (standaard: elke tabel)."

    cao_raise: Key
    rate: Rate
    valid_from: dt.date | None = Field(None, alias="from")
    round_cells: bool = Field(True, description="Rond elk verhoogd tabelbedrag af op hele centen (zoals cao's publiceren)")


class IndexOverride(_Note):
    """A fixed indexation percentage for some years (and contracts), replacing the method assigned there."""

    schema_help = ("Een vast indexeringspercentage voor enkele jaren (en percelen), in plaats van de methode die daar "
                   "geldt.")

    index_rate: Rate
    years: list[Annotated[int, Field(ge=2000, le=2100)]] = Field(min_length=1)
    contracts: list[Key] | None = Field(None, description="Standaard: elk perceel met een indexeringsmethode")


class ProductChanges(_Note):
    group_size: PositiveNumber | None = None
    staff_hours_per_unit: PositiveNumber | None = None
    staffing: dict[Key, Fraction] | None = None
    productivity_norm: Key | None = None
    client_costs: list[Key] | None = None
    no_show: bool | None = None
    irregular_hours_rate: Fraction | None = None
    irregular_hours_profile: dict[OrtSlot, Fraction] | None = None

    def changes(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in PRODUCT_FIELDS if k in self.model_fields_set}


PRODUCT_FIELDS = ("group_size", "staff_hours_per_unit", "staffing", "productivity_norm", "client_costs", "no_show",
                  "irregular_hours_rate", "irregular_hours_profile")


class ProductOverride(ProductChanges):
    schema_help = "Een product met gewijzigde kenmerken."

    product: Code


class ContractOverride(ProductChanges):
    schema_help = "Alle producten van een perceel met gewijzigde kenmerken."

    contract: Key


class VolumeOverride(_Note):
    """Volumes multiplied by a factor, for some products, contracts, municipalities or years (default: all)."""

    schema_help = ("Volumes vermenigvuldigd met een factor, voor enkele producten, percelen, gemeenten of jaren "
                   "(standaard: alle).")

    volume_factor: Amount
    products: list[Code] | None = None
    contracts: list[Key] | None = None
    municipalities: list[Key] | None = None
    years: list[int] | None = None


OVERRIDE_KINDS: dict[str, type[Strict]] = {
    "param": ParamOverride,
    "productivity": ProductivityOverride,
    "cao_raise": CaoRaise,
    "index_rate": IndexOverride,
    "product": ProductOverride,
    "contract": ContractOverride,
    "volume_factor": VolumeOverride,
}


# --------------------------------------------------------------------------- municipalities


class Population(Provenance):
    schema_help = "Het aantal inwoners en jeugdigen van een gemeente in één jaar, met bron."

    year: int = Field(ge=2000, le=2100)
    inhabitants: Annotated[int, Field(gt=0)]
    youths: Annotated[int, Field(gt=0)] = Field(description="Inwoners van 0 tot en met 17 jaar")

    @model_validator(mode="after")
    def _youths(self) -> Population:
        if self.youths > self.inhabitants:
            raise ValueError(f"{self.youths} jeugdigen is meer dan {self.inhabitants} inwoners")
        return self


class Municipality(Strict):
    schema_help = "Een gemeente en haar inwoners per jaar."

    key: Key
    name: str
    population: list[Population] = Field(min_length=1)


class MunicipalitiesFile(Strict):
    schema_help = "parameters/municipalities.yaml: de gemeenten en hun inwoners (voor verdeelsleutels)."

    description: str
    municipalities: list[Municipality] = Field(min_length=1)


# --------------------------------------------------------------------------- volumes


def _profile(v: list[Decimal]) -> list[Decimal]:
    if len(v) != 12:
        raise ValueError(f"een maandprofiel heeft 12 aandelen, niet {len(v)}")
    total = sum(v, Decimal(0))
    if total != 1:
        raise ValueError(f"de maandaandelen tellen op tot {total}, niet tot 1")
    return v


class VolumeLine(Strict):
    """Units per year and municipality of one product, for one provider or at one tariff variant."""

    schema_help = "Eenheden per jaar en gemeente van één product, voor één aanbieder of tegen één tariefvariant."

    product: Code
    provider: Key | None = Field(None, description="De aanbieder die levert: diens eigen tarief geldt")
    variant: str | None = Field(None, description="Zonder aanbieder: een cao-sleutel of basistarief (standaard: die van "
                                                  "het bestand)")
    units: dict[Annotated[int, Field(ge=2000, le=2100)], dict[Key, Amount]] = Field(
        min_length=1, description="jaar -> gemeente -> eenheden (uren, dagdelen, etmalen, minuten, ritten)")

    @model_validator(mode="after")
    def _who(self) -> VolumeLine:
        if self.provider is not None and self.variant is not None:
            raise ValueError("geef een aanbieder (provider) of een variant, niet allebei")
        return self


class VolumesFile(Strict):
    schema_help = "parameters/volumes.yaml: eenheden per product, gemeente en jaar."

    description: str
    provenance: Provenance
    default_variant: str = Field("basistarief", description="Tariefvariant voor regels zonder aanbieder of variant")
    monthly_profile: Annotated[list[Fraction], AfterValidator(_profile)] | None = Field(
        None, description="Aandeel van de eenheden van een jaar in elke maand (standaard: elk 1/12)")
    volumes: list[VolumeLine] = Field(min_length=1)


# --------------------------------------------------------------------------- budget ceilings


class Sourced(Provenance):
    """A rule value with its source."""

    schema_help = "Een regelwaarde met haar bron."

    value: Any


class CeilingRules(Strict):
    schema_help = "De regels van de budgetplafonds, elk met bron."

    turnover_threshold_eur: Sourced = Field(description="Alleen een plafond voor aanbieders met een omzet boven dit bedrag")
    turnover_basis: Sourced = Field(description="'budget': wat de regio dat jaar onder de Jeugdwet bij de "
                                                "aanbieder uitgeeft; 'register': annual_turnover_eur in providers.yaml")
    law: Sourced = Field(description="Alleen aanbieders van zorg onder deze wet")
    contracts: Sourced = Field(description="De percelen waarin een plafond kan gelden")
    signal_share: Sourced = Field(description="Bij deze uitputting informeert de gemeente de aanbieder")
    new_intake_share: Sourced = Field(description="Aandeel van de uitgaven van een maand dat nieuwe instroom is (de "
                                                  "rest: lopende zorg)")
    client_stop_at_ceiling: Sourced = Field(description="true: nieuwe instroom wordt boven het plafond niet betaald")
    announce_months_before: Sourced = Field(description="Producten met een plafond worden zoveel maanden vooraf bekendgemaakt")
    amounts_known_by: Sourced = Field(description="MM-DD in het jaar ervoor: dan kennen aanbieders de plafondbedragen")

    @model_validator(mode="after")
    def _values(self) -> CeilingRules:
        checks = [
            ("turnover_threshold_eur", lambda v: _number(v) and v >= 0, "een bedrag in euro"),
            ("turnover_basis", lambda v: v in ("budget", "register"), "budget of register"),
            ("law", lambda v: v in ("Jeugdwet", "Wmo"), "Jeugdwet of Wmo"),
            ("contracts", lambda v: isinstance(v, list) and v and all(isinstance(x, str) for x in v),
             "een lijst van contractsleutels"),
            ("signal_share", lambda v: _number(v) and 0 < v <= 1, "een fractie (70% = 0.70)"),
            ("new_intake_share", lambda v: _number(v) and 0 <= v <= 1, "een fractie"),
            ("client_stop_at_ceiling", lambda v: isinstance(v, bool), "true of false"),
            ("announce_months_before", lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 24,
             "een aantal maanden"),
            ("amounts_known_by", lambda v: isinstance(v, str) and _month_day_ok(v), "MM-DD"),
        ]
        for name, ok, what in checks:
            if not ok(getattr(self, name).value):
                raise ValueError(f"{name}: {getattr(self, name).value!r} is geen {what}")
        return self


def _number(v: Any) -> bool:
    return isinstance(v, int | Decimal) and not isinstance(v, bool)


def _month_day_ok(v: str) -> bool:
    try:
        month, day = (int(x) for x in v.split("-"))
        dt.date(2001, month, day)
    except ValueError:
        return False
    return True


class Ceiling(Provenance):
    schema_help = "Het budgetplafond van één aanbieder in één jaar."

    provider: Key
    year: int = Field(ge=2000, le=2100)
    amount_eur: PositiveNumber
    contracts: list[Key] | None = Field(None, description="Standaard: elk plafondperceel van de aanbieder")
    turnover_eur: Amount | None = Field(None, description="Omzet voor de toets of een plafond geldt (bij de basis 'register')")
    announced_on: dt.date | None = Field(None, description="Wanneer de producten met een plafond bekendgemaakt zijn")
    amount_known_on: dt.date | None = Field(None, description="Wanneer het plafondbedrag bekendgemaakt is")


class CeilingsFile(Strict):
    schema_help = "parameters/budget_ceilings.yaml: budgetplafonds per aanbieder en jaar, en hun regels."

    description: str
    rules: CeilingRules
    ceilings: list[Ceiling] = Field(default_factory=list)


# --------------------------------------------------------------------------- arrangements


class Intensity(Strict):
    schema_help = "Een intensiteit binnen een arrangementgroep."

    key: Key
    label: str
    tariff_form: Literal["monthly", "trajectory"] | None = Field(None, description="Standaard: de tariefvorm van de groep")
    months: PositiveNumber | None = Field(None, description="Gebruikelijke duur van een traject (ter informatie)")


class ArrangementProfile(Strict):
    schema_help = "Een ondersteuningsprofiel: personele inzet en verwachte uren per intensiteit."

    key: Key
    label: str
    staffing: dict[Key, Fraction] = Field(min_length=1)
    hours: dict[Key, PositiveNumber] = Field(
        min_length=1, description="intensiteit -> verwachte directe uren per traject (of per maand)")

    @model_validator(mode="after")
    def _shares(self) -> ArrangementProfile:
        total = sum(self.staffing.values(), Decimal(0))
        if total != 1:
            raise ValueError(f"de aandelen in staffing tellen op tot {total}, niet tot 1")
        return self


class ArrangementGroup(Strict):
    schema_help = "Een groep arrangementen (ondersteuningsprofiel x intensiteit) met één cao en productiviteit."

    key: Key
    label: str
    law: Literal["Jeugdwet", "Wmo"]
    cao: Key = Field(description="De cao van het ene vaste (gemiddelde) tarief per arrangement [002:433]")
    productivity_norm: Key
    client_costs: list[Key] = Field(default_factory=list)
    no_show: bool = False
    tariff_form: Literal["monthly", "trajectory"]
    intensities: list[Intensity] = Field(min_length=1)
    profiles: list[ArrangementProfile] = Field(min_length=1)
    provenance: Provenance


class PaymentSchedule(Provenance):
    schema_help = "Het betaalschema van een traject: deel bij de start, deel bij afronding."

    start_share: Fraction
    completion_share: Fraction
    completion_paid_on: list[Key] = Field(min_length=1, description="Uitkomsten waarbij het laatste deel betaald wordt")
    completion_withheld_on: list[Key] = Field(min_length=1, description="Uitkomsten waarbij het niet betaald wordt")
    outcome_labels: dict[Key, str] = Field(default_factory=dict)
    reference_dropout: Fraction | None = Field(None, description="Het uitvalpercentage waarop de verdeling gebaseerd is")

    @model_validator(mode="after")
    def _split(self) -> PaymentSchedule:
        if self.start_share + self.completion_share != 1:
            raise ValueError(f"start_share + completion_share = {self.start_share + self.completion_share}, niet 1")
        both = set(self.completion_paid_on) & set(self.completion_withheld_on)
        if both:
            raise ValueError(f"uitkomst(en) {', '.join(sorted(both))} zowel betaald als ingehouden")
        return self


class ArrangementsFile(Strict):
    schema_help = ("parameters/arrangements.yaml: arrangementen (ondersteuningsprofiel x intensiteit) en hun "
                   "betaalschema.")

    description: str
    payment_schedule: PaymentSchedule
    groups: list[ArrangementGroup] = Field(min_length=1)


# --------------------------------------------------------------------------- lump sums


class HoursItem(Strict):
    schema_help = "Eén post personele uren van een lumpsum."

    label: str
    count: PositiveNumber = Field(description="Hoeveel (overleggen, aanbieders, ...) per jaar")
    hours: PositiveNumber = Field(description="Personele uren per keer")


class AllocationKey(Strict):
    schema_help = "Een verdeelsleutel over de gemeenten: naar inwoners, jeugdigen, gebruik of vaste aandelen."

    label: str
    basis: Literal["inhabitants", "youths", "use", "shares"]
    shares: dict[Key, Fraction] | None = None
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _shares(self) -> AllocationKey:
        if (self.basis == "shares") != (self.shares is not None):
            raise ValueError("geef shares dan en slechts dan als basis shares is")
        if self.shares is not None and sum(self.shares.values(), Decimal(0)) != 1:
            raise ValueError("de aandelen in shares tellen niet op tot 1")
        return self


class LumpSum(Provenance):
    """A lump sum, availability funding or task budget: an amount per year, not a unit tariff (LUMP-01)."""

    schema_help = ("Een lumpsum, beschikbaarheidsfinanciering of taakbudget: een bedrag per jaar, geen tarief per "
                   "eenheid (LUMP-01).")

    key: Key
    label: str
    contract: Key
    kind: Literal["hours", "availability", "fixed"]
    cao: Key | None = None
    staffing: dict[Key, Fraction] | None = None
    productivity_norm: Key | None = None
    irregular_hours_profile: dict[OrtSlot, Fraction] | None = None
    client_costs: list[Key] = Field(default_factory=list)
    hours: list[HoursItem] = Field(default_factory=list)
    places: PositiveNumber | None = None
    staff_hours_per_day: PositiveNumber | None = None
    days_per_year: PositiveNumber = Decimal(365)
    accommodation: Key | None = Field(None, description="Cliëntgebonden kosten van soort per_place_year, betaald per plaats")
    amount_eur: Amount | None = None
    recipients: list[Key] = Field(default_factory=list, description="Aanbieders die betaald worden, in gelijke delen")
    area: list[Key] | None = Field(None, description="Gemeenten die de kosten delen (standaard: alle)")
    allocation_key: Key
    first_year: int | None = Field(None, ge=2000, le=2100, description="Betaald vanaf dit jaar (standaard: elk jaar)")

    @model_validator(mode="after")
    def _kind(self) -> LumpSum:
        need = {"hours": ("cao", "staffing", "productivity_norm", "hours"),
                "availability": ("cao", "staffing", "productivity_norm", "places", "staff_hours_per_day"),
                "fixed": ("amount_eur",)}[self.kind]
        missing = [k for k in need if not getattr(self, k)]
        if missing:
            raise ValueError(f"soort {self.kind} heeft {', '.join(missing)} nodig")
        if self.kind == "fixed" and (self.staffing or self.hours or self.places):
            raise ValueError("een vaste lumpsum heeft een bedrag, geen staffing, hours of places")
        if self.kind != "fixed" and self.amount_eur is not None:
            raise ValueError(f"een lumpsum van soort {self.kind} wordt uit de personele inzet berekend: geen amount_eur")
        if self.staffing is not None and sum(self.staffing.values(), Decimal(0)) != 1:
            raise ValueError("de aandelen in staffing tellen niet op tot 1")
        return self


class LumpSumsFile(Strict):
    schema_help = "parameters/lump_sums.yaml: lumpsums, beschikbaarheidsfinanciering, taakbudgetten en verdeelsleutels."

    description: str
    allocation_keys: dict[Key, AllocationKey] = Field(min_length=1)
    lump_sums: list[LumpSum] = Field(min_length=1)


# --------------------------------------------------------------------------- sensitivity


class Distribution(Strict):
    schema_help = "Een kansverdeling voor Monte Carlo."

    name: str = Field(description="Een continue kansverdeling uit scipy.stats (norm, uniform, triang, lognorm, ...)")
    params: dict[str, Decimal] = Field(default_factory=dict, description="Haar parameters (loc, scale, c, ...)")


class SensitivityParam(Strict):
    schema_help = "Een parameter in de gevoeligheidsanalyse: bandbreedte en eventueel kansverdeling."

    key: Key
    label: str
    paths: list[str] = Field(min_length=1, description="Parameterpaden die samen bewegen (naar verhouding van het eerste)")
    low: Decimal | None = None
    high: Decimal | None = None
    relative: Fraction | None = Field(None, description="In plaats van low/high: centrale waarde x (1 -/+ relative)")
    distribution: Distribution | None = Field(None, description="Voor Monte Carlo, in de eenheid van het eerste pad")
    source: str = Field(min_length=3)
    assumption: bool = False

    @model_validator(mode="after")
    def _range(self) -> SensitivityParam:
        absolute = self.low is not None or self.high is not None
        if absolute == (self.relative is not None):
            raise ValueError("geef low en high, of relative")
        if absolute and (self.low is None or self.high is None or self.low > self.high):
            raise ValueError("low en high allebei, met low <= high")
        return self


class SensitivityFile(Strict):
    schema_help = "parameters/sensitivity.yaml: bandbreedtes en verdelingen voor het tornadodiagram en Monte Carlo."

    description: str
    default_relative_range: Fraction = Field(description="Bandbreedte in het tornadodiagram van parameters die hier "
                                                         "niet staan: centrale waarde x (1 -/+ r)")
    parameters: list[SensitivityParam] = Field(default_factory=list)
