"""OCPI's cardinality rule: a list field that is empty, `null` or absent means the same.

Each test prices the same CDR three ways, with one list written as `[]`, as `null` and left
out, and expects one and the same result.
"""

import pytest

from billing.pricing import price_cdr
from tests.support.engine import D, cdr, codes, element, energy, flat, period, price, tariff

EMPTY, NULL, ABSENT = "empty", "null", "absent"
FORMS = [EMPTY, NULL, ABSENT]


def written(document: dict, key: str, form: str) -> dict:
    """`document` with its list `key` written in one of the three forms."""
    document = dict(document)
    if form == EMPTY:
        document[key] = []
    elif form == NULL:
        document[key] = None
    else:
        document.pop(key, None)
    return document


ONE_HOUR = cdr(period("2024-01-10T10:00:00Z", energy=10), end="2024-01-10T11:00:00Z")


@pytest.mark.parametrize("form", FORMS)
def test_no_days_of_the_week_restrict_nothing(form):
    restricted = element(energy("0.25"), day_of_week=["MONDAY"])
    restricted["restrictions"] = written(restricted["restrictions"], "day_of_week", form)
    weekday_tariff = tariff(restricted, element(energy("0.50")))

    priced = price(ONE_HOUR, weekday_tariff)  # a Wednesday

    assert priced.total_energy_cost.excl_vat == D("2.50")
    assert "NO_MATCHING_ELEMENT" not in codes(priced)


@pytest.mark.parametrize("form", FORMS)
def test_a_tariff_without_elements_prices_nothing(form):
    priced = price(ONE_HOUR, written(tariff(), "elements", form))

    assert priced.total_cost.excl_vat == D(0)
    assert priced.breakdown == ()


@pytest.mark.parametrize("form", FORMS)
def test_an_element_without_price_components_prices_nothing(form):
    bare = written(element(), "price_components", form)
    with_fee = tariff(bare, element(flat("1.00")), element(energy("0.30")))

    priced = price(ONE_HOUR, with_fee)

    assert priced.total_fixed_cost.excl_vat == D("1.00")
    assert priced.total_energy_cost.excl_vat == D("3.00")


@pytest.mark.parametrize("form", FORMS)
def test_a_cdr_without_tariffs_is_not_priced(form):
    priced = price_cdr(written(ONE_HOUR, "tariffs", form), tz="UTC")

    assert priced.total_cost.excl_vat == D(0)
    assert "NO_TARIFF" in codes(priced)


@pytest.mark.parametrize("form", FORMS)
def test_a_cdr_without_charging_periods_has_nothing_to_price(form):
    session = written(ONE_HOUR, "charging_periods", form)
    session["start_date_time"] = "2024-01-10T10:00:00Z"

    priced = price(session, tariff(element(energy("0.30"))))

    assert priced.total_cost.excl_vat == D(0)
    assert "NO_CHARGING_PERIODS" in codes(priced)


@pytest.mark.parametrize("form", FORMS)
def test_a_period_without_dimensions_has_no_volumes(form):
    quiet = written(period("2024-01-10T10:00:00Z"), "dimensions", form)
    session = cdr(quiet, end="2024-01-10T11:00:00Z")

    priced = price(session, tariff(element(energy("0.30"))), derive_charging_time=False)

    assert priced.total_energy.is_zero()
    assert priced.total_cost.excl_vat == D(0)
