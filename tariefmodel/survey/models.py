"""One respondent's answers, as read from a questionnaire and stored in the survey folder.

Amounts and hours are exact ``Decimal`` (stored as strings, so a file round-trips
without float noise). The respondent id is a pseudonym: a hash of the KvK number,
so a re-submission by the same provider becomes a new version of the same respondent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any

FORMAT = "tariefmodel-kostprijsonderzoek-antwoord/1"


def respondent_id(kvk: str) -> str:
    """The pseudonym of a respondent: the first 16 hex digits of SHA-256 over its KvK number."""
    return hashlib.sha256(f"kvk:{kvk}".encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class StaffRow:
    function: str
    scale: str
    step_low: int
    step_avg: Decimal
    step_high: int
    fte: Decimal
    salary: Decimal
    wages: Decimal
    charges: Decimal


@dataclass(frozen=True, slots=True)
class Hours:
    contract: Decimal
    leave: Decimal
    sickness: Decimal
    training: Decimal
    indirect: Decimal
    direct: Decimal


@dataclass(frozen=True, slots=True)
class Costs:
    total: Decimal
    overhead: Decimal
    accommodation: Decimal
    travel: Decimal


@dataclass(frozen=True, slots=True)
class ProductRow:
    code: str
    unit: str
    volume: Decimal
    group_size: Decimal
    staff_hours: Decimal
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class Response:
    """The answers of one questionnaire (one respondent, one year)."""

    name: str
    kvk: str
    cao: str
    employees: int
    turnover: Decimal
    balance: Decimal
    micro: bool
    year: int
    staff: tuple[StaffRow, ...]
    hours: Hours
    costs: Costs
    products: tuple[ProductRow, ...]

    @property
    def respondent(self) -> str:
        return respondent_id(self.kvk)

    @property
    def wages(self) -> Decimal:
        return sum((s.wages for s in self.staff), Decimal(0))

    @property
    def charges(self) -> Decimal:
        return sum((s.charges for s in self.staff), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Response:
        return cls(
            name=d["name"], kvk=d["kvk"], cao=d["cao"], employees=int(d["employees"]), turnover=Decimal(d["turnover"]),
            balance=Decimal(d["balance"]), micro=bool(d["micro"]), year=int(d["year"]),
            staff=tuple(_make(StaffRow, s) for s in d["staff"]), hours=_make(Hours, d["hours"]),
            costs=_make(Costs, d["costs"]), products=tuple(_make(ProductRow, p) for p in d["products"]),
        )

    def content_hash(self) -> str:
        """SHA-256 of the answers in canonical JSON: the same answers give the same hash."""
        return hashlib.sha256(canonical_json(self.to_dict())).hexdigest()


def _make(cls: Any, d: dict[str, Any]) -> Any:
    kinds = {f.name: f.type for f in fields(cls)}
    out = {}
    for name, kind in kinds.items():
        v = d[name]
        out[name] = Decimal(v) if kind == "Decimal" else int(v) if kind == "int" else v
    return cls(**out)


def _plain(x: Any) -> Any:
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    return x


def canonical_json(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored version of a respondent's answers."""

    respondent: str
    version: int
    content_sha256: str
    response: Response
    warnings: tuple[tuple[str, str], ...]  # (kind, message)
    file: str  # relative to the data folder
