"""Which VAT a document line carries.

Charging is a supply of electricity, taxed where the car charged: a driver who charged in
Germany pays German VAT on that session, whatever country their contract is in. The rate comes
from the editable table `VatRate` (country, valid from), on the day the session ended.

Between businesses in two different EU countries, where the buyer has a VAT id, the buyer
accounts for the VAT (reverse charge): EN 16931 category AE, rate 0, VATEX-EU-AE, and the
legal note on the document. A 0 % reverse charge is never written as Z (zero rated).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing.invoices.models import VatRate
from billing.invoices.snapshot import TaxCategory
from billing.money import round_minor

HUNDRED = Decimal(100)
REVERSE_CHARGE_NOTE = (
    "Reverse charge: VAT to be accounted for by the recipient (Art. 196 VAT Directive)"
)
REVERSE_CHARGE_CODE = "VATEX-EU-AE"

# ISO 3166-1 alpha-3 (as OCPI locations state the country) -> alpha-2 (as VAT ids and EN 16931).
ALPHA2 = {
    "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK",
    "EST": "EE", "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR", "HUN": "HU", "IRL": "IE",
    "ITA": "IT", "LVA": "LV", "LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL",
    "PRT": "PT", "ROU": "RO", "SVK": "SK", "SVN": "SI", "ESP": "ES", "SWE": "SE",
    "ISL": "IS", "LIE": "LI", "NOR": "NO", "GBR": "GB", "CHE": "CH", "AND": "AD", "MCO": "MC",
    "SMR": "SM",
}  # fmt: skip
EU_COUNTRIES = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
) | frozenset(("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"))


class NoVatRate(LookupError):
    """No VAT rate is known for a country on a day; the message says which."""


@dataclass(frozen=True)
class TaxRule:
    category: str  # a TaxCategory
    rate: Decimal  # percent
    exemption_reason: str = ""
    exemption_code: str = ""

    def amounts(self, net: Decimal, currency: str) -> tuple[Decimal, Decimal, Decimal]:
        """(net, tax, gross) of a line: each rounded half-up to the minor unit, net + tax."""
        net = round_minor(net, currency)
        tax = round_minor(net * self.rate / HUNDRED, currency)
        return net, tax, net + tax


REVERSE_CHARGE = TaxRule(
    TaxCategory.REVERSE_CHARGE, Decimal(0), REVERSE_CHARGE_NOTE, REVERSE_CHARGE_CODE
)


def country_alpha2(country: object) -> str:
    """An OCPI location's country (alpha-3; alpha-2 tolerated) as alpha-2; "" if unknown."""
    text = str(country or "").strip().upper()
    if len(text) == 2:
        return text
    return ALPHA2.get(text, "")


class VatRates:
    """The VAT table as one document's lines read it: each country's rows are fetched once,
    not once per line."""

    def __init__(self):
        self._rows: dict[str, list[VatRate]] = {}

    def at(self, *, country: str, on: date) -> TaxRule:
        """The country's VAT on charging on that day; raises NoVatRate."""
        country = country.upper()
        if country not in self._rows:
            self._rows[country] = list(
                VatRate.objects.filter(country=country).order_by("-valid_from")
            )
        row = next((row for row in self._rows[country] if row.valid_from <= on), None)
        if row is None:
            raise NoVatRate(f"no VAT rate for country {country or '(unknown)'} on {on}")
        return TaxRule(row.category, row.rate, row.exemption_reason)


def is_reverse_charge(*, seller_country: str, buyer_country: str, buyer_vat_id: str) -> bool:
    """A business buyer with a VAT id in another EU country than the seller's."""
    seller, buyer = seller_country.upper(), buyer_country.upper()
    return bool(buyer_vat_id) and seller != buyer and {seller, buyer} <= EU_COUNTRIES


def tax_rule(
    *,
    charging_country: str,
    on: date,
    seller_country: str,
    buyer_country: str,
    buyer_vat_id: str,
    rates: VatRates | None = None,
) -> TaxRule:
    """The VAT of a line: reverse charge between EU businesses, else the charging country's
    (looked up in `rates`, if given, which keeps the table's rows for the next line)."""
    if is_reverse_charge(
        seller_country=seller_country, buyer_country=buyer_country, buyer_vat_id=buyer_vat_id
    ):
        return REVERSE_CHARGE
    return (rates or VatRates()).at(country=charging_country, on=on)
