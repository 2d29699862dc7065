"""The verdict on a partner's price, on plain CDR documents."""

from decimal import Decimal

from billing.cdr_pricing.verdict import compare
from billing.models import PricedCdr
from billing.money import minor_unit

Verdict = PricedCdr.Verdict


def cdr(total_cost, **dimension_totals):
    return {"currency": "EUR", "total_cost": total_cost, **dimension_totals}


OURS = {
    "total_cost": {"excl_vat": Decimal("4.0040"), "incl_vat": Decimal("4.8448")},
    "total_energy_cost": {"excl_vat": Decimal("3.0040"), "incl_vat": Decimal("3.6348")},
    "total_time_cost": {"excl_vat": Decimal("1.0000"), "incl_vat": Decimal("1.2100")},
}


def test_a_partner_rounding_to_cents_matches():
    result = compare(cdr({"excl_vat": 4.00, "incl_vat": 4.84}), OURS, "EUR")

    assert result.verdict == Verdict.MATCH
    assert result.difference_excl_vat == Decimal("-0.0040")
    assert result.differing_dimensions == []


def test_a_cent_more_incl_vat_is_a_mismatch():
    result = compare(cdr({"excl_vat": 4.00, "incl_vat": 4.86}), OURS, "EUR")

    assert result.verdict == Verdict.MISMATCH
    assert result.difference_incl_vat == Decimal("0.0152")


def test_a_mismatch_names_the_dimensions_that_differ():
    partner = cdr(
        {"excl_vat": 5.00, "incl_vat": 6.05},
        total_energy_cost={"excl_vat": 3.00, "incl_vat": 3.63},
        total_time_cost={"excl_vat": 2.00, "incl_vat": 2.42},
        total_parking_cost={"excl_vat": 0.50, "incl_vat": 0.605},
    )

    result = compare(partner, OURS, "EUR")

    assert result.verdict == Verdict.MISMATCH
    assert result.difference_excl_vat == Decimal("0.9960")
    # energy agrees; time is 1.00 more; parking is charged by them and not by us
    assert result.differing_dimensions == ["total_time_cost", "total_parking_cost"]


def test_dimensions_the_partner_leaves_out_are_not_compared():
    result = compare(cdr({"excl_vat": 4.004}), OURS, "EUR")

    assert result.verdict == Verdict.MATCH
    assert result.difference_incl_vat is None


def test_the_tolerance_is_the_currency_minor_unit():
    assert minor_unit("EUR") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal("1")
    assert minor_unit("KWD") == Decimal("0.001")
    ours = {"total_cost": {"excl_vat": Decimal("400.4"), "incl_vat": Decimal("440.44")}}

    assert compare(cdr({"excl_vat": 400, "incl_vat": 440}), ours, "JPY").verdict == Verdict.MATCH
