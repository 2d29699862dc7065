"""Volumes, step_size, VAT, FLAT fees, min/max price and the OCPI totals."""

import json
from decimal import Decimal

import pytest

from billing.pricing import FlatFeeMoment, compile_tariff, price_cdr
from tests.support.engine import (
    D,
    cdr,
    element,
    energy,
    excl_incl,
    flat,
    parking,
    period,
    price,
    tariff,
    time,
)


def test_totals_of_energy_time_and_parking():
    session = cdr(
        period("2024-05-02T10:00:00Z", energy="12.5", time="1.5"),
        period("2024-05-02T11:30:00Z", parking_time="0.25"),
        end="2024-05-02T11:45:00Z",
    )
    priced = price(session, tariff(element(energy("0.30"), time("2.00"), parking("4.00"))))
    assert priced.total_energy == D("12.5")
    assert priced.total_time == D("1.75")  # wall clock: charging and parking
    assert priced.total_parking_time == D("0.25")
    assert priced.total_energy_cost.excl_vat == D("3.75")
    assert priced.total_time_cost.excl_vat == D("3.00")
    assert priced.total_parking_cost.excl_vat == D("1.00")
    assert priced.total_cost.excl_vat == D("7.75")


def test_time_without_a_time_dimension_is_the_charging_part_of_the_period():
    per_hour = tariff(element(time("6.00")))
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=5),  # 30 min, charging
        period("2024-05-02T10:30:00Z", parking_time="0.25"),  # 15 min, parking only
        period("2024-05-02T10:45:00Z", energy=2, parking_time="0.1"),  # 15 min, 6 min parking
        period("2024-05-02T11:00:00Z"),  # 30 min, nothing reported: charging
        end="2024-05-02T11:30:00Z",
    )
    priced = price(session, per_hour)
    volumes = [(c.period_index, c.volume) for c in priced.breakdown]
    assert volumes == [(0, D("0.5")), (2, D("0.15")), (3, D("0.5"))]
    assert priced.total_time_cost.excl_vat == D("6.90")
    assert price(session, per_hour, derive_charging_time=False).total_time_cost.excl_vat == 0


def test_a_reported_time_dimension_wins_over_the_period_duration():
    session = cdr(period("2024-05-02T10:00:00Z", energy=5, time="0.2"), end="2024-05-02T11:00:00Z")
    priced = price(session, tariff(element(time("6.00"))))
    assert priced.total_time_cost.excl_vat == D("1.20")
    assert priced.total_time == 1


def test_energy_step_size_rounds_the_session_total_with_the_last_component():
    # 4.3 kWh before 17:00 and 1.1 kWh after, both in 500 Wh steps: 5.4 kWh billed as 5.5.
    evening_dearer = tariff(
        element(energy("0.20", step_size=500), end_time="17:00"),
        element(energy("0.27", step_size=500)),
    )
    session = cdr(
        period("2024-05-02T16:00:00Z", energy="4.3"),
        period("2024-05-02T17:00:00Z", energy="1.1"),
        end="2024-05-02T17:30:00Z",
    )
    priced = price(session, evening_dearer)
    assert priced.total_energy == D("5.4")  # the volume is not step-rounded
    surplus = [c for c in priced.breakdown if c.step_rounding]
    assert [(c.period_index, c.volume, c.component.price) for c in surplus] == [
        (1, D("0.1"), D("0.27"))
    ]
    # 4.3 x 0.20 + (1.1 + 0.1) x 0.27
    assert priced.total_energy_cost.excl_vat == D("1.184")


def test_time_step_size_uses_the_last_component_across_a_price_change():
    # Charging 16:35-17:10: 25 min at 1.20 (1800 s steps), 10 min at 2.40 (900 s steps).
    # The 35 min total rounds to 45 with the last step, so 20 min are billed after 17:00.
    switch_at_five = tariff(
        element(time("1.20", step_size=1800), end_time="17:00"),
        element(time("2.40", step_size=900)),
    )
    session = cdr(
        period("2024-05-02T16:35:00Z", time=D(25) / 60),
        period("2024-05-02T17:00:00Z", time=D(10) / 60),
        end="2024-05-02T17:10:00Z",
    )
    priced = price(session, switch_at_five)
    assert priced.to_dict()["total_time_cost"]["excl_vat"] == D("1.30")


def test_with_parking_priced_only_parking_is_step_rounded():
    # 21 min charging at 1.00/h and 16 min parking at 2.00/h, both in 10-minute steps:
    # charging stays 21 min, parking becomes 20 min.
    both = tariff(element(time("1.00", step_size=600), parking("2.00", step_size=600)))
    session = cdr(
        period("2024-05-02T10:00:00Z", time=D(21) / 60),
        period("2024-05-02T10:21:00Z", parking_time=D(16) / 60),
        end="2024-05-02T10:37:00Z",
    )
    priced = price(session, both)
    assert priced.to_dict()["total_time_cost"]["excl_vat"] == D("0.35")
    assert priced.to_dict()["total_parking_cost"]["excl_vat"] == D("0.6667")
    assert [c.dimension for c in priced.breakdown if c.step_rounding] == ["PARKING_TIME"]


def test_without_parking_priced_time_is_step_rounded():
    charging_only = tariff(element(time("1.00", step_size=600)))
    session = cdr(
        period("2024-05-02T10:00:00Z", time=D(21) / 60),
        period("2024-05-02T10:21:00Z", parking_time=D(16) / 60),
        end="2024-05-02T10:37:00Z",
    )
    priced = price(session, charging_only)
    assert priced.total_time_cost.excl_vat == D("0.5")  # 30 min
    assert priced.total_parking_cost.excl_vat == 0


def test_step_size_zero_does_not_round():
    session = cdr(period("2024-05-02T10:00:00Z", energy="1.2345"), end="2024-05-02T11:00:00Z")
    priced = price(session, tariff(element(energy("1.00", step_size=0))))
    assert priced.total_energy_cost.excl_vat == D("1.2345")
    assert not any(c.step_rounding for c in priced.breakdown)


def test_vat_applies_per_component():
    # Start fee 0.50 at 20 %, energy 0.25 at 10 %, parking 2.00/h at 20 % in 15-min steps:
    # 20 kWh and 40 min parking (billed 45 min).
    mixed = tariff(
        element(flat("0.50", vat=20), energy("0.25", vat=10)),
        element(parking("2.00", vat=20, step_size=900)),
    )
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=20),
        period("2024-05-02T11:00:00Z", parking_time=D(40) / 60),
        end="2024-05-02T11:40:00Z",
    )
    priced = price(session, mixed)
    assert excl_incl(priced.total_fixed_cost) == (D("0.50"), D("0.60"))
    assert excl_incl(priced.total_energy_cost) == (D("5.00"), D("5.50"))
    assert priced.to_dict()["total_parking_cost"] == {"excl_vat": D("1.5"), "incl_vat": D("1.8")}
    assert priced.to_dict()["total_cost"] == {"excl_vat": D("7.0"), "incl_vat": D("7.9")}


def test_no_vat_means_incl_equals_excl_and_zero_vat_too():
    session = cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")
    for vat in (None, 0):
        priced = price(session, tariff(element(energy("0.31", vat=vat))))
        assert excl_incl(priced.total_cost) == (D("3.10"), D("3.10"))


def test_flat_fee_is_charged_once_per_session():
    session = cdr(
        period("2024-05-02T10:00:00Z", time="0.5"),
        period("2024-05-02T10:30:00Z", time="0.5"),
        period("2024-05-02T11:00:00Z", time="0.5"),
        end="2024-05-02T11:30:00Z",
    )
    priced = price(session, tariff(element(flat("1.00"))))
    assert [c.dimension for c in priced.breakdown] == ["FLAT"]
    assert priced.total_fixed_cost.excl_vat == D("1.00")
    assert priced.total_cost.excl_vat == D("1.00")


def test_flat_fee_comes_from_the_first_period_where_an_element_with_flat_matches():
    evening_fee = tariff(element(flat("1.50"), start_time="18:00"), element(energy("0.30")))
    session = cdr(
        period("2024-05-02T17:00:00Z", energy=5),
        period("2024-05-02T18:30:00Z", energy=5),
        end="2024-05-02T19:00:00Z",
    )
    priced = price(session, evening_fee)
    assert [(c.period_index, c.dimension) for c in priced.breakdown if c.dimension == "FLAT"] == [
        (1, "FLAT")
    ]
    first_period_only = price(session, evening_fee, flat_fee_moment=FlatFeeMoment.FIRST_PERIOD)
    assert first_period_only.total_fixed_cost.excl_vat == 0


def test_min_price_raises_the_total_cost_only():
    minimum = tariff(
        element(energy("0.25", vat=10)),
        min_price={"excl_vat": D("0.50"), "incl_vat": D("0.55")},
    )
    session = cdr(period("2024-05-02T10:00:00Z", energy="1.2"), end="2024-05-02T10:30:00Z")
    priced = price(session, minimum)
    assert excl_incl(priced.total_cost) == (D("0.50"), D("0.55"))
    assert excl_incl(priced.total_energy_cost) == (D("0.30"), D("0.330"))
    assert excl_incl(priced.cost_before_limits) == (D("0.30"), D("0.330"))


def test_min_price_bounds_excl_and_incl_vat_independently():
    minimum = tariff(
        element(energy("1.00", vat=21)),
        min_price={"excl_vat": D("1.00"), "incl_vat": D("1.10")},
    )
    session = cdr(period("2024-05-02T10:00:00Z", energy="0.95"), end="2024-05-02T10:30:00Z")
    # 0.95 excl is raised to 1.00; 1.1495 incl is above its own minimum and stays.
    assert excl_incl(price(session, minimum).total_cost) == (D("1.00"), D("1.1495"))


def test_max_price_caps_the_total_cost():
    capped = tariff(
        element(flat("0.50", vat=20), energy("0.25", vat=10)),
        max_price={"excl_vat": D("10.00"), "incl_vat": D("11.00")},
    )
    large = cdr(period("2024-05-02T10:00:00Z", energy=50), end="2024-05-02T12:00:00Z")
    priced = price(large, capped)
    assert excl_incl(priced.total_cost) == (D("10.00"), D("11.00"))
    assert excl_incl(priced.cost_before_limits) == (D("13.00"), D("14.35"))
    small = cdr(period("2024-05-02T10:00:00Z", energy=30), end="2024-05-02T12:00:00Z")
    assert excl_incl(price(small, capped).total_cost) == (D("8.00"), D("8.85"))


def test_totals_are_rounded_half_up_to_four_decimals_only_at_the_end():
    # Each period costs 0.00005 excl. VAT: rounding per period would give 0.0001 twice.
    tiny = tariff(element(energy("0.0001")))
    session = cdr(
        period("2024-05-02T10:00:00Z", energy="0.5"),
        period("2024-05-02T10:30:00Z", energy="0.5"),
        end="2024-05-02T11:00:00Z",
    )
    priced = price(session, tiny)
    assert priced.total_cost.excl_vat == D("0.0001")
    single = cdr(period("2024-05-02T10:00:00Z", energy="0.5"), end="2024-05-02T10:30:00Z")
    assert price(single, tiny).to_dict()["total_cost"]["excl_vat"] == D("0.0001")  # half up


def test_to_json_writes_exact_numbers():
    session = cdr(period("2024-05-02T10:00:00Z", energy="20"), end="2024-05-02T11:00:00Z")
    text = price(session, tariff(element(energy("0.25", vat=10)))).to_json()
    assert '"total_cost": {"excl_vat": 5.0000, "incl_vat": 5.5000}' in text
    parsed = json.loads(text, parse_float=Decimal)
    assert set(parsed) >= {"breakdown", "warnings", "total_energy", "total_reservation_cost"}
    assert parsed["breakdown"][0]["tariff_id"] == "T1"


@pytest.mark.parametrize("indent", [None, 2])
def test_to_json_is_to_dict_as_json_text(indent):
    session = cdr(
        period("2024-05-02T10:00:00Z", energy="20", bogus_dimension="1"),
        end="2024-05-02T11:00:00Z",
    )
    priced = price(session, tariff(element(flat("0.5"), energy("0.25", vat=10)), id='T"1'))
    assert priced.warnings and any(c.component.vat is None for c in priced.breakdown)
    assert json.loads(priced.to_json(indent), parse_float=Decimal) == priced.to_dict()


@pytest.mark.parametrize(
    ("volume", "unit_price", "vat"),
    [(20.0, 0.25, 10.0), (20, "0.25", 10), ("20", "0.25", "10")],
    ids=["floats", "ints", "strings"],
)
def test_numbers_may_come_as_floats_ints_or_strings(volume, unit_price, vat):
    session = cdr(period("2024-05-02T10:00:00Z", energy=1), end="2024-05-02T11:00:00Z")
    session["charging_periods"][0]["dimensions"][0]["volume"] = volume
    raw_tariff = tariff(
        element({"type": "ENERGY", "price": unit_price, "vat": vat, "step_size": 1})
    )
    priced = price_cdr(session, [raw_tariff], "UTC")
    assert excl_incl(priced.total_cost) == (D("5.00"), D("5.50"))


def test_a_compiled_tariff_prices_like_its_json_and_can_be_reused():
    raw = tariff(element(flat("0.35", vat=21), energy("0.39", vat=21)))
    compiled = compile_tariff(raw)
    session = cdr(period("2024-05-02T10:00:00Z", energy="7.7"), end="2024-05-02T11:00:00Z")
    first = price_cdr(session, [compiled], "UTC")
    assert first == price_cdr(session, [compiled], "UTC") == price_cdr(session, [raw], "UTC")
    assert excl_incl(first.total_cost) == (D("3.353"), D("4.05713"))
