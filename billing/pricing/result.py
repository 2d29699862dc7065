"""What pricing a CDR produces: exact totals, a breakdown, warnings, and their OCPI JSON.

These are plain (unfrozen) dataclasses because a frozen one costs several times more to
create, and pricing creates one per breakdown line; treat them as values all the same.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from json.encoder import encode_basestring

from billing.money import round_ocpi

from .tariff import PriceComponent

VOLUME_PLACES = Decimal("0.000001")  # breakdown volumes keep second/Wh-level detail
JSON_CONSTANTS = {None: "null", True: "true", False: "false"}


@dataclass(slots=True)
class Price:
    excl_vat: Decimal
    incl_vat: Decimal

    def rounded(self) -> dict:
        return {"excl_vat": round_ocpi(self.excl_vat), "incl_vat": round_ocpi(self.incl_vat)}


@dataclass(slots=True)
class Charge:
    """One line of the breakdown: a price component applied to a volume in one period."""

    period_index: int
    dimension: str  # ENERGY, TIME, PARKING_TIME, RESERVATION_TIME or FLAT
    total: str  # the OCPI total this line adds to, e.g. "total_energy_cost"
    tariff_id: str | None
    element_index: int
    component: PriceComponent  # the one applied: type, price, vat, step_size, tax_included
    volume: Decimal  # kWh, hours, or 1 for FLAT
    cost: Price
    step_rounding: bool  # the surplus billed by rounding the session total up to step_size

    def to_dict(self) -> dict:
        return {
            "period": self.period_index,
            "dimension": self.dimension,
            "total": self.total,
            "tariff_id": self.tariff_id,
            "element_index": self.element_index,
            "price": self.component.price,
            "vat": self.component.vat,
            "tax_included": self.component.tax_included,
            "step_size": self.component.step_size,
            "volume": self.volume.quantize(VOLUME_PLACES, rounding=ROUND_HALF_UP),
            "cost": self.cost.rounded(),
            "step_rounding": self.step_rounding,
        }


@dataclass(slots=True)
class PricingWarning:
    code: str
    message: str
    period_index: int | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "period": self.period_index}


@dataclass(slots=True)
class PricedCdr:
    """A priced CDR. Values are exact; `to_dict`/`to_json` round them the OCPI way."""

    currency: str | None
    time_zone: str
    total_cost: Price
    total_fixed_cost: Price
    total_energy: Decimal  # kWh
    total_energy_cost: Price
    total_time: Decimal  # hours
    total_time_cost: Price
    total_parking_time: Decimal  # hours
    total_parking_cost: Price
    total_reservation_cost: Price
    cost_before_limits: Price  # the sum of all charges, before min_price/max_price
    breakdown: tuple[Charge, ...]
    warnings: tuple[PricingWarning, ...]

    def to_dict(self) -> dict:
        """OCPI-shaped totals rounded to 4 decimals, plus breakdown and warnings."""
        return {
            "currency": self.currency,
            "total_cost": self.total_cost.rounded(),
            "total_fixed_cost": self.total_fixed_cost.rounded(),
            "total_energy": round_ocpi(self.total_energy),
            "total_energy_cost": self.total_energy_cost.rounded(),
            "total_time": round_ocpi(self.total_time),
            "total_time_cost": self.total_time_cost.rounded(),
            "total_parking_time": round_ocpi(self.total_parking_time),
            "total_parking_cost": self.total_parking_cost.rounded(),
            "total_reservation_cost": self.total_reservation_cost.rounded(),
            "cost_before_limits": self.cost_before_limits.rounded(),
            "time_zone": self.time_zone,
            "breakdown": [charge.to_dict() for charge in self.breakdown],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }

    def to_json(self, indent: int | None = None) -> str:
        """`to_dict` as JSON text, with every Decimal written as a JSON number."""
        return dumps(self.to_dict(), indent)


def dumps(value: object, indent: int | None = None, depth: int = 0) -> str:
    """JSON text where Decimals stay exact numbers (the json module would need floats)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return JSON_CONSTANTS[value]
    if isinstance(value, int):
        return str(value)
    if indent is None:
        opening, separator, closing = "", ", ", ""
    else:
        opening = "\n" + " " * (indent * (depth + 1))
        separator = "," + opening
        closing = "\n" + " " * (indent * depth)
    if isinstance(value, dict):
        items = [
            f"{encode_basestring(key)}: {dumps(item, indent, depth + 1)}"
            for key, item in value.items()
        ]
        brackets = "{}"
    else:
        items = [dumps(item, indent, depth + 1) for item in value]
        brackets = "[]"
    if not items:
        return brackets
    return brackets[0] + opening + separator.join(items) + closing + brackets[1]
