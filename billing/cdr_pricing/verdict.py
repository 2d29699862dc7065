"""The verdict on a partner's price: our engine's totals against the CDR's own totals."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

# Cost totals a CDR may carry besides `total_cost`, compared when the partner sends them.
DIMENSION_TOTALS = (
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_fixed_cost",
    "total_reservation_cost",
)
COST_TOTALS = ("total_cost", *DIMENSION_TOTALS)
ZERO = Decimal(0)

# ISO 4217 currencies whose minor unit is not the cent.
_MINOR_UNIT_EXPONENT = {
    "BHD": 3, "CLP": 0, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "OMR": 3, "TND": 3,
    "UGX": 0, "VND": 0,
}  # fmt: skip


class Verdict:
    MATCH = "MATCH"
    MISMATCH = "MISMATCH"
    UNPRICEABLE = "UNPRICEABLE"

    choices = [(MATCH, "Match"), (MISMATCH, "Mismatch"), (UNPRICEABLE, "Unpriceable")]


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest unit: 0.01 EUR, 1 JPY, 0.001 KWD."""
    return Decimal(1).scaleb(-_MINOR_UNIT_EXPONENT.get((currency or "").upper(), 2))


def to_decimal(value) -> Decimal | None:
    """A JSON number (int, float, Decimal or numeric string) as an exact Decimal; None if absent."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def price_of(document: dict, total: str) -> tuple[Decimal | None, Decimal | None]:
    """A Price object (`excl_vat`, `incl_vat`) of a CDR-shaped document; (None, None) if absent."""
    price = document.get(total)
    if not isinstance(price, dict):
        return None, None
    return to_decimal(price.get("excl_vat")), to_decimal(price.get("incl_vat"))


@dataclass(frozen=True)
class Comparison:
    verdict: str
    # Partner's total minus ours; None when the partner sent no total to compare with.
    difference_excl_vat: Decimal | None = None
    difference_incl_vat: Decimal | None = None
    differing_dimensions: list[str] = field(default_factory=list)


def compare(partner: dict, ours: dict, currency: str) -> Comparison:
    """MATCH when every amount the partner states is within one minor unit of ours.

    `partner` is the CDR document (JSON numbers), `ours` our totals in the same shape as
    Decimals. A difference of a whole minor unit or more (0.01 EUR) is a mismatch; less is
    rounding. Only the cost totals the partner sends are compared (a missing dimension total is
    no claim); `incl_vat` is compared when both sides have it. A total of ours that is absent
    counts as zero.
    """
    tolerance = minor_unit(currency)

    def differs(total: str) -> tuple[bool, Decimal | None, Decimal | None]:
        their_excl, their_incl = price_of(partner, total)
        if their_excl is None:
            return False, None, None
        our = ours.get(total) or {}
        diff_excl = their_excl - our.get("excl_vat", ZERO)
        diff_incl = None
        if their_incl is not None:
            diff_incl = their_incl - our.get("incl_vat", ZERO)
        off = abs(diff_excl) >= tolerance or (diff_incl is not None and abs(diff_incl) >= tolerance)
        return off, diff_excl, diff_incl

    total_off, diff_excl, diff_incl = differs("total_cost")
    dimensions = [total for total in DIMENSION_TOTALS if differs(total)[0]]
    verdict = Verdict.MISMATCH if total_off or dimensions else Verdict.MATCH
    return Comparison(verdict, diff_excl, diff_incl, dimensions)
