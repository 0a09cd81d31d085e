"""Arrangements: support profile x intensity, one fixed (average) tariff each (ARR-01..07).

West-Friesland buys support profiles in combination with an intensity: ``ondersteuningsprofiel
x intensiteit = arrangement`` [002:265], each with "één vast (gemiddeld) tarief" [002:433];
higher intensity, higher tariff; a fixed monthly tariff for durable trajectories (mainly Wmo)
and a fixed trajectory tariff for short ones (mainly youth) [002:471]. A trajectory tariff
may be paid 70% at the start and 30% after completion, the last part withheld when the
trajectory ends early and one-sidedly (dropout), or the client moves or dies [002:487-489].

The tariff is built from the expected direct hours and a staffing mix: the hour price of
that mix through the engine (cost per productive hour of each function profile under the
arrangement's CAO, client costs per staff hour, overhead, no-show, profit and risk), times
the expected hours, rounded once to cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import ONE, excel_round
from tariefmodel.data.region import BookProduct, Region
from tariefmodel.engine.pricing import Pricer, Tariff
from tariefmodel.loader.inputs import ARRANGEMENTS


@dataclass(frozen=True)
class ArrangementPrice:
    group: str
    profile: str
    profile_label: str
    intensity: str
    intensity_label: str
    law: str
    cao: str
    form: str  # monthly | trajectory
    hours: Decimal  # expected direct hours per trajectory (or per month)
    hour_price: Tariff  # the build-up of one direct hour (unrounded)
    tariff: Decimal  # rounded to cents
    start_payment: Decimal | None  # trajectory: paid at the start
    completion_payment: Decimal | None  # trajectory: paid after completion, unless withheld
    expected_payment: Decimal | None  # trajectory: at the schedule's reference dropout rate

    @property
    def code(self) -> str:
        return f"{self.group}-{self.profile}-{self.intensity}"


def instalments(tariff: Decimal, schedule: Any) -> tuple[Decimal, Decimal]:
    """(start, completion): the start part rounded to cents, the completion part the rest, so they add up."""
    start = excel_round(tariff * schedule.start_share, 2)
    return start, tariff - start


def payment(tariff: Decimal, schedule: Any, outcome: str) -> Decimal:
    """What is paid for a trajectory that ends with ``outcome`` (afgerond, uitval, verhuizing, overlijden)."""
    start, completion = instalments(tariff, schedule)
    if outcome in schedule.completion_paid_on:
        return start + completion
    if outcome in schedule.completion_withheld_on:
        return start
    known = ", ".join([*schedule.completion_paid_on, *schedule.completion_withheld_on])
    raise ValueError(f"uitkomst {outcome!r} bestaat niet (uitkomsten: {known})")


def expected_payment(tariff: Decimal, schedule: Any, dropout: Decimal) -> Decimal:
    """Expected payment per trajectory if a share ``dropout`` ends without the last part being paid."""
    start, completion = instalments(tariff, schedule)
    return start + completion * (ONE - dropout)


def _hour_product(region: Region, group: Any, profile: Any) -> BookProduct:
    template = region.products[0].product
    prod = template.model_copy(update={
        "code": "ARR", "category": "00", "name": f"{group.label}: {profile.label}", "law": group.law, "unit": "uur",
        "funding": "inspanningsgericht", "staffing": dict(profile.staffing), "staff_hours_per_unit": None,
        "group_size": Decimal(1), "productivity_norm": group.productivity_norm, "irregular_hours_rate": Decimal(0),
        "irregular_hours_profile": None, "client_costs": list(group.client_costs), "no_show": group.no_show,
        "caos": [group.cao], "provider_specific_allowed": False, "housing_included": False, "lighter_twin": None,
        "valid_from": None, "valid_until": None, "provenance": group.provenance})
    return BookProduct(prod, "arrangementen", ARRANGEMENTS, None)


def price_arrangements(region: Region, arrangements: Any, year: int) -> list[ArrangementPrice]:
    """Every arrangement of every group (profile x intensity) for a year."""
    pricer = Pricer(region, year)
    schedule = arrangements.payment_schedule
    out = []
    for group in arrangements.groups:
        for profile in group.profiles:
            hour = pricer.price(_hour_product(region, group, profile), group.cao)
            for intensity in group.intensities:
                hours = Decimal(profile.hours[intensity.key])
                form = intensity.tariff_form or group.tariff_form
                tariff = excel_round(hour.unrounded * hours, pricer.decimals)
                start = completion = expected = None
                if form == "trajectory":
                    start, completion = instalments(tariff, schedule)
                    if schedule.reference_dropout is not None:
                        expected = expected_payment(tariff, schedule, schedule.reference_dropout)
                out.append(ArrangementPrice(group.key, profile.key, profile.label, intensity.key, intensity.label,
                                            group.law, group.cao, form, hours, hour, tariff, start, completion,
                                            expected))
    return out
