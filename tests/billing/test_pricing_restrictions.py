"""Tariff restrictions: evaluated at each period's start, in local time, minimums inclusive."""

from billing.pricing import DurationOrigin
from tests.support.engine import (
    D,
    cdr,
    codes,
    element,
    energy,
    excl_incl,
    parking,
    period,
    price,
    tariff,
    time,
)

DAY_EVENING = tariff(
    element(energy("0.20"), start_time="08:00", end_time="18:00"),
    element(energy("0.30")),
)


def energy_prices(priced) -> list:
    return [charge.component.price for charge in priced.breakdown if charge.dimension == "ENERGY"]


def test_time_window_includes_its_start_and_excludes_its_end():
    session = cdr(
        period("2024-01-10T07:59:00Z", energy=1),
        period("2024-01-10T08:00:00Z", energy=1),
        period("2024-01-10T17:59:59Z", energy=1),
        period("2024-01-10T18:00:00Z", energy=1),
        end="2024-01-10T18:01:00Z",
    )
    assert energy_prices(price(session, DAY_EVENING)) == [
        D("0.30"),
        D("0.20"),
        D("0.20"),
        D("0.30"),
    ]


def test_end_time_midnight_means_the_end_of_the_day():
    evening = tariff(
        element(energy("0.40"), start_time="18:00", end_time="00:00"), element(energy("0.10"))
    )
    session = cdr(
        period("2024-01-10T23:59:00Z", energy=1),
        period("2024-01-11T00:00:00Z", energy=1),
        end="2024-01-11T00:01:00Z",
    )
    assert energy_prices(price(session, evening)) == [D("0.40"), D("0.10")]


def test_a_window_from_a_time_to_the_same_time_never_matches_except_all_day():
    empty = tariff(
        element(energy("0.90"), start_time="10:00", end_time="10:00"), element(energy("0.10"))
    )
    whole_day = tariff(
        element(energy("0.90"), start_time="00:00", end_time="00:00"), element(energy("0.10"))
    )
    session = cdr(period("2024-01-10T10:00:00Z", energy=1), end="2024-01-10T10:30:00Z")
    assert energy_prices(price(session, empty)) == [D("0.10")]
    assert energy_prices(price(session, whole_day)) == [D("0.90")]


def test_window_across_midnight_uses_the_weekday_of_the_period_start():
    friday_night = tariff(
        element(energy("0.15"), start_time="22:00", end_time="06:00", day_of_week=["FRIDAY"]),
        element(energy("0.35")),
    )
    session = cdr(
        period("2024-01-11T23:00:00Z", energy=1),  # Thursday 23:00
        period("2024-01-12T03:00:00Z", energy=1),  # Friday 03:00: inside, and a Friday
        period("2024-01-12T12:00:00Z", energy=1),  # Friday noon: outside the window
        period("2024-01-12T23:00:00Z", energy=1),  # Friday 23:00
        period("2024-01-13T02:00:00Z", energy=1),  # Saturday 02:00: the start is a Saturday
        end="2024-01-13T03:00:00Z",
    )
    assert energy_prices(price(session, friday_night)) == [
        D("0.35"),
        D("0.15"),
        D("0.35"),
        D("0.15"),
        D("0.35"),
    ]


def test_time_windows_are_local_time_of_the_location():
    # 07:30 UTC is 08:30 in Amsterdam in January: inside the 08:00-18:00 window there only.
    session = cdr(period("2024-01-10T07:30:00Z", energy=1), end="2024-01-10T08:00:00Z")
    assert energy_prices(price(session, DAY_EVENING, tz="Europe/Amsterdam")) == [D("0.20")]
    assert energy_prices(price(session, DAY_EVENING, tz="UTC")) == [D("0.30")]


def test_time_window_after_spring_forward_uses_summer_time():
    # Amsterdam skips 02:00-03:00 on 2024-03-31: 01:30 UTC is 03:30 CEST, 00:30 UTC is 01:30 CET.
    early = tariff(
        element(energy("0.11"), start_time="01:00", end_time="02:00"),
        element(energy("0.33"), start_time="03:00", end_time="04:00"),
        element(energy("0.99")),
    )
    session = cdr(
        period("2024-03-31T00:30:00Z", energy=1),
        period("2024-03-31T01:30:00Z", energy=1),
        end="2024-03-31T02:00:00Z",
    )
    assert energy_prices(price(session, early, tz="Europe/Amsterdam")) == [D("0.11"), D("0.33")]


def test_time_window_in_the_repeated_hour_of_fall_back():
    # Amsterdam repeats 02:00-03:00 on 2024-10-27: 00:30 and 01:30 UTC are both 02:30 local.
    repeated_hour = tariff(
        element(energy("0.22"), start_time="02:00", end_time="03:00"), element(energy("0.44"))
    )
    session = cdr(
        period("2024-10-27T00:30:00Z", energy=1),
        period("2024-10-27T01:30:00Z", energy=1),
        period("2024-10-27T02:00:00Z", energy=1),  # 03:00 CET
        end="2024-10-27T02:30:00Z",
    )
    assert energy_prices(price(session, repeated_hour, tz="Europe/Amsterdam")) == [
        D("0.22"),
        D("0.22"),
        D("0.44"),
    ]


GRACE_HOUR = tariff(
    element(energy("0.00"), max_duration=5400),
    element(energy("0.50")),
)


def test_duration_across_spring_forward_counts_real_seconds():
    # 00:30 UTC (01:30 CET) to 01:30 UTC (03:30 CEST) is one real hour, two on the wall clock.
    session = cdr(
        period("2024-03-31T00:30:00Z", energy=1),
        period("2024-03-31T01:30:00Z", energy=1),
        period("2024-03-31T02:00:00Z", energy=1),
        end="2024-03-31T02:10:00Z",
    )
    assert energy_prices(price(session, GRACE_HOUR, tz="Europe/Amsterdam")) == [
        D("0.00"),
        D("0.00"),
        D("0.50"),
    ]


def test_duration_across_fall_back_counts_real_seconds():
    # 00:00 UTC (02:00 CEST) to 01:00 UTC (02:00 CET): the wall clock shows no time passed.
    after_an_hour = tariff(element(energy("0.60"), min_duration=3600), element(energy("0.10")))
    session = cdr(
        period("2024-10-27T00:00:00Z", energy=1),
        period("2024-10-27T01:00:00Z", energy=1),
        end="2024-10-27T01:10:00Z",
    )
    assert energy_prices(price(session, after_an_hour, tz="Europe/Amsterdam")) == [
        D("0.10"),
        D("0.60"),
    ]


def test_max_duration_tiers_make_the_first_half_hour_free():
    free_then_dearer = tariff(
        element(energy("0.00", vat=20), max_duration=1800),
        element(energy("0.25", vat=20), max_duration=3600),
        element(energy("0.40", vat=20)),
    )
    session = cdr(
        period("2024-05-02T10:00:00Z", energy="5"),
        period("2024-05-02T10:30:00Z", energy="1.2"),  # at 1800 s: max_duration is exclusive
        period("2024-05-02T11:00:00Z", energy="2"),  # at 3600 s: the fallback
        end="2024-05-02T11:20:00Z",
    )
    priced = price(session, free_then_dearer)
    assert energy_prices(priced) == [D("0.00"), D("0.25"), D("0.40")]
    # 1.2 x 0.25 + 2 x 0.40 = 1.10, and 20 % VAT
    assert excl_incl(priced.total_energy_cost) == (D("1.10"), D("1.32"))


def test_duration_counts_from_the_first_period_or_optionally_the_cdr_start():
    session = cdr(
        period("2024-05-02T10:20:00Z", energy=1),
        period("2024-05-02T10:40:00Z", energy=1),
        start="2024-05-02T10:00:00Z",  # e.g. the start of a reservation
        end="2024-05-02T11:00:00Z",
    )
    half_hour_free = tariff(element(energy("0.00"), max_duration=1800), element(energy("1.00")))
    assert energy_prices(price(session, half_hour_free)) == [D("0.00"), D("0.00")]
    from_cdr_start = price(session, half_hour_free, duration_origin=DurationOrigin.CDR_START)
    assert energy_prices(from_cdr_start) == [D("0.00"), D("1.00")]


def test_kwh_tiers_use_energy_delivered_before_the_period():
    tiers = tariff(
        element(energy("0.30"), max_kwh=10),
        element(energy("0.20"), min_kwh=10),
    )
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=6),
        period("2024-05-02T10:30:00Z", energy=4),  # 6 kWh before: first tier
        period("2024-05-02T11:00:00Z", energy=5),  # exactly 10 before: min inclusive, max not
        end="2024-05-02T11:30:00Z",
    )
    priced = price(session, tiers)
    assert energy_prices(priced) == [D("0.30"), D("0.30"), D("0.20")]
    assert priced.total_energy_cost.excl_vat == D("4.00")
    assert "RESTRICTION_CHANGES_IN_PERIOD" not in codes(priced)


def test_a_period_crossing_a_kwh_tier_is_priced_at_its_start_with_a_warning():
    tiers = tariff(element(energy("0.30"), max_kwh=10), element(energy("0.20")))
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=6),
        period("2024-05-02T10:30:00Z", energy=8),  # from 6 to 14 kWh: crosses 10
        end="2024-05-02T11:30:00Z",
    )
    priced = price(session, tiers)
    assert energy_prices(priced) == [D("0.30"), D("0.30")]
    crossing = [w for w in priced.warnings if w.code == "RESTRICTION_CHANGES_IN_PERIOD"]
    assert [(w.period_index, "max_kwh" in w.message) for w in crossing] == [(1, True)]


def test_power_tiers_compare_the_period_max_power():
    by_power = tariff(
        element(energy("0.20"), max_power=16),
        element(energy("0.35"), max_power=32),
        element(energy("0.50")),
    )
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=1, max_power=6),
        period("2024-05-02T10:10:00Z", energy=40, max_power=48),
        period("2024-05-02T11:00:00Z", energy="0.5", max_power=4),
        period("2024-05-02T11:10:00Z", energy=2, max_power=32),  # max is exclusive
        end="2024-05-02T11:30:00Z",
    )
    priced = price(session, by_power)
    assert energy_prices(priced) == [D("0.20"), D("0.50"), D("0.20"), D("0.50")]
    assert priced.total_energy_cost.excl_vat == D("21.30")


def test_min_power_and_min_current_compare_the_period_minimums():
    fast = tariff(element(energy("0.59"), min_power=50, min_current=100), element(energy("0.39")))
    session = cdr(
        period("2024-05-02T10:00:00Z", energy=10, min_power=60, min_current=150),
        period("2024-05-02T10:20:00Z", energy=10, min_power=40, min_current=150),
        period("2024-05-02T10:40:00Z", energy=10, min_power=60, min_current=80),
        end="2024-05-02T11:00:00Z",
    )
    assert energy_prices(price(session, fast)) == [D("0.59"), D("0.39"), D("0.39")]


def test_a_missing_measurement_passes_unless_configured_otherwise():
    capped = tariff(element(energy("0.20"), max_power=16), element(energy("0.50")))
    session = cdr(period("2024-05-02T10:00:00Z", energy=1), end="2024-05-02T10:30:00Z")
    assert energy_prices(price(session, capped)) == [D("0.20")]
    assert energy_prices(price(session, capped, unmeasured_matches=False)) == [D("0.50")]


def test_weekday_current_tiers_of_a_complex_tariff():
    complex_tariff = tariff(
        element({"type": "FLAT", "price": D("2.50"), "vat": D("15"), "step_size": 1}),
        element(time("1.00", vat=20, step_size=900), max_current=32),
        element(
            time("2.00", vat=20, step_size=600),
            min_current=32,
            day_of_week=["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        ),
        element(
            time("1.25", vat=20, step_size=600),
            min_current=32,
            day_of_week=["SATURDAY", "SUNDAY"],
        ),
        element(
            parking("5.00", vat=10, step_size=300),
            start_time="09:00",
            end_time="18:00",
            day_of_week=["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        ),
        element(
            parking("6.00", vat=10, step_size=300),
            start_time="10:00",
            end_time="17:00",
            day_of_week=["SATURDAY"],
        ),
    )
    # Saturday 13:30, 114 min charging at 43 A, then 71 min parking (75 min billed).
    saturday = cdr(
        period("2024-06-01T13:30:00Z", time="1.9", min_current=43, max_current=43),
        period("2024-06-01T15:24:00Z", parking_time=D(71) / 60),
        end="2024-06-01T16:35:00Z",
    )
    priced = price(saturday, complex_tariff)
    # 2.50 + 1.9 h x 1.25 + 1.25 h x 6.00; the spec's own total (12.28) has a slip.
    assert excl_incl(priced.total_cost) == (D("12.375"), D("13.975"))
    assert excl_incl(priced.total_time_cost) == (D("2.375"), D("2.85"))
    assert priced.to_dict()["total_parking_cost"] == {"excl_vat": D("7.5"), "incl_vat": D("8.25")}

    # Monday 09:30, 165 min at 16 A, then 42 min parking (45 min billed).
    monday = cdr(
        period("2024-06-03T09:30:00Z", time="2.75", min_current=10, max_current=16),
        period("2024-06-03T12:15:00Z", parking_time="0.7"),
        end="2024-06-03T12:57:00Z",
    )
    priced = price(monday, complex_tariff)
    assert excl_incl(priced.total_cost) == (D("9.00"), D("10.30"))


def test_local_dates_decide_start_date_and_exclusive_end_date():
    january_promo = tariff(
        element(energy("0.10"), start_date="2024-01-01", end_date="2024-02-01"),
        element(energy("0.30")),
    )
    session = cdr(
        period("2023-12-31T23:30:00Z", energy=1),  # 00:30 on 1 January in Amsterdam
        period("2024-01-31T22:30:00Z", energy=1),  # 23:30 on 31 January
        period("2024-01-31T23:30:00Z", energy=1),  # 00:30 on 1 February: end is exclusive
        end="2024-02-01T00:00:00Z",
    )
    assert energy_prices(price(session, january_promo, tz="Europe/Amsterdam")) == [
        D("0.10"),
        D("0.10"),
        D("0.30"),
    ]


def test_a_period_crossing_a_time_window_boundary_warns_and_keeps_the_start_price():
    session = cdr(
        period("2024-01-10T16:30:00Z", energy=10),  # 17:30-18:30 local: crosses 18:00
        period("2024-01-10T17:30:00Z", energy=10),  # 18:30-19:30 local: no boundary
        end="2024-01-10T18:30:00Z",
    )
    priced = price(session, DAY_EVENING, tz="Europe/Amsterdam")
    assert energy_prices(priced) == [D("0.20"), D("0.30")]
    crossing = [w for w in priced.warnings if w.code == "RESTRICTION_CHANGES_IN_PERIOD"]
    assert [w.period_index for w in crossing] == [0]
    assert "end_time" in crossing[0].message


def test_a_period_inside_the_window_gives_no_boundary_warning():
    session = cdr(period("2024-01-10T09:00:00Z", energy=10), end="2024-01-10T10:00:00Z")
    assert codes(price(session, DAY_EVENING)) == []


def test_a_window_without_an_end_closes_at_midnight_inside_a_period():
    evening = tariff(element(energy("0.40"), start_time="18:00"), element(energy("0.10")))
    session = cdr(period("2024-01-10T23:30:00Z", energy=1), end="2024-01-11T00:30:00Z")
    priced = price(session, evening)
    assert energy_prices(priced) == [D("0.40")]
    assert [w.code for w in priced.warnings] == ["RESTRICTION_CHANGES_IN_PERIOD"]
