"""Validation of Location, EVSE and Connector documents as OCPI 2.2.1 writes them.

The serializers only validate: the stored document is the one received, unknown fields included.
String lengths follow the 2.2.1 errata (release-2.2.1-bugfixes). An explicit null for an optional
field counts as an absent field. The shared types (DisplayText, Price, EnergyMix, BusinessDetails)
live here because the Locations module defines them and the other modules reuse them.
"""

import re
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from ocpi.transport.exceptions import InvalidParameters, describe_validation_errors

HOUR_MINUTE = re.compile(r"^([0-1][0-9]|2[0-3]):[0-5][0-9]$")

# Enums of the Locations module.
CAPABILITIES = [
    "CHARGING_PROFILE_CAPABLE",
    "CHARGING_PREFERENCES_CAPABLE",
    "CHIP_CARD_SUPPORT",
    "CONTACTLESS_CARD_SUPPORT",
    "CREDIT_CARD_PAYABLE",
    "DEBIT_CARD_PAYABLE",
    "PED_TERMINAL",
    "REMOTE_START_STOP_CAPABLE",
    "RESERVABLE",
    "RFID_READER",
    "START_SESSION_CONNECTOR_REQUIRED",
    "TOKEN_GROUP_CAPABLE",
    "UNLOCK_CAPABLE",
]
CONNECTOR_FORMATS = ["SOCKET", "CABLE"]
CONNECTOR_TYPES = [
    "CHADEMO",
    "CHAOJI",
    *[f"DOMESTIC_{letter}" for letter in "ABCDEFGHIJKLMNO"],
    "GBT_AC",
    "GBT_DC",
    "IEC_60309_2_single_16",
    "IEC_60309_2_three_16",
    "IEC_60309_2_three_32",
    "IEC_60309_2_three_64",
    "IEC_62196_T1",
    "IEC_62196_T1_COMBO",
    "IEC_62196_T2",
    "IEC_62196_T2_COMBO",
    "IEC_62196_T3A",
    "IEC_62196_T3C",
    "NEMA_5_20",
    "NEMA_6_30",
    "NEMA_6_50",
    "NEMA_10_30",
    "NEMA_10_50",
    "NEMA_14_30",
    "NEMA_14_50",
    "PANTOGRAPH_BOTTOM_UP",
    "PANTOGRAPH_TOP_DOWN",
    "TESLA_R",
    "TESLA_S",
]
ENERGY_SOURCE_CATEGORIES = [
    "NUCLEAR",
    "GENERAL_FOSSIL",
    "COAL",
    "GAS",
    "GENERAL_GREEN",
    "SOLAR",
    "WIND",
    "WATER",
]
ENVIRONMENTAL_IMPACT_CATEGORIES = ["NUCLEAR_WASTE", "CARBON_DIOXIDE"]
FACILITIES = [
    "HOTEL",
    "RESTAURANT",
    "CAFE",
    "MALL",
    "SUPERMARKET",
    "SPORT",
    "RECREATION_AREA",
    "NATURE",
    "MUSEUM",
    "BIKE_SHARING",
    "BUS_STOP",
    "TAXI_STAND",
    "TRAM_STOP",
    "METRO_STATION",
    "TRAIN_STATION",
    "AIRPORT",
    "PARKING_LOT",
    "CARPOOL_PARKING",
    "FUEL_STATION",
    "WIFI",
]
IMAGE_CATEGORIES = ["CHARGER", "ENTRANCE", "LOCATION", "NETWORK", "OPERATOR", "OTHER", "OWNER"]
PARKING_RESTRICTIONS = ["EV_ONLY", "PLUGGED", "DISABLED", "CUSTOMERS", "MOTORCYCLES"]
PARKING_TYPES = [
    "ALONG_MOTORWAY",
    "PARKING_GARAGE",
    "PARKING_LOT",
    "ON_DRIVEWAY",
    "ON_STREET",
    "UNDERGROUND_GARAGE",
]
POWER_TYPES = ["AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT", "AC_3_PHASE", "DC"]
STATUSES = [
    "AVAILABLE",
    "BLOCKED",
    "CHARGING",
    "INOPERATIVE",
    "OUTOFORDER",
    "PLANNED",
    "REMOVED",
    "RESERVED",
    "UNKNOWN",
]
TOKEN_TYPES = ["AD_HOC_USER", "APP_USER", "OTHER", "RFID"]


# Field constructors: required ("1", "+") and optional ("?", "*") as the spec's cardinality says.
def string(max_length: int, *, required: bool = True) -> serializers.CharField:
    """string(n) or CiString(n); optional strings may be empty."""
    if required:
        return serializers.CharField(max_length=max_length, trim_whitespace=False)
    return serializers.CharField(
        max_length=max_length, required=False, allow_null=True, allow_blank=True
    )


def choice(values: list[str], *, required: bool = True) -> serializers.ChoiceField:
    if required:
        return serializers.ChoiceField(choices=values)
    return serializers.ChoiceField(choices=values, required=False, allow_null=True)


def number(*, required: bool = True, min_value=None) -> serializers.DecimalField:
    """An OCPI number: decimal, never NaN or infinite."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        required=required,
        allow_null=not required,
        min_value=min_value,
    )


def integer(*, required: bool = True, min_value=None, max_value=None) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required, allow_null=not required, min_value=min_value, max_value=max_value
    )


def boolean(*, required: bool = True) -> serializers.BooleanField:
    return serializers.BooleanField(required=required, allow_null=not required)


def date_time(*, required: bool = True) -> serializers.DateTimeField:
    return serializers.DateTimeField(required=required, allow_null=not required)


def many(child, *, required: bool = False) -> serializers.ListField:
    """A list: "+" (required, at least one) or "*" (optional, may be empty)."""
    if required:
        return serializers.ListField(child=child, allow_empty=False)
    return serializers.ListField(child=child, required=False, allow_null=True)


def url_string(*, required: bool = True) -> serializers.CharField:
    # The URL type is string(255); its syntax is not checked (nothing here follows the link).
    return string(255, required=required)


def hour_minute(*, required: bool = True) -> serializers.RegexField:
    return serializers.RegexField(
        HOUR_MINUTE,
        required=required,
        allow_null=not required,
        error_messages={"invalid": "must be a time of day as HH:MM (24h, leading zeros)"},
    )


def coordinate(max_length: int, limit: int) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, validators=[CoordinateInRange(limit)], trim_whitespace=False
    )


class CoordinateInRange:
    """A decimal-degree string within +/- limit. The spec's regex asks for 5 to 7 decimals;
    fewer decimals are accepted (a less precise point is still a usable point)."""

    pattern = re.compile(r"^-?[0-9]{1,3}(\.[0-9]+)?$")

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: str) -> None:
        if not self.pattern.match(value) or abs(float(value)) > self.limit:
            raise serializers.ValidationError(
                f"must be decimal degrees between -{self.limit} and {self.limit}, "
                f"with '.' as separator"
            )


# Types shared by several modules.
class DisplayTextSerializer(serializers.Serializer):
    language = string(2)
    text = string(512)


class PriceSerializer(serializers.Serializer):
    excl_vat = number()
    incl_vat = number(required=False)


class GeoLocationSerializer(serializers.Serializer):
    latitude = coordinate(10, 90)
    longitude = coordinate(11, 180)


class AdditionalGeoLocationSerializer(GeoLocationSerializer):
    name = DisplayTextSerializer(required=False, allow_null=True)


class ImageSerializer(serializers.Serializer):
    url = url_string()
    thumbnail = url_string(required=False)
    category = choice(IMAGE_CATEGORIES)
    type = string(4)
    width = integer(required=False, min_value=0, max_value=99999)
    height = integer(required=False, min_value=0, max_value=99999)


class BusinessDetailsSerializer(serializers.Serializer):
    name = string(100)
    website = url_string(required=False)
    logo = ImageSerializer(required=False, allow_null=True)


class EnergySourceSerializer(serializers.Serializer):
    source = choice(ENERGY_SOURCE_CATEGORIES)
    percentage = number(min_value=0)


class EnvironmentalImpactSerializer(serializers.Serializer):
    category = choice(ENVIRONMENTAL_IMPACT_CATEGORIES)
    amount = number(min_value=0)


class EnergyMixSerializer(serializers.Serializer):
    is_green_energy = boolean()
    energy_sources = many(EnergySourceSerializer())
    environ_impact = many(EnvironmentalImpactSerializer())
    supplier_name = string(64, required=False)
    energy_product_name = string(64, required=False)


# Types of the Locations module.
class ExceptionalPeriodSerializer(serializers.Serializer):
    period_begin = date_time()
    period_end = date_time()


class RegularHoursSerializer(serializers.Serializer):
    weekday = integer(min_value=1, max_value=7)
    period_begin = hour_minute()
    period_end = hour_minute()


class HoursSerializer(serializers.Serializer):
    twentyfourseven = boolean()
    regular_hours = many(RegularHoursSerializer())
    exceptional_openings = many(ExceptionalPeriodSerializer())
    exceptional_closings = many(ExceptionalPeriodSerializer())


class PublishTokenSerializer(serializers.Serializer):
    uid = string(36, required=False)
    type = choice(TOKEN_TYPES, required=False)
    visual_number = string(64, required=False)
    issuer = string(64, required=False)
    group_id = string(36, required=False)

    def validate(self, attrs):
        if not any(attrs.get(name) for name in ("uid", "visual_number", "group_id")):
            raise serializers.ValidationError("one of uid, visual_number or group_id is required")
        if attrs.get("uid") and not attrs.get("type"):
            raise serializers.ValidationError({"type": "is required when uid is set"})
        if attrs.get("visual_number") and not attrs.get("issuer"):
            raise serializers.ValidationError({"issuer": "is required when visual_number is set"})
        return attrs


class StatusScheduleSerializer(serializers.Serializer):
    period_begin = date_time()
    period_end = date_time(required=False)
    status = choice(STATUSES)


class ConnectorSerializer(serializers.Serializer):
    id = string(36)
    standard = choice(CONNECTOR_TYPES)
    format = choice(CONNECTOR_FORMATS)
    power_type = choice(POWER_TYPES)
    max_voltage = integer(min_value=0)
    max_amperage = integer(min_value=0)
    max_electric_power = integer(required=False, min_value=0)
    tariff_ids = many(string(36))
    terms_and_conditions = url_string(required=False)
    last_updated = date_time()


class EvseSerializer(serializers.Serializer):
    uid = string(36)
    evse_id = string(48, required=False)
    status = choice(STATUSES)
    status_schedule = many(StatusScheduleSerializer())
    capabilities = many(choice(CAPABILITIES))
    connectors = many(ConnectorSerializer(), required=True)
    floor_level = string(4, required=False)
    coordinates = GeoLocationSerializer(required=False, allow_null=True)
    physical_reference = string(16, required=False)
    directions = many(DisplayTextSerializer())
    parking_restrictions = many(choice(PARKING_RESTRICTIONS))
    images = many(ImageSerializer())
    last_updated = date_time()

    def validate_connectors(self, connectors):
        _require_unique_ids(connectors, "id")
        return connectors


class LocationSerializer(serializers.Serializer):
    country_code = string(2)
    party_id = string(3)
    id = string(36)
    publish = boolean()
    publish_allowed_to = many(PublishTokenSerializer())
    name = string(255, required=False)
    address = string(255)
    city = string(45)
    postal_code = string(10, required=False)
    state = string(45, required=False)
    country = string(3)
    coordinates = GeoLocationSerializer()
    related_locations = many(AdditionalGeoLocationSerializer())
    parking_type = choice(PARKING_TYPES, required=False)
    evses = many(EvseSerializer())
    directions = many(DisplayTextSerializer())
    operator = BusinessDetailsSerializer(required=False, allow_null=True)
    suboperator = BusinessDetailsSerializer(required=False, allow_null=True)
    owner = BusinessDetailsSerializer(required=False, allow_null=True)
    facilities = many(choice(FACILITIES))
    time_zone = string(255)
    opening_times = HoursSerializer(required=False, allow_null=True)
    charging_when_closed = boolean(required=False)
    images = many(ImageSerializer())
    energy_mix = EnergyMixSerializer(required=False, allow_null=True)
    last_updated = date_time()

    def validate_evses(self, evses):
        _require_unique_ids(evses or [], "uid")
        return evses


def ocpi_time(value) -> datetime:
    """An OCPI DateTime as an aware datetime; without a zone it is UTC (types.asciidoc)."""
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _require_unique_ids(items: list[dict], field: str) -> None:
    seen = set()
    for item in items:
        key = str(item[field]).upper()
        if key in seen:
            raise serializers.ValidationError(f"{field} {item[field]!r} appears more than once")
        seen.add(key)


def validate_document(serializer_class: type[serializers.Serializer], document) -> None:
    """A complete object (PUT): every required field present and valid."""
    if not isinstance(document, dict):
        raise InvalidParameters("The body must be a JSON object")
    serializer = serializer_class(data=document)
    if not serializer.is_valid():
        raise InvalidParameters(describe_validation_errors(serializer.errors))


def validate_patch(serializer_class: type[serializers.Serializer], patch) -> None:
    """A PATCH body: each member present is validated in full (a PATCH replaces whole members,
    nested objects included); last_updated is required."""
    if not isinstance(patch, dict):
        raise InvalidParameters("The body must be a JSON object")
    if patch.get("last_updated") is None:
        raise InvalidParameters("last_updated: a PATCH must contain last_updated")
    serializer = serializer_class()
    errors = {}
    for name, value in patch.items():
        field = serializer.fields.get(name)
        if field is None:
            continue  # unknown members are kept as they are
        member_validator = getattr(serializer, f"validate_{name}", None)
        try:
            validated = field.run_validation(value)
            if member_validator is not None:
                member_validator(validated)
        except serializers.ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise InvalidParameters(describe_validation_errors(errors))
