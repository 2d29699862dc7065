"""Conversions from OCPI JSON values to Python values, with errors that name the field."""

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal

from billing.money import MoneyError, parse_decimal_strict
from ocpi.timestamps import TimestampError, parse_timestamp


class PricingInputError(ValueError):
    """A CDR or tariff that cannot be priced; the message names the offending field."""


def is_json_object(value: object) -> bool:
    """A dict or other Mapping; the dict test comes first as the ABC test is slow."""
    return type(value) is dict or isinstance(value, Mapping)


def ocpi_list(value: object, field: str) -> list:
    """An OCPI list field: empty, `null` and absent all mean no entries (the spec's
    cardinality rule), so each comes back as an empty list."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PricingInputError(f"{field}: expected a list, got {type(value).__name__}")
    return value


def to_decimal(value: object, field: str) -> Decimal:
    """An OCPI number as an exact Decimal (floats go through their shortest repr), by the
    money module's strict rule; a Decimal is taken as it is, as pricing reads many."""
    if type(value) is Decimal and value.is_finite():
        return value
    try:
        return parse_decimal_strict(value, field)
    except MoneyError as error:
        raise PricingInputError(str(error)) from None


def parse_datetime(value: object, field: str) -> datetime:
    """An OCPI DateTime as an aware UTC datetime, read by the one OCPI timestamp reader."""
    try:
        return parse_timestamp(value, field)
    except TimestampError as error:
        raise PricingInputError(str(error)) from None


def parse_time_of_day(value: object, field: str) -> time:
    """An OCPI restriction time "HH:MM" (24-hour, leading zeros)."""
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        hours, minutes = value[:2], value[3:]
        if hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60:
            return time(int(hours), int(minutes))
    raise PricingInputError(f"{field}: not a time of day HH:MM: {value!r}")


def parse_date(value: object, field: str) -> date:
    """An OCPI restriction date "YYYY-MM-DD"."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PricingInputError(f"{field}: not a date YYYY-MM-DD: {value!r}")


def to_step_size(value: object, field: str) -> int:
    """An OCPI step_size: a non-negative whole number of Wh or seconds."""
    number = to_decimal(value, field)
    if number < 0 or number != number.to_integral_value():
        raise PricingInputError(f"{field}: expected a whole number >= 0, got {value!r}")
    return int(number)
