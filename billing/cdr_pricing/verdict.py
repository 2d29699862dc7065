"""The verdict on a partner's price: our engine's totals against the CDR's own totals."""

from dataclasses import dataclass, field
from decimal import Decimal

from billing.models import PricedCdr
from billing.money import DIMENSION_TOTALS, ZERO, minor_unit, parse_decimal_lenient


def price_of(document: dict, total: str) -> tuple[Decimal | None, Decimal | None]:
    """A Price object (`excl_vat`, `incl_vat`) of a CDR-shaped document; (None, None) if absent."""
    price = document.get(total)
    if not isinstance(price, dict):
        return None, None
    return parse_decimal_lenient(price.get("excl_vat")), parse_decimal_lenient(
        price.get("incl_vat")
    )


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
    Verdict = PricedCdr.Verdict
    verdict = Verdict.MISMATCH if total_off or dimensions else Verdict.MATCH
    return Comparison(verdict, diff_excl, diff_incl, dimensions)
