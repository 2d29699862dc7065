"""Reservation costs: RESERVATION_TIME priced by elements restricted to a reservation."""

from tests.support.engine import (
    D,
    cdr,
    element,
    energy,
    excl_incl,
    flat,
    period,
    price,
    tariff,
    time,
)

RESERVABLE = tariff(
    element(flat("1.50", vat=21), time("4.00", vat=21, step_size=300), reservation="RESERVATION"),
    element(flat("3.00", vat=21), reservation="RESERVATION_EXPIRES"),
    element(flat("0.40", vat=21), energy("0.30", vat=21)),
)


def test_a_reservation_followed_by_charging():
    # Reserved 13 minutes (billed as 15 in 5-minute steps), then 20 kWh.
    session = cdr(
        period("2024-05-02T10:00:00Z", reservation_time=D(13) / 60),
        period("2024-05-02T10:13:00Z", energy=20),
        end="2024-05-02T11:13:00Z",
    )
    priced = price(session, RESERVABLE)
    # fee 1.50 + 0.25 h x 4.00
    assert priced.to_dict()["total_reservation_cost"] == {
        "excl_vat": D("2.50"),
        "incl_vat": D("3.025"),
    }
    assert excl_incl(priced.total_fixed_cost) == (D("0.40"), D("0.484"))
    assert excl_incl(priced.total_energy_cost) == (D("6.00"), D("7.26"))
    assert priced.to_dict()["total_cost"] == {"excl_vat": D("8.90"), "incl_vat": D("10.769")}
    assert priced.total_time_cost.excl_vat == 0


def test_an_expired_reservation_prefers_reservation_expires_elements():
    session = cdr(period("2024-05-02T10:00:00Z", reservation_time=1), end="2024-05-02T11:00:00Z")
    priced = price(session, RESERVABLE)
    # The expiry fee replaces the reservation fee; time still comes from the RESERVATION
    # element, which the RESERVATION_EXPIRES one lacks. No start fee: nobody charged.
    assert excl_incl(priced.total_reservation_cost) == (D("7.00"), D("8.47"))
    assert priced.total_fixed_cost.excl_vat == 0
    assert priced.total_cost.excl_vat == D("7.00")


def test_expired_reservation_time_has_its_own_price_when_given():
    expiring_dearer = tariff(
        element(time("6.00", step_size=600), reservation="RESERVATION_EXPIRES"),
        element(time("3.00", step_size=600), reservation="RESERVATION"),
        element(energy("0.25")),
    )
    expired = cdr(
        period("2024-05-02T10:00:00Z", reservation_time="1.5"), end="2024-05-02T11:30:00Z"
    )
    assert price(expired, expiring_dearer).total_reservation_cost.excl_vat == D("9.00")
    used = cdr(
        period("2024-05-02T10:00:00Z", reservation_time=D(22) / 60),
        period("2024-05-02T10:22:00Z", energy=20),
        end="2024-05-02T11:22:00Z",
    )
    priced = price(used, expiring_dearer)
    assert priced.to_dict()["total_reservation_cost"]["excl_vat"] == D("1.50")  # 30 min at 3.00
    assert priced.to_dict()["total_cost"]["excl_vat"] == D("6.50")


def test_reservation_elements_never_price_charging():
    session = cdr(period("2024-05-02T10:00:00Z", time=1), end="2024-05-02T11:00:00Z")
    reservation_first = tariff(
        element(time("9.00"), reservation="RESERVATION"), element(time("2.00"))
    )
    priced = price(session, reservation_first)
    assert priced.total_time_cost.excl_vat == D("2.00")
    assert priced.total_reservation_cost.excl_vat == 0
