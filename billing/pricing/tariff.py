"""OCPI 2.2.1 tariffs compiled once into objects that price many CDRs quickly; a tariff may
carry OCPI 2.3.0's `tax_included`, which says what its prices hold."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple, Protocol

from ocpi.types import DAYS_OF_WEEK, TARIFF_DIMENSION_TYPES

from .values import (
    PricingInputError,
    is_json_object,
    ocpi_list,
    parse_date,
    parse_datetime,
    parse_time_of_day,
    to_decimal,
    to_step_size,
)

COMPONENT_TYPES = tuple(TARIFF_DIMENSION_TYPES)
WEEKDAYS = tuple(DAYS_OF_WEEK)  # in date.weekday() order
RESTRICTION_KEYS = frozenset(
    {
        "start_time",
        "end_time",
        "start_date",
        "end_date",
        "min_kwh",
        "max_kwh",
        "min_current",
        "max_current",
        "min_power",
        "max_power",
        "min_duration",
        "max_duration",
        "day_of_week",
        "reservation",
    }
)
# OCPI 2.3.0 Tariff.tax_included: what a price component's price holds. A 2.2.1 tariff has no
# such field; its prices are before VAT, as with "NO".
TAXES_INCLUDED = "YES"
TAXES_EXCLUDED = "NO"
NO_TAXES = "N/A"
TAX_INCLUDED_VALUES = (TAXES_INCLUDED, TAXES_EXCLUDED, NO_TAXES)
MIDNIGHT = time(0)
ONE_MICROSECOND = timedelta(microseconds=1)
ONE_DAY = timedelta(days=1)

# Scopes: which elements may price a dimension. Elements restricted to a reservation
# describe only reservation costs, never charging.
CHARGING = "CHARGING"
RESERVATION = "RESERVATION"
RESERVATION_EXPIRES = "RESERVATION_EXPIRES"


class PeriodState(Protocol):
    """What restrictions look at: the engine's charging period, at its start."""

    local_date: date  # of the period start
    local_time: time
    local_end_date: date  # of the period end
    local_end_time: time
    weekday: int
    elapsed: timedelta
    period_length: timedelta
    energy_before: Decimal  # Wh delivered before the period starts
    energy: Decimal  # Wh delivered during the period
    dimensions: Mapping[str, Decimal]
    unmeasured_matches: bool


Check = Callable[[PeriodState], bool]
BoundaryFinder = Callable[[PeriodState], list[str]]


@dataclass(frozen=True, slots=True)
class PriceLimit:
    excl_vat: Decimal
    incl_vat: Decimal | None  # OCPI Price.incl_vat is optional


@dataclass(frozen=True, slots=True)
class PriceComponent:
    type: str
    price: Decimal
    vat: Decimal | None
    step_size: int
    vat_factor: Decimal  # 1 + vat/100; 1 when no VAT applies or none can be told apart
    tax_included: str  # the tariff's: YES, NO or N/A
    price_includes_vat: bool  # YES with a vat: excl. VAT is derived from the price


@dataclass(frozen=True, slots=True)
class Restrictions:
    """A TariffRestrictions object: `matches` decides at a period start; `changing_within`
    names the restrictions whose outcome would change later inside the period."""

    matches: Check
    reservation: str | None
    changing_within: BoundaryFinder


@dataclass(frozen=True, slots=True)
class TariffElement:
    index: int
    components: Mapping[str, PriceComponent]  # by type; the first of a type in the element
    restrictions: Restrictions | None
    matches: Check


@dataclass(frozen=True, slots=True)
class Tariff:
    id: str | None
    currency: str | None
    start_date_time: datetime | None
    end_date_time: datetime | None
    min_price: PriceLimit | None
    max_price: PriceLimit | None
    elements: tuple[TariffElement, ...]
    # scope -> component type -> the elements that may price it, in the order they apply
    candidates: Mapping[str, Mapping[str, tuple[TariffElement, ...]]]
    problems: tuple[str, ...]  # tolerated oddities, reported as warnings when used
    # Taxes included in a price without a vat rate: its excl. VAT is its incl. VAT.
    has_unseparated_taxes: bool

    def is_valid_at(self, moment: datetime) -> bool:
        """Start inclusive, end exclusive; an absent bound is open."""
        if self.start_date_time is not None and moment < self.start_date_time:
            return False
        return self.end_date_time is None or moment < self.end_date_time

    def elements_for(self, scope: str, component_type: str) -> tuple[TariffElement, ...]:
        return self.candidates[scope].get(component_type, ())


def compile_tariff(tariff: Mapping) -> Tariff:
    """Parse one OCPI 2.2.1 Tariff object; raises PricingInputError naming a bad field."""
    if not is_json_object(tariff):
        raise PricingInputError(f"a tariff must be a JSON object, got {type(tariff).__name__}")
    tariff_id = tariff.get("id")
    tariff_id = None if tariff_id is None else str(tariff_id)
    where = f"tariff {tariff_id!r}" if tariff_id is not None else "tariff"
    tax_included = _optional(tariff, "tax_included", where, _parse_tax_included)
    tax_included = TAXES_EXCLUDED if tax_included is None else tax_included
    raw_elements = ocpi_list(tariff.get("elements"), f"{where} elements")
    problems: list[str] = []
    elements = tuple(
        _compile_element(index, raw, f"{where} elements[{index}]", tax_included, problems)
        for index, raw in enumerate(raw_elements)
    )
    candidates: dict[str, dict[str, tuple[TariffElement, ...]]] = {}
    for scope in (CHARGING, RESERVATION, RESERVATION_EXPIRES):
        in_scope = _elements_in_scope(elements, scope)
        candidates[scope] = {
            component_type: tuple(e for e in in_scope if component_type in e.components)
            for component_type in COMPONENT_TYPES
        }
    currency = tariff.get("currency")
    return Tariff(
        id=tariff_id,
        currency=None if currency is None else str(currency),
        start_date_time=_optional(tariff, "start_date_time", where, parse_datetime),
        end_date_time=_optional(tariff, "end_date_time", where, parse_datetime),
        min_price=_optional(tariff, "min_price", where, _parse_limit),
        max_price=_optional(tariff, "max_price", where, _parse_limit),
        elements=elements,
        candidates=candidates,
        problems=tuple(problems),
        has_unseparated_taxes=tax_included == TAXES_INCLUDED
        and any(c.vat is None for e in elements for c in e.components.values()),
    )


def _elements_in_scope(elements: tuple[TariffElement, ...], scope: str) -> list[TariffElement]:
    """An expired reservation prefers RESERVATION_EXPIRES elements (as the spec's note on
    ReservationRestrictionType says) and falls back to RESERVATION ones."""

    def restricted_to(reservation: str | None) -> list[TariffElement]:
        return [
            element
            for element in elements
            if (element.restrictions.reservation if element.restrictions else None) == reservation
        ]

    if scope == CHARGING:
        return restricted_to(None)
    if scope == RESERVATION:
        return restricted_to(RESERVATION)
    return restricted_to(RESERVATION_EXPIRES) + restricted_to(RESERVATION)


def _optional(raw: Mapping, key: str, where: str, parse: Callable):
    value = raw.get(key)
    return None if value is None else parse(value, f"{where} {key}")


def _parse_tax_included(value: object, field: str) -> str:
    if value not in TAX_INCLUDED_VALUES:
        raise PricingInputError(
            f"{field}: expected one of {', '.join(TAX_INCLUDED_VALUES)}, got {value!r}"
        )
    return value


def _parse_limit(value: object, field: str) -> PriceLimit:
    if not is_json_object(value) or value.get("excl_vat") is None:
        raise PricingInputError(f"{field}: expected a Price with excl_vat")
    incl = value.get("incl_vat")
    return PriceLimit(
        excl_vat=to_decimal(value["excl_vat"], f"{field}.excl_vat"),
        incl_vat=None if incl is None else to_decimal(incl, f"{field}.incl_vat"),
    )


def _compile_element(
    index: int, raw: object, where: str, tax_included: str, problems: list[str]
) -> TariffElement:
    if not is_json_object(raw):
        raise PricingInputError(f"{where}: expected an object")
    raw_components = ocpi_list(raw.get("price_components"), f"{where}.price_components")
    components: dict[str, PriceComponent] = {}
    for position, component in enumerate(raw_components):
        field = f"{where}.price_components[{position}]"
        parsed = _compile_component(component, field, tax_included)
        if parsed.type not in COMPONENT_TYPES:
            problems.append(f"{field}: unknown type {parsed.type!r} is ignored")
        elif parsed.type in components:
            problems.append(f"{field}: a second {parsed.type} component is ignored")
        else:
            components[parsed.type] = parsed
    restrictions = raw.get("restrictions")
    if restrictions is not None:
        restrictions = _compile_restrictions(restrictions, f"{where}.restrictions", problems)
    return TariffElement(
        index=index,
        components=components,
        restrictions=restrictions,
        matches=_always if restrictions is None else restrictions.matches,
    )


def _compile_component(raw: object, field: str, tax_included: str) -> PriceComponent:
    if not is_json_object(raw):
        raise PricingInputError(f"{field}: expected an object")
    vat = raw.get("vat")
    vat = None if vat is None else to_decimal(vat, f"{field}.vat")
    step_size = raw.get("step_size")
    # N/A: no tax applies, whatever `vat` says. YES without `vat` (North American style: the
    # CPO does not know the tax rates): the price includes all taxes, but they cannot be
    # separated from it, so the amount is both excl. and incl. VAT.
    applies_vat = vat is not None and tax_included != NO_TAXES
    return PriceComponent(
        type=str(raw.get("type")),
        price=to_decimal(raw.get("price"), f"{field}.price"),
        vat=vat,
        step_size=0 if step_size is None else to_step_size(step_size, f"{field}.step_size"),
        vat_factor=1 + vat.scaleb(-2) if applies_vat else Decimal(1),
        tax_included=tax_included,
        price_includes_vat=applies_vat and tax_included == TAXES_INCLUDED,
    )


def _compile_restrictions(raw: object, where: str, problems: list[str]) -> Restrictions:
    if not is_json_object(raw):
        raise PricingInputError(f"{where}: expected an object")
    for key in raw.keys() - RESTRICTION_KEYS:
        problems.append(f"{where}: unknown restriction {key!r} is ignored")

    def get(key: str, parse: Callable):
        value = raw.get(key)
        return None if value is None else parse(value, f"{where}.{key}")

    checks: list[Check] = []
    finders: list[BoundaryFinder] = []
    start_time = get("start_time", parse_time_of_day)
    end_time = get("end_time", parse_time_of_day)
    window = _time_window(start_time, end_time)
    if window is not None:
        checks.append(window)
        # A window given only a start closes at midnight, one given only an end opens there.
        midnight_name = "start_time" if end_time is None else "end_time"
        switches: dict[time, str] = {}
        for name, at in (("start_time", start_time), ("end_time", end_time)):
            if at is not None and window(_At(at)) != window(_At(_just_before(at))):
                switches.setdefault(at, name)
        if window(_At(MIDNIGHT)) != window(_At(_just_before(MIDNIGHT))):
            switches.setdefault(MIDNIGHT, midnight_name)
        if switches:
            finders.append(_time_switches_within([(n, at) for at, n in switches.items()]))

    days = _parse_days(raw.get("day_of_week"), f"{where}.day_of_week")
    if days is not None:
        checks.append(lambda period: period.weekday in days)
        finders.append(_weekday_switches_within(days))

    for key, is_minimum in (("start_date", True), ("end_date", False)):
        day = get(key, parse_date)
        if day is not None:
            checks.append(_bound(attrgetter("local_date"), day, is_minimum))
            finders.append(_date_switches_within(key, day))

    for key, is_minimum in (("min_kwh", True), ("max_kwh", False)):
        limit = get(key, to_decimal)
        if limit is not None:
            watt_hours = limit * 1000
            checks.append(_bound(attrgetter("energy_before"), watt_hours, is_minimum))
            finders.append(_energy_switches_within(key, watt_hours))

    for key, is_minimum in (("min_duration", True), ("max_duration", False)):
        seconds = get(key, to_decimal)
        if seconds is not None:
            limit = timedelta(microseconds=int(seconds * 1_000_000))
            checks.append(_bound(attrgetter("elapsed"), limit, is_minimum))
            finders.append(_duration_switches_within(key, limit))

    for key, dimension, is_minimum in (
        ("min_current", "MIN_CURRENT", True),
        ("max_current", "MAX_CURRENT", False),
        ("min_power", "MIN_POWER", True),
        ("max_power", "MAX_POWER", False),
    ):
        limit = get(key, to_decimal)
        if limit is not None:
            checks.append(_measured_bound(dimension, limit, is_minimum))

    reservation = raw.get("reservation")
    if reservation not in (None, RESERVATION, RESERVATION_EXPIRES):
        raise PricingInputError(f"{where}.reservation: unknown value {reservation!r}")

    return Restrictions(
        matches=_all_of(checks), reservation=reservation, changing_within=_each_of(finders)
    )


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    return lambda period: all(check(period) for check in checks)


def _always(period: PeriodState) -> bool:
    return True


def _each_of(finders: list[BoundaryFinder]) -> BoundaryFinder:
    if not finders:
        return _nothing_changes
    if len(finders) == 1:
        return finders[0]
    return lambda period: [name for find in finders for name in find(period)]


def _nothing_changes(period: PeriodState) -> list[str]:
    return []


def _time_window(start: time | None, end: time | None) -> Check | None:
    """The check of a period's local start time against a window: start inclusive, end
    exclusive, end 00:00 = end of day, end before start wraps past midnight.

    It reads `period.local_time` itself rather than calling a function of a time: it runs for
    every element tried on every period, and one call is cheaper than two.
    """
    if end == MIDNIGHT:
        end = None
    if start == MIDNIGHT:
        start = None
    if start is None and end is None:
        return None
    if start is None:
        return lambda period: period.local_time < end
    if end is None:
        return lambda period: period.local_time >= start
    if start <= end:
        return lambda period: start <= period.local_time < end
    return lambda period: period.local_time >= start or period.local_time < end


class _At(NamedTuple):
    """A bare local time, to ask a window check where it switches."""

    local_time: time


def _just_before(at: time) -> time:
    return (datetime.combine(date.min + timedelta(days=1), at) - ONE_MICROSECOND).time()


def _parse_days(value: object, field: str) -> frozenset[int] | None:
    """The weekdays an element applies on; None when it applies on every day: no days
    (an empty list, like an absent one) and all seven days restrict nothing."""
    days = ocpi_list(value, field)
    if any(day not in WEEKDAYS for day in days):
        raise PricingInputError(f"{field}: expected a list of {', '.join(WEEKDAYS)}")
    weekdays = frozenset(WEEKDAYS.index(day) for day in days)
    return weekdays if 0 < len(weekdays) < len(WEEKDAYS) else None


def _bound(value_of: Callable, limit, is_minimum: bool) -> Check:
    """Minimums are inclusive, maximums exclusive."""
    if is_minimum:
        return lambda period: value_of(period) >= limit
    return lambda period: value_of(period) < limit


def _measured_bound(dimension: str, limit: Decimal, is_minimum: bool) -> Check:
    def check(period: PeriodState) -> bool:
        value = period.dimensions.get(dimension)
        if value is None:
            return period.unmeasured_matches
        return value >= limit if is_minimum else value < limit

    return check


def _time_switches_within(switches: list[tuple[str, time]]) -> BoundaryFinder:
    def find(period: PeriodState) -> list[str]:
        start, end = period.local_time, period.local_end_time
        if period.local_end_date == period.local_date:
            return [name for name, at in switches if start < at < end]
        days = (period.local_end_date - period.local_date).days
        if days == 1:  # the rest of the first day, or the start of the next
            return [name for name, at in switches if at > start or at < end]
        return [name for name, _ in switches]  # a whole day lies inside

    return find


def _weekday_switches_within(days: frozenset[int]) -> BoundaryFinder:
    def find(period: PeriodState) -> list[str]:
        later_days = min((_last_day_inside(period) - period.local_date).days, 7)
        first = period.weekday in days
        for offset in range(1, later_days + 1):
            if ((period.weekday + offset) % 7 in days) != first:
                return ["day_of_week"]
        return []

    return find


def _date_switches_within(name: str, day: date) -> BoundaryFinder:
    def find(period: PeriodState) -> list[str]:
        return [name] if period.local_date < day <= _last_day_inside(period) else []

    return find


def _duration_switches_within(name: str, limit: timedelta) -> BoundaryFinder:
    def find(period: PeriodState) -> list[str]:
        inside = period.elapsed < limit < period.elapsed + period.period_length
        return [name] if inside else []

    return find


def _energy_switches_within(name: str, limit: Decimal) -> BoundaryFinder:
    def find(period: PeriodState) -> list[str]:
        low, high = sorted((period.energy_before, period.energy_before + period.energy))
        return [name] if low < limit < high else []

    return find


def _last_day_inside(period: PeriodState) -> date:
    """The last local date the period covers; ending at midnight does not cover that day."""
    if period.local_end_time == MIDNIGHT:
        return period.local_end_date - ONE_DAY
    return period.local_end_date
