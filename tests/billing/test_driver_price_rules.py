"""The driver's price rules: markup and eMSP tariff, rounded as an invoice line."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.cdr_pricing.driver import markup_quote, tariff_quote
from billing.models import DriverContract


def test_markup_adds_percentage_and_session_fee_then_vat():
    quote = markup_quote(
        cpo_cost_excl_vat=Decimal("10.0000"),
        currency="EUR",
        markup_percent=Decimal("15"),
        session_fee=Decimal("0.35"),
        vat_rate=Decimal("21"),
    )

    assert (quote.excl_vat, quote.incl_vat) == (Decimal("11.85"), Decimal("14.34"))
    assert quote.method == "MARKUP"
    assert "15%" in quote.explanation and "0.35" in quote.explanation


def test_driver_amounts_are_rounded_half_up_to_cents_and_net_plus_vat_is_gross():
    quote = markup_quote(
        cpo_cost_excl_vat=Decimal("1.2345"),
        currency="EUR",
        markup_percent=Decimal("10"),
        session_fee=Decimal("0"),
        vat_rate=Decimal("19"),
    )

    # 1.35795 -> 1.36; VAT 0.2584 -> 0.26
    assert (quote.excl_vat, quote.incl_vat) == (Decimal("1.36"), Decimal("1.62"))


def test_tariff_quote_applies_the_contract_vat_rate():
    quote = tariff_quote(
        tariff_cost_excl_vat=Decimal("7.4950"),
        currency="EUR",
        tariff_id="DRIVER-FLEX",
        vat_rate=Decimal("21"),
    )

    assert (quote.excl_vat, quote.incl_vat, quote.method) == (
        Decimal("7.50"),
        Decimal("9.08"),
        "TARIFF",
    )


@pytest.mark.parametrize(
    "tariff",
    [None, {"id": "NO-CURRENCY", "elements": []}, {"id": "BAD", "currency": "EUR", "elements": 3}],
)
def test_a_tariff_contract_needs_a_usable_tariff(tariff):
    contract = DriverContract(
        contract_id="NL-TME-C1", name="Frank", method=DriverContract.Method.TARIFF, tariff=tariff
    )

    with pytest.raises(ValidationError) as error:
        contract.clean()

    assert "tariff" in error.value.message_dict
