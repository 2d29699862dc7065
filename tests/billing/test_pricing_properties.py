"""Properties that hold for any tariff and session the strategies below can draw."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from billing.pricing import price_cdr
from tests.support.engine import D, cdr, element, period, price, tariff, time

WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
COMPONENT_TYPES = ["ENERGY", "TIME", "PARKING_TIME", "FLAT"]
STEP_SIZES = {
    "ENERGY": [0, 1, 100, 500],
    "TIME": [0, 1, 60, 300, 900],
    "PARKING_TIME": [0, 1, 60, 300, 900],
    "FLAT": [0],
}
# Sessions start within two days from here, so Amsterdam's spring-forward night is included.
FIRST_START = datetime(2024, 3, 30, tzinfo=UTC)
MINUTES_PER_STEP = 6  # durations are whole multiples, so hours stay exact decimals
TOTALS = (
    "total_cost",
    "total_fixed_cost",
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_reservation_cost",
)
# Hours into seconds and back cannot always be exact (1 s is 1/3600 h); far below a cent.
TOLERANCE = Decimal("1e-30")

money = st.decimals(min_value=0, max_value=5, places=2)
vats = st.sampled_from([None, D(0), D(9), D(21)])
zones = st.sampled_from(["UTC", "Europe/Amsterdam"])


@st.composite
def restrictions(draw) -> dict:
    drawn = {}
    if draw(st.booleans()):
        drawn["start_time"] = f"{draw(st.integers(0, 23)):02d}:00"
        drawn["end_time"] = f"{draw(st.integers(0, 23)):02d}:00"
    if draw(st.booleans()):
        days = st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=6, unique=True)
        drawn["day_of_week"] = draw(days)
    for key in ("min_duration", "max_duration"):
        if draw(st.booleans()):
            drawn[key] = 900 * draw(st.integers(0, 8))
    for key in ("min_kwh", "max_kwh"):
        if draw(st.booleans()):
            drawn[key] = 5 * draw(st.integers(0, 10))
    if draw(st.booleans()):
        drawn["max_power"] = draw(st.sampled_from([11, 22, 50]))
    return drawn


@st.composite
def price_components(draw) -> list[dict]:
    kinds = draw(st.lists(st.sampled_from(COMPONENT_TYPES), min_size=1, max_size=4, unique=True))
    built = []
    for kind in kinds:
        component = {
            "type": kind,
            "price": draw(money),
            "step_size": draw(st.sampled_from(STEP_SIZES[kind])),
        }
        vat = draw(vats)
        if vat is not None:
            component["vat"] = vat
        built.append(component)
    return built


@st.composite
def tariffs(draw) -> dict:
    elements = [
        element(*draw(price_components()), **draw(restrictions()))
        for _ in range(draw(st.integers(1, 3)))
    ]
    if draw(st.booleans()):
        elements.append(element(*draw(price_components())))
    limits = {}
    for key in ("min_price", "max_price"):
        if draw(st.booleans()):
            excl_vat = draw(st.decimals(min_value=0, max_value=40, places=2))
            vat_factor = draw(st.sampled_from([D(1), D("1.09"), D("1.21")]))
            limits[key] = {"excl_vat": excl_vat, "incl_vat": excl_vat * vat_factor}
    return tariff(*elements, **limits)


@st.composite
def sessions(draw) -> list[tuple[datetime, int, dict]]:
    """Periods as (start, minutes, dimensions): charging (ENERGY, maybe TIME) or parking."""
    start = FIRST_START + timedelta(minutes=MINUTES_PER_STEP * draw(st.integers(0, 480)))
    periods = []
    for _ in range(draw(st.integers(1, 4))):
        minutes = MINUTES_PER_STEP * draw(st.integers(1, 30))
        if draw(st.booleans()):
            dimensions = {
                "energy": draw(st.decimals(min_value=0, max_value=40, places=3)),
                "max_power": draw(st.sampled_from([7, 22, 60])),
            }
            if draw(st.booleans()):
                dimensions["time"] = D(minutes) / 60
        else:
            dimensions = {"parking_time": D(minutes) / 60}
        periods.append((start, minutes, dimensions))
        start += timedelta(minutes=minutes)
    return periods


def as_cdr(periods: list[tuple[datetime, int, dict]]) -> dict:
    last_start, last_minutes, _ = periods[-1]
    return cdr(
        *(period(_iso(start), **dimensions) for start, _, dimensions in periods),
        end=_iso(last_start + timedelta(minutes=last_minutes)),
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def totals(priced) -> dict:
    return {
        name: (getattr(priced, name).excl_vat, getattr(priced, name).incl_vat) for name in TOTALS
    }


def same_totals(first, second) -> bool:
    return all(
        abs(a - b) <= TOLERANCE
        for name in TOTALS
        for a, b in zip(totals(first)[name], totals(second)[name], strict=True)
    )


def in_window(restriction: dict, local: datetime) -> bool:
    """OCPI's time window, written out independently of the engine."""
    if "start_time" not in restriction:
        return True
    start = int(restriction["start_time"][:2]) * 60
    end = int(restriction["end_time"][:2]) * 60 or 24 * 60
    now = local.hour * 60 + local.minute
    if start <= end:
        return start <= now < end
    return now >= start or now < end


def active(restriction: dict, local: datetime, elapsed: int, energy_before: Decimal) -> bool:
    """Whether an element's restrictions (other than power) hold at a period start."""
    return (
        in_window(restriction, local)
        and WEEKDAYS[local.weekday()] in restriction.get("day_of_week", WEEKDAYS)
        and elapsed >= restriction.get("min_duration", 0)
        and elapsed < restriction.get("max_duration", elapsed + 1)
        and energy_before >= restriction.get("min_kwh", 0)
        and energy_before < restriction.get("max_kwh", energy_before + 1)
    )


@settings(max_examples=300, deadline=None)
@given(tariffs(), sessions(), zones, st.data())
def test_splitting_a_period_where_no_restriction_changes_keeps_the_price(
    drawn_tariff, periods, zone, data
):
    index = data.draw(st.integers(0, len(periods) - 1))
    start, minutes, dimensions = periods[index]
    assume(minutes > MINUTES_PER_STEP)
    first_minutes = MINUTES_PER_STEP * data.draw(st.integers(1, minutes // MINUTES_PER_STEP - 1))
    first, second = dict(dimensions), dict(dimensions)
    if "energy" in dimensions:
        first["energy"] = data.draw(
            st.decimals(min_value=0, max_value=dimensions["energy"], places=3)
        )
        second["energy"] = dimensions["energy"] - first["energy"]
    for hours in ("time", "parking_time"):
        if hours in dimensions:
            first[hours] = D(first_minutes) / 60
            second[hours] = dimensions[hours] - first[hours]
    split_at = start + timedelta(minutes=first_minutes)
    split = [
        *periods[:index],
        (start, first_minutes, first),
        (split_at, minutes - first_minutes, second),
        *periods[index + 1 :],
    ]

    local_zone = ZoneInfo(zone)
    elapsed = int((start - periods[0][0]).total_seconds())
    energy_before = sum((p[2].get("energy", 0) for p in periods[:index]), D(0))
    for raw_element in drawn_tariff["elements"]:
        restriction = raw_element.get("restrictions", {})
        at_start = active(restriction, start.astimezone(local_zone), elapsed, energy_before)
        at_split = active(
            restriction,
            split_at.astimezone(local_zone),
            elapsed + first_minutes * 60,
            energy_before + first.get("energy", 0),
        )
        assume(at_start == at_split)

    whole = price_cdr(as_cdr(periods), [drawn_tariff], zone)
    halves = price_cdr(as_cdr(split), [drawn_tariff], zone)
    assert same_totals(whole, halves), (totals(whole), totals(halves))


@settings(max_examples=300, deadline=None)
@given(tariffs(), sessions(), zones, st.decimals(min_value="0.001", max_value=20, places=3))
def test_the_price_never_falls_when_a_volume_of_the_last_period_grows(
    drawn_tariff, periods, zone, extra
):
    start, minutes, dimensions = periods[-1]
    grown = dict(dimensions)
    volume = "energy" if "energy" in dimensions else "parking_time"
    assume(dimensions[volume] > 0)  # a new dimension would move step rounding elsewhere
    grown[volume] = dimensions[volume] + extra
    before = price_cdr(as_cdr(periods), [drawn_tariff], zone)
    after = price_cdr(as_cdr([*periods[:-1], (start, minutes, grown)]), [drawn_tariff], zone)
    assert after.total_cost.excl_vat >= before.total_cost.excl_vat
    assert after.total_cost.incl_vat >= before.total_cost.incl_vat


@settings(max_examples=300, deadline=None)
@given(tariffs(), sessions(), zones)
def test_incl_vat_is_never_below_excl_vat(drawn_tariff, periods, zone):
    priced = price_cdr(as_cdr(periods), [drawn_tariff], zone)
    for excl_vat, incl_vat in totals(priced).values():
        assert incl_vat >= excl_vat
    for charge in priced.breakdown:
        assert charge.cost.incl_vat >= charge.cost.excl_vat


def test_more_charging_before_a_price_change_can_lower_a_step_rounded_price():
    # Why the property above grows only the last period: the spec's step_size rule rounds
    # the session total at the LAST component's price, so volume billed earlier at a cheaper
    # component can lower the bill. 5 min at 1.20 and 5 min at 2.40, in 15-min steps:
    # 0.10 + 0.20 + 5 min surplus at 2.40 = 0.50. With 10 min before 17:00 the total is
    # exactly 15 min: 0.20 + 0.20 = 0.40.
    switch_at_five = tariff(
        element(time("1.20", step_size=900), end_time="17:00"),
        element(time("2.40", step_size=900)),
    )

    def cost(first_start: str) -> Decimal:
        session = cdr(
            period(first_start),  # charging time is the periods' duration
            period("2024-05-02T17:00:00Z"),
            end="2024-05-02T17:05:00Z",
        )
        return price(session, switch_at_five).to_dict()["total_cost"]["excl_vat"]

    assert cost("2024-05-02T16:55:00Z") == D("0.50")
    assert cost("2024-05-02T16:50:00Z") == D("0.40")
