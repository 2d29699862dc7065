"""The driver's price for a CDR, derived from the CPO's cost by the driver's contract."""

from dataclasses import dataclass, replace
from decimal import Decimal

from billing.money import HUNDRED, round_minor


@dataclass(frozen=True)
class DriverQuote:
    method: str
    currency: str
    excl_vat: Decimal
    incl_vat: Decimal
    vat_rate: Decimal
    explanation: str

    def credited(self) -> "DriverQuote":
        """The same price given back: what a credit CDR means for the driver."""
        return replace(
            self,
            excl_vat=-self.excl_vat,
            incl_vat=-self.incl_vat,
            explanation=f"Credit of: {self.explanation}",
        )


def quote(
    *, method: str, currency: str, excl_vat: Decimal, vat_rate: Decimal, explanation: str
) -> DriverQuote:
    """A driver line rounded as an invoice line is: net and VAT to the minor unit, net + VAT."""
    net = round_minor(excl_vat, currency)
    vat = round_minor(net * vat_rate / HUNDRED, currency)
    return DriverQuote(method, currency, net, net + vat, vat_rate, explanation)


def markup_quote(
    *,
    cpo_cost_excl_vat: Decimal,
    currency: str,
    markup_percent: Decimal,
    session_fee: Decimal,
    vat_rate: Decimal,
) -> DriverQuote:
    """CPO cost excl. VAT, plus the markup percentage, plus the per-session fee; then VAT."""
    excl_vat = cpo_cost_excl_vat * (1 + markup_percent / HUNDRED) + session_fee
    return quote(
        method="MARKUP",
        currency=currency,
        excl_vat=excl_vat,
        vat_rate=vat_rate,
        explanation=(
            f"CPO cost {cpo_cost_excl_vat} {currency} excl. VAT + {markup_percent}% "
            f"+ session fee {session_fee} {currency}, VAT {vat_rate}%"
        ),
    )


def tariff_quote(
    *, tariff_cost_excl_vat: Decimal, currency: str, tariff_id: str, vat_rate: Decimal
) -> DriverQuote:
    """The CDR priced with our eMSP tariff; VAT at the contract's rate (one rate per invoice)."""
    return quote(
        method="TARIFF",
        currency=currency,
        excl_vat=tariff_cost_excl_vat,
        vat_rate=vat_rate,
        explanation=(
            f"eMSP tariff {tariff_id}: {tariff_cost_excl_vat} {currency} excl. VAT, VAT {vat_rate}%"
        ),
    )
