"""VAT: the rate of the country where the car charged, from the table, on the session's day;
reverse charge (AE, never Z) between businesses in two EU countries."""

from datetime import date
from decimal import Decimal

import pytest

from billing.invoices import services
from billing.invoices.models import VatRate
from billing.invoices.snapshot import TaxCategory, snapshot_from_json
from tests.billing.invoices.conftest import cdr_document, driver_account_for

OCTOBER = services.period_parse("2026-10")


def billed(account) -> tuple:
    result = services.account_bill(account=account, period=OCTOBER)
    [invoice] = result.documents
    return snapshot_from_json(invoice.snapshot), result.held_back


@pytest.mark.parametrize(
    ("country", "alpha2", "rate"),
    [("DEU", "DE", "19"), ("FRA", "FR", "20"), ("NLD", "NL", "21"), ("BEL", "BE", "21"),
     ("AUT", "AT", "20"), ("ITA", "IT", "22"), ("HUN", "HU", "27"), ("LUX", "LU", "17")],
)  # fmt: skip
def test_a_driver_pays_the_vat_of_the_charging_country(
    driver_account, store_cdr, country, alpha2, rate
):
    store_cdr(cdr_document("CDR1", country=country))

    snapshot, _ = billed(driver_account)

    [line] = snapshot.lines
    assert (line.tax_category, line.tax_rate) == (TaxCategory.STANDARD, Decimal(rate))
    assert line.charging_country == alpha2
    assert line.tax == (line.net * Decimal(rate) / 100).quantize(Decimal("0.01"))
    assert line.net + line.tax == line.gross


def test_one_invoice_with_two_countries_has_a_tax_row_per_rate(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1", country="DEU"))
    store_cdr(cdr_document("CDR2", country="NLD", start="2026-10-15T10:00:00Z"))
    store_cdr(cdr_document("CDR3", country="BEL", start="2026-10-16T10:00:00Z"))

    snapshot, _ = billed(driver_account)

    rows = {(row.category, row.rate): row for row in snapshot.tax_summary}
    assert set(rows) == {("S", Decimal("21")), ("S", Decimal("19"))}
    assert rows[("S", Decimal("21"))].taxable == snapshot.lines[1].net + snapshot.lines[2].net
    assert snapshot.total_net + snapshot.total_tax == snapshot.total_gross


def test_a_new_rate_applies_from_its_day_on(driver_account, store_cdr):
    VatRate.objects.create(country="DE", valid_from=date(2026, 10, 15), rate=Decimal("16"))
    store_cdr(cdr_document("BEFORE", start="2026-10-14T10:00:00Z"))
    store_cdr(cdr_document("AFTER", start="2026-10-15T10:00:00Z"))

    snapshot, _ = billed(driver_account)

    assert [line.tax_rate for line in snapshot.lines] == [Decimal("19"), Decimal("16")]


def test_a_cdr_from_a_country_without_a_rate_is_held_back(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1", country="DEU"))
    store_cdr(cdr_document("FAR", country="USA", start="2026-10-15T10:00:00Z"))

    snapshot, held_back = billed(driver_account)

    assert [line.cdr_id for line in snapshot.lines] == ["CDR1"]
    assert held_back == [
        {"cdr_id": "FAR", "reason": "no VAT rate for country (unknown) on 2026-10-15"}
    ]


def test_a_fleet_in_another_eu_country_with_a_vat_id_is_reverse_charged(emsp_issuer, store_cdr):
    fleet = driver_account_for(
        emsp_issuer, name="Fleet SA", country="BE", vat_id="BE0123456789", city="Brussels"
    )
    store_cdr(cdr_document("CDR1", country="DEU"))

    snapshot, _ = billed(fleet)

    [line] = snapshot.lines
    assert (line.tax_category, line.tax_rate, line.tax) == ("AE", Decimal(0), Decimal(0))
    assert line.exemption_code == "VATEX-EU-AE"
    [row] = snapshot.tax_summary
    assert row.category == TaxCategory.REVERSE_CHARGE != TaxCategory.ZERO_RATED
    assert any("Reverse charge" in note for note in snapshot.notes)


def test_a_fleet_in_our_own_country_pays_vat(emsp_issuer, store_cdr):
    fleet = driver_account_for(emsp_issuer, name="Fleet BV", country="NL", vat_id="NL999999999B01")
    store_cdr(cdr_document("CDR1", country="NLD"))

    snapshot, _ = billed(fleet)

    assert snapshot.lines[0].tax_category == TaxCategory.STANDARD
