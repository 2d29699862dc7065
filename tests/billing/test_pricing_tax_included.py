"""OCPI 2.3.0 `tax_included`: what a tariff's prices hold, and how excl./incl. VAT follow."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing.pricing import PricingInputError, compile_tariff
from tests.support.engine import (
    D,
    cdr,
    codes,
    element,
    energy,
    excl_incl,
    flat,
    period,
    price,
    tariff,
    time,
)

LAST_OCPI_DIGIT = Decimal("0.0001")


def ten_kwh() -> dict:
    return cdr(period("2024-05-02T10:00:00Z", energy=10), end="2024-05-02T11:00:00Z")


def test_a_2_2_1_tariff_prices_before_vat_like_tax_included_no():
    before_vat = element(energy("0.30", vat=21))
    without_field = price(ten_kwh(), tariff(before_vat))
    no = price(ten_kwh(), tariff(before_vat, tax_included="NO"))
    explicit_null = price(ten_kwh(), tariff(before_vat, tax_included=None))

    assert excl_incl(without_field.total_cost) == (D("3.00"), D("3.63"))
    assert no.to_dict() == without_field.to_dict() == explicit_null.to_dict()
    assert no.to_dict()["breakdown"][0]["tax_included"] == "NO"
    no_vat = price(ten_kwh(), tariff(element(energy("0.30")), tax_included="NO"))
    assert excl_incl(no_vat.total_cost) == (D("3.00"), D("3.00"))


def test_yes_with_vat_includes_it_and_derives_the_amount_before_vat():
    priced = price(ten_kwh(), tariff(element(energy("0.363", vat=21)), tax_included="YES"))

    assert excl_incl(priced.total_cost) == (D("3.00"), D("3.63"))
    line = priced.to_dict()["breakdown"][0]
    assert (line["price"], line["vat"], line["tax_included"]) == (D("0.363"), D(21), "YES")
    assert line["cost"] == {"excl_vat": D("3.0000"), "incl_vat": D("3.6300")}
    assert codes(priced) == []  # the VAT rate separates the taxes


def test_yes_keeps_the_amount_incl_vat_exact_where_the_amount_before_vat_is_not():
    # 0.25 incl. 21 % is 0.20661157... before VAT: dividing the unit price first would leave
    # 10 kWh at 2.4999... incl. VAT instead of 2.50.
    priced = price(ten_kwh(), tariff(element(energy("0.25", vat=21)), tax_included="YES"))

    assert priced.total_cost.incl_vat == D("2.50")
    assert priced.total_cost.excl_vat * D("1.21") == pytest.approx(D("2.50"), abs=D("1e-40"))
    assert priced.to_dict()["total_cost"] == {"excl_vat": D("2.0661"), "incl_vat": D("2.5000")}


def test_yes_with_vat_per_line_of_fee_energy_time_and_step_rounding():
    # Start fee 1.21 incl. 21 %, 0.55/kWh incl. 10 %, 2.40/h incl. 20 % in 900 s steps.
    priced = price(
        cdr(
            period("2024-05-02T10:00:00Z", energy=10, time="0.5"),
            period("2024-05-02T10:30:00Z", energy=10, time="0.2"),
            end="2024-05-02T11:00:00Z",
        ),
        tariff(
            element(
                flat("1.21", vat=21), energy("0.55", vat=10), time("2.40", vat=20, step_size=900)
            ),
            tax_included="YES",
        ),
    )

    assert excl_incl(priced.total_fixed_cost) == (D("1.00"), D("1.21"))
    assert excl_incl(priced.total_energy_cost) == (D("10.00"), D("11.00"))
    # 0.7 h billed as 0.75 h: 1.80 incl. VAT, 1.50 before.
    assert excl_incl(priced.total_time_cost) == (D("1.50"), D("1.80"))
    assert [c.step_rounding for c in priced.breakdown if c.dimension == "TIME"] == [
        False,
        False,
        True,
    ]
    assert excl_incl(priced.total_cost) == (D("12.50"), D("14.01"))


def test_yes_without_vat_is_the_same_amount_excl_and_incl_and_says_so():
    priced = price(ten_kwh(), tariff(element(energy("0.363")), id="NA-INCL", tax_included="YES"))

    assert excl_incl(priced.total_cost) == (D("3.63"), D("3.63"))
    [warning] = priced.warnings
    assert warning.code == "TAXES_NOT_SEPARATED"
    assert "'NA-INCL'" in warning.message and "tax_included YES" in warning.message
    line = priced.to_dict()["breakdown"][0]
    assert (line["vat"], line["tax_included"]) == (None, "YES")


def test_not_applicable_means_no_taxes_whatever_vat_says():
    priced = price(ten_kwh(), tariff(element(energy("0.30", vat=21)), tax_included="N/A"))

    assert excl_incl(priced.total_cost) == (D("3.00"), D("3.00"))
    assert codes(priced) == []
    assert priced.to_dict()["breakdown"][0]["tax_included"] == "N/A"


def test_min_price_bounds_a_yes_tariff_excl_and_incl_vat():
    one_kwh = cdr(period("2024-05-02T10:00:00Z", energy=1), end="2024-05-02T11:00:00Z")
    priced = price(
        one_kwh,
        tariff(
            element(energy("0.363", vat=21)),
            tax_included="YES",
            min_price={"excl_vat": D("0.50"), "incl_vat": D("0.605")},
        ),
    )

    assert excl_incl(priced.cost_before_limits) == (D("0.30"), D("0.363"))
    assert excl_incl(priced.total_cost) == (D("0.50"), D("0.605"))


def test_max_price_bounds_a_yes_tariff_excl_and_incl_vat():
    fifty_kwh = cdr(period("2024-05-02T10:00:00Z", energy=50), end="2024-05-02T12:00:00Z")
    priced = price(
        fifty_kwh,
        tariff(
            element(energy("0.363", vat=21)),
            tax_included="YES",
            max_price={"excl_vat": D("10.00"), "incl_vat": D("12.10")},
        ),
    )

    assert excl_incl(priced.cost_before_limits) == (D("15.00"), D("18.15"))
    assert excl_incl(priced.total_cost) == (D("10.00"), D("12.10"))


def north_american(price_per_hour: str, tax_included: str) -> dict:
    return tariff(
        element(time(price_per_hour, step_size=60)),
        id="CA-HOURLY",
        currency="CAD",
        country_code="CA",
        party_id="FLO",
        tax_included=tax_included,
    )


def two_and_a_half_hours_in_toronto() -> dict:
    # 2 h 29 min 30 s of charging, billed per minute: 2.5 h.
    return cdr(
        period("2024-12-05T15:00:00Z", energy=30),
        end="2024-12-05T17:29:30Z",
        country="CAN",
        currency="CAD",
    )


@pytest.mark.parametrize(
    ("price_per_hour", "tax_included", "total", "warnings"),
    [
        # C$2.00/h, taxes not included: C$5.00, before the taxes local legislation adds.
        ("2.00", "NO", D("5.0000"), []),
        # C$2.10/h, taxes included: C$5.25, all taxes due included.
        ("2.10", "YES", D("5.2500"), ["TAXES_NOT_SEPARATED"]),
    ],
)
def test_north_american_tariffs_without_vat_rates(price_per_hour, tax_included, total, warnings):
    priced = price(
        two_and_a_half_hours_in_toronto(),
        north_american(price_per_hour, tax_included),
        tz="America/Toronto",
    )

    assert priced.to_dict()["total_cost"] == {"excl_vat": total, "incl_vat": total}
    assert codes(priced) == warnings
    assert {line["tax_included"] for line in priced.to_dict()["breakdown"]} == {tax_included}


@pytest.mark.parametrize("value", ["yes", "", "INCLUDED", "NA", 1, True, ["YES"], {"v": "YES"}])
def test_an_unknown_tax_included_value_is_an_input_error_naming_the_field(value):
    with pytest.raises(PricingInputError, match=r"^tariff 'T1' tax_included: expected one of"):
        compile_tariff(tariff(element(energy("0.30")), tax_included=value))
    with pytest.raises(PricingInputError, match="tax_included"):
        price(ten_kwh(), tariff(element(energy("0.30")), tax_included=value))


vats = st.one_of(st.none(), st.decimals(min_value=0, max_value=30, places=1))
prices = st.decimals(min_value=0, max_value=5, places=4)


@st.composite
def priced_before_vat(draw) -> list[tuple[str, Decimal, Decimal | None, int]]:
    """Components as (type, price before VAT, vat, step_size)."""
    kinds = draw(
        st.lists(
            st.sampled_from(["ENERGY", "TIME", "PARKING_TIME", "FLAT"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    return [
        (
            kind,
            draw(prices),
            draw(vats),
            0 if kind == "FLAT" else draw(st.sampled_from([0, 1, 60, 300, 500])),
        )
        for kind in kinds
    ]


def as_tariff(components, tax_included: str, with_vat: bool) -> dict:
    built = []
    for kind, before_vat, vat, step_size in components:
        factor = 1 if vat is None else 1 + vat / 100
        component = {
            "type": kind,
            "price": before_vat * factor if with_vat else before_vat,
            "step_size": step_size,
        }
        if vat is not None:
            component["vat"] = vat
        built.append(component)
    return tariff(element(*built), tax_included=tax_included)


@settings(max_examples=150, deadline=None)
@given(
    components=priced_before_vat(),
    kwh=st.decimals(min_value=0, max_value=80, places=3),
    charging_minutes=st.integers(1, 300),
    parking_minutes=st.integers(0, 120),
)
def test_a_price_incl_vat_costs_what_the_same_price_before_vat_costs_with_it(
    components, kwh, charging_minutes, parking_minutes
):
    start = "2024-05-02T08:00:00Z"
    parking_start = f"2024-05-02T{8 + charging_minutes // 60:02d}:{charging_minutes % 60:02d}:00Z"
    session = cdr(
        period(start, energy=kwh, time=D(charging_minutes) / 60),
        period(parking_start, parking_time=D(parking_minutes) / 60),
        end="2024-05-02T23:00:00Z",
    )
    before_vat = price(session, as_tariff(components, "NO", with_vat=False)).to_dict()
    incl_vat = price(session, as_tariff(components, "YES", with_vat=True)).to_dict()

    for total in ("total_cost", "total_fixed_cost", "total_energy_cost", "total_time_cost",
                  "total_parking_cost"):  # fmt: skip
        for vat in ("incl_vat", "excl_vat"):
            assert abs(incl_vat[total][vat] - before_vat[total][vat]) <= LAST_OCPI_DIGIT
