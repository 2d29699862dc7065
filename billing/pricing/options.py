"""The choices OCPI 2.2.1 leaves open, named, with the defaults docs/pricing.md explains."""

from dataclasses import dataclass
from enum import StrEnum


class DurationOrigin(StrEnum):
    """Where min_duration/max_duration start counting."""

    FIRST_PERIOD = "FIRST_PERIOD"
    CDR_START = "CDR_START"


class FlatFeeMoment(StrEnum):
    """Which charging period may charge the once-per-session FLAT fee."""

    FIRST_MATCHING_PERIOD = "FIRST_MATCHING_PERIOD"
    FIRST_PERIOD = "FIRST_PERIOD"


@dataclass(frozen=True, slots=True)
class PricingOptions:
    # A period without a TIME dimension that is charging (energy > 0, or no PARKING_TIME
    # dimension) counts its duration, less reported parking/reservation time, as TIME.
    derive_charging_time: bool = True
    # A min/max_current or min/max_power restriction matches a period that did not
    # report the MIN_/MAX_ dimension it compares with.
    unmeasured_matches: bool = True
    duration_origin: DurationOrigin = DurationOrigin.FIRST_PERIOD
    flat_fee_moment: FlatFeeMoment = FlatFeeMoment.FIRST_MATCHING_PERIOD
    # When no tariff is valid at the CDR start, price with the first one (and warn)
    # rather than leave the CDR unpriced.
    fall_back_to_first_tariff: bool = True
    # The zone for local-time restrictions when neither the caller nor the CDR gives one.
    fallback_time_zone: str = "UTC"


DEFAULT_OPTIONS = PricingOptions()
