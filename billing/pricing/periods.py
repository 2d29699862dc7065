"""A CDR's charging periods, read once into what pricing and restrictions need."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from billing.money import ZERO
from ocpi.types import CDR_DIMENSION_TYPES

from .options import DurationOrigin, PricingOptions
from .result import PricingWarning
from .values import PricingInputError, is_json_object, ocpi_list, parse_datetime, to_decimal

# CdrDimensionType values of OCPI 2.2.1; anything else is reported and ignored.
DIMENSION_TYPES = frozenset(CDR_DIMENSION_TYPES)
SESSION_DIMENSIONS = ("ENERGY", "TIME", "PARKING_TIME")
# Step units per OCPI unit, as Decimals because they multiply and divide Decimals.
WH_PER_KWH = Decimal(1000)
SECONDS_PER_HOUR = Decimal(3600)
ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(slots=True)
class ChargingPeriod:
    """One charging period with its volumes in step units (Wh and seconds)."""

    index: int  # position in the CDR's charging_periods
    tariff_id: str | None
    dimensions: dict[str, Decimal]  # as the CDR reports them (kWh, hours, A, kW)
    start: datetime  # UTC; the period ends where the next starts, the last at the CDR end
    local_date: date  # of the period start, in the location's zone
    local_time: time
    local_end_date: date
    local_end_time: time
    weekday: int  # Monday is 0
    elapsed: timedelta  # real time since the duration origin, so DST changes do not count
    period_length: timedelta
    energy_before: Decimal  # Wh delivered by the earlier periods
    energy: Decimal  # Wh
    charging_time: Decimal  # seconds
    parking_time: Decimal  # seconds
    reservation_time: Decimal  # seconds
    reservation_only: bool  # reports reservation time and nothing of a charging session
    unmeasured_matches: bool


@dataclass(frozen=True, slots=True)
class Session:
    start: datetime  # UTC; the CDR start_date_time, else the first period's start
    end: datetime
    periods: tuple[ChargingPeriod, ...]
    energy: Decimal  # Wh over all periods
    parking_time: Decimal  # seconds over all periods


def read_session(
    cdr: Mapping, zone: tzinfo, options: PricingOptions, warnings: list[PricingWarning]
) -> Session:
    raw_periods = ocpi_list(cdr.get("charging_periods"), "charging_periods")
    end = parse_datetime(cdr.get("end_date_time"), "end_date_time")
    starts = [_read_start(index, raw) for index, raw in enumerate(raw_periods)]
    if starts != sorted(starts):
        warnings.append(
            PricingWarning("PERIODS_OUT_OF_ORDER", "charging periods were priced in time order")
        )
        starts.sort()
    cdr_start = cdr.get("start_date_time")
    if cdr_start is not None:
        start = parse_datetime(cdr_start, "start_date_time")
    elif starts:
        start = starts[0][0]
    else:
        raise PricingInputError("start_date_time: missing, and there are no charging periods")
    if not starts:
        warnings.append(PricingWarning("NO_CHARGING_PERIODS", "the CDR has no charging periods"))
    if options.duration_origin is DurationOrigin.CDR_START or not starts:
        origin = start
    else:
        origin = starts[0][0]

    periods = []
    energy_before = parking_time = ZERO
    bounds = [moment for moment, _ in starts] + [end]  # a period ends where the next starts
    local_bounds = [moment.astimezone(zone) for moment in bounds]
    for position, (period_start, index) in enumerate(starts):
        period_end, local_end = bounds[position + 1], local_bounds[position + 1]
        if period_start > end:
            warnings.append(
                PricingWarning(
                    "PERIOD_AFTER_END", "the period starts after the CDR end_date_time", index
                )
            )
        if period_end < period_start:  # the last period, starting after the end: empty
            period_end, local_end = period_start, local_bounds[position]
        period = _read_period(
            raw_periods[index],
            index,
            period_start,
            period_end - period_start,
            local_bounds[position],
            local_end,
            period_start - origin,
            energy_before,
            options,
            warnings,
        )
        energy_before += period.energy
        parking_time += period.parking_time
        periods.append(period)
    return Session(start, end, tuple(periods), energy_before, parking_time)


def _read_start(index: int, raw: object) -> tuple[datetime, int]:
    if not is_json_object(raw):
        raise PricingInputError(f"charging_periods[{index}]: expected an object")
    start = parse_datetime(raw.get("start_date_time"), f"charging_periods[{index}].start_date_time")
    return start, index


def _read_period(
    raw: Mapping,
    index: int,
    start: datetime,
    period_length: timedelta,
    local_start: datetime,
    local_end: datetime,
    elapsed: timedelta,
    energy_before: Decimal,
    options: PricingOptions,
    warnings: list[PricingWarning],
) -> ChargingPeriod:
    dimensions = _read_dimensions(raw.get("dimensions"), index, warnings)
    energy = dimensions.get("ENERGY", ZERO) * WH_PER_KWH
    parking_time = dimensions.get("PARKING_TIME", ZERO) * SECONDS_PER_HOUR
    reservation_time = dimensions.get("RESERVATION_TIME", ZERO) * SECONDS_PER_HOUR
    reservation_only = "RESERVATION_TIME" in dimensions and not any(
        name in dimensions for name in SESSION_DIMENSIONS
    )
    if "TIME" in dimensions:
        charging_time = dimensions["TIME"] * SECONDS_PER_HOUR
    elif (
        options.derive_charging_time
        and not reservation_only
        and (energy > 0 or "PARKING_TIME" not in dimensions)
    ):
        # The time of the period not reported as parking or reservation is charging time.
        charging_time = max(ZERO, seconds_in(period_length) - parking_time - reservation_time)
    else:
        charging_time = ZERO
    tariff_id = raw.get("tariff_id")
    if tariff_id is not None and type(tariff_id) is not str:
        tariff_id = str(tariff_id)
    local_date, local_time = local_start.date(), local_start.time()
    local_end_date, local_end_time = local_end.date(), local_end.time()
    # Positional, in field order and named as the fields: calling a class with keywords
    # costs three times as much, and every period of every CDR makes one.
    return ChargingPeriod(
        index,
        tariff_id,
        dimensions,
        start,
        local_date,
        local_time,
        local_end_date,
        local_end_time,
        local_date.weekday(),
        elapsed,
        period_length,
        energy_before,
        energy,
        charging_time,
        parking_time,
        reservation_time,
        reservation_only,
        options.unmeasured_matches,
    )


def _read_dimensions(raw: object, index: int, warnings: list[PricingWarning]) -> dict[str, Decimal]:
    dimensions: dict[str, Decimal] = {}
    for position, dimension in enumerate(ocpi_list(raw, f"charging_periods[{index}].dimensions")):
        if not is_json_object(dimension):
            raise PricingInputError(f"{_where(index, position)}: expected an object")
        kind = dimension.get("type")
        volume = dimension.get("volume")
        if type(volume) is not Decimal or not volume.is_finite():
            volume = to_decimal(volume, f"{_where(index, position)}.volume")
        if kind not in DIMENSION_TYPES:
            warnings.append(
                PricingWarning(
                    "UNKNOWN_DIMENSION", f"{_where(index, position)}: {kind!r} is ignored", index
                )
            )
        elif kind in dimensions:
            warnings.append(
                PricingWarning(
                    "DUPLICATE_DIMENSION",
                    f"{_where(index, position)}: a second {kind} is ignored",
                    index,
                )
            )
        else:
            dimensions[kind] = volume
    return dimensions


def _where(index: int, position: int) -> str:
    return f"charging_periods[{index}].dimensions[{position}]"


def seconds_in(length: timedelta) -> Decimal:
    """A duration as exact Decimal seconds."""
    return Decimal(length // ONE_MICROSECOND).scaleb(-6)
