"""Which tariff and which time zone price a CDR, the warnings, and unusable input."""

import pytest

from billing.pricing import PricingInputError, price_cdr
from tests.support.engine import D, cdr, codes, element, energy, period, price, tariff

CHEAP = tariff(element(energy("0.20")), id="CHEAP")
DEAR = tariff(element(energy("0.50")), id="DEAR")


def priced_by(priced) -> list:
    return [(charge.period_index, charge.tariff_id) for charge in priced.breakdown]


def test_a_period_tariff_id_selects_its_tariff():
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=10),
        period("2024-05-02T11:00:00Z", tariff_id="DEAR", energy=10),
        period("2024-05-02T12:00:00Z", tariff_id="CHEAP", energy=10),
        end="2024-05-02T13:00:00Z",
    )
    priced = price(session, CHEAP, DEAR)
    assert priced_by(priced) == [(0, "CHEAP"), (1, "DEAR"), (2, "CHEAP")]
    assert priced.total_energy_cost.excl_vat == D("9.00")


def test_an_unknown_tariff_id_falls_back_to_the_default_tariff_with_a_warning():
    session = cdr(
        period("2024-05-02T10:00:00Z", tariff_id="GONE", energy=10), end="2024-05-02T11:00:00Z"
    )
    priced = price(session, DEAR)
    assert priced_by(priced) == [(0, "DEAR")]
    assert codes(priced) == ["UNKNOWN_TARIFF_ID"]


def test_the_tariff_valid_at_the_cdr_start_is_chosen_start_inclusive_end_exclusive():
    old = tariff(element(energy("0.20")), id="OLD", end_date_time="2024-06-01T00:00:00Z")
    new = tariff(element(energy("0.30")), id="NEW", start_date_time="2024-06-01T00:00:00Z")
    before = cdr(period("2024-05-31T23:59:59Z", energy=1), end="2024-06-01T01:00:00Z")
    at_change = cdr(period("2024-06-01T00:00:00Z", energy=1), end="2024-06-01T01:00:00Z")
    assert priced_by(price(before, old, new)) == [(0, "OLD")]
    assert priced_by(price(at_change, old, new)) == [(0, "NEW")]
    assert codes(price(at_change, old, new)) == []


def test_without_a_valid_tariff_the_first_prices_with_a_warning_or_none_if_configured():
    expired = tariff(element(energy("0.20")), id="EXPIRED", end_date_time="2020-01-01T00:00:00Z")
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    priced = price(session, expired)
    assert priced.total_cost.excl_vat == D("2.00")
    assert codes(priced) == ["TARIFF_NOT_VALID_AT_START"]
    unpriced = price(session, expired, fall_back_to_first_tariff=False)
    assert unpriced.total_cost.excl_vat == 0
    assert codes(unpriced) == ["NO_TARIFF"]


def test_given_tariffs_replace_the_cdr_tariffs():
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z", tariffs=[DEAR]
    )
    assert price(session).total_cost.excl_vat == D("5.00")  # the CDR's own
    assert price(session, CHEAP).total_cost.excl_vat == D("2.00")


def test_a_currency_mismatch_is_a_warning():
    pounds = tariff(element(energy("0.20")), id="GBP", currency="GBP")
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    priced = price(session, pounds)
    assert codes(priced) == ["CURRENCY_MISMATCH"]
    assert "GBP" in priced.warnings[0].message and "EUR" in priced.warnings[0].message
    assert priced.total_cost.excl_vat == D("2.00")


def test_a_volume_no_element_prices_gets_a_warning_and_is_free():
    daytime_only = tariff(element(energy("0.30"), start_time="08:00", end_time="20:00"))
    session = cdr(
        period("2024-05-02T19:00:00Z", energy=5),
        period("2024-05-02T21:00:00Z", energy=5),
        end="2024-05-02T22:00:00Z",
    )
    priced = price(session, daytime_only)
    assert priced.total_energy_cost.excl_vat == D("1.50")
    missing = [w for w in priced.warnings if w.code == "NO_MATCHING_ELEMENT"]
    assert [(w.period_index, "ENERGY" in w.message) for w in missing] == [(1, True)]


def test_a_dimension_the_tariff_never_prices_is_free_without_a_warning():
    energy_only = tariff(element(energy("0.30")))
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=5, time=1),
        period("2024-05-02T11:00:00Z", parking_time=1),
        end="2024-05-02T12:00:00Z",
    )
    assert codes(price(session, energy_only)) == []


WINDOW_TEN_TO_ELEVEN = tariff(
    element(energy("1.00"), start_time="10:00", end_time="11:00"), element(energy("0.10"))
)
# 09:30 UTC in January is 10:30 in Amsterdam, 09:30 in UTC and 18:30 in Tokyo.
AT_0930_UTC = period("2024-01-10T09:30:00Z", energy=1)


def zone_used(tz=None, **location) -> tuple[str, list[str], bool]:
    session = cdr(AT_0930_UTC, end="2024-01-10T09:45:00Z", cdr_location=location)
    priced = price(session, WINDOW_TEN_TO_ELEVEN, tz=tz)
    in_window = priced.total_cost.excl_vat == D("1.00")
    return priced.time_zone, codes(priced), in_window


def test_zone_order_explicit_argument_first():
    assert zone_used("Asia/Tokyo", country="NLD", time_zone="Europe/Amsterdam") == (
        "Asia/Tokyo",
        [],
        False,
    )


def test_zone_order_location_time_zone_before_country():
    assert zone_used(country="JPN", time_zone="Europe/Amsterdam") == ("Europe/Amsterdam", [], True)


def test_zone_order_country_main_zone():
    assert zone_used(country="NLD") == ("Europe/Amsterdam", [], True)
    assert zone_used(country="JPN") == ("Asia/Tokyo", [], False)


def test_zone_order_unknown_country_is_utc_with_a_warning():
    assert zone_used(country="XXX") == ("UTC", ["TIME_ZONE"], False)


def test_zone_order_a_bad_location_time_zone_is_reported_and_the_country_used():
    assert zone_used(country="NLD", time_zone="Mars/Olympus") == (
        "Europe/Amsterdam",
        ["TIME_ZONE"],
        True,
    )


def test_an_unknown_dimension_type_is_a_warning_and_ignored():
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    session["charging_periods"][0]["dimensions"].append({"type": "SPEED", "volume": 88})
    priced = price(session, CHEAP)
    assert codes(priced) == ["UNKNOWN_DIMENSION"]
    assert priced.total_cost.excl_vat == D("2.00")


def test_periods_out_of_order_are_priced_in_time_order():
    tiers = tariff(element(energy("0.30"), max_kwh=5), element(energy("0.10")))
    session = cdr(
        period("2024-05-02T11:00:00Z", energy=5),
        period("2024-05-02T10:00:00Z", energy=5),
        start="2024-05-02T10:00:00Z",
        end="2024-05-02T12:00:00Z",
    )
    priced = price(session, tiers)
    assert [(c.period_index, c.component.price) for c in priced.breakdown] == [
        (1, D("0.30")),
        (0, D("0.10")),
    ]
    assert priced.total_time == 2
    assert "PERIODS_OUT_OF_ORDER" in codes(priced)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda c: c.update(charging_periods={"start": "now"}), "charging_periods"),
        (lambda c: c.pop("end_date_time"), "end_date_time"),
        (lambda c: c.update(end_date_time="soon"), "end_date_time"),
        (
            lambda c: c["charging_periods"][0].update(start_date_time="2024-13-45T10:00:00Z"),
            "charging_periods[0].start_date_time",
        ),
        (
            lambda c: c["charging_periods"][0]["dimensions"][0].update(volume="lots"),
            "charging_periods[0].dimensions[0].volume",
        ),
    ],
)
def test_unusable_input_raises_an_error_naming_the_field(change, named):
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    change(session)
    with pytest.raises(PricingInputError, match=named.replace("[", r"\[").replace("]", r"\]")):
        price_cdr(session, [CHEAP], "UTC")


def test_an_unusable_tariff_raises_an_error_naming_the_field():
    broken = tariff(element(energy("0.20"), start_time="25:00"))
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    with pytest.raises(PricingInputError, match=r"elements\[0\]\.restrictions\.start_time"):
        price_cdr(session, [broken], "UTC")


def test_minimal_cdrs_without_ids_or_tokens_are_priced():
    minimal = {
        "start_date_time": "2024-05-02T10:00:00Z",
        "end_date_time": "2024-05-02T11:00:00Z",
        "charging_periods": [
            {
                "start_date_time": "2024-05-02T10:00:00Z",
                "dimensions": [{"type": "ENERGY", "volume": 4}],
            }
        ],
    }
    priced = price_cdr(minimal, [CHEAP], "UTC")
    assert priced.total_cost.excl_vat == D("0.80")
    assert priced.currency is None


def test_tolerated_tariff_oddities_are_reported_when_the_tariff_is_used():
    odd = tariff(
        element(energy("0.20"), energy("0.90"), {"type": "SPARKLE", "price": 1, "step_size": 1}),
        element(energy("0.30"), start_tme="08:00"),
    )
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    priced = price(session, odd)
    assert priced.total_cost.excl_vat == D("2.00")  # the first ENERGY component of element 0
    problems = [w.message for w in priced.warnings if w.code == "TARIFF_PROBLEM"]
    assert len(problems) == 3
    assert any("SPARKLE" in p for p in problems) and any("start_tme" in p for p in problems)


def test_a_period_starting_after_the_cdr_end_is_reported():
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=10),
        period("2024-05-02T12:00:00Z", energy=1),
        end="2024-05-02T11:00:00Z",
    )
    priced = price(session, CHEAP)
    assert [(w.code, w.period_index) for w in priced.warnings] == [("PERIOD_AFTER_END", 1)]
    assert priced.total_energy == 11
