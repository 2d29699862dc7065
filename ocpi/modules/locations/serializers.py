"""Validation of Location, EVSE and Connector documents as OCPI 2.2.1 writes them.

The serializers only validate: the stored document is the one received, unknown fields included.
The field types and the classes other modules share are in ocpi.validation.
"""

from rest_framework import serializers

from ocpi.types import (
    CAPABILITIES,
    CONNECTOR_FORMATS,
    CONNECTOR_TYPES,
    FACILITIES,
    PARKING_RESTRICTIONS,
    PARKING_TYPES,
    POWER_TYPES,
    STATUSES,
    TOKEN_TYPES,
)
from ocpi.validation import (
    BusinessDetailsSerializer,
    DisplayTextSerializer,
    EnergyMixSerializer,
    GeoLocationSerializer,
    ImageSerializer,
    boolean,
    choice,
    date_time,
    hour_minute,
    integer,
    many,
    open_choice,
    string,
    url_string,
)


class AdditionalGeoLocationSerializer(GeoLocationSerializer):
    name = DisplayTextSerializer(required=False, allow_null=True)


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
    type = open_choice(TOKEN_TYPES, required=False)
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
    standard = open_choice(CONNECTOR_TYPES)
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
    capabilities = many(open_choice(CAPABILITIES))
    connectors = many(ConnectorSerializer(), required=True)
    floor_level = string(4, required=False)
    coordinates = GeoLocationSerializer(required=False, allow_null=True)
    physical_reference = string(16, required=False)
    directions = many(DisplayTextSerializer())
    parking_restrictions = many(open_choice(PARKING_RESTRICTIONS))
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
    parking_type = open_choice(PARKING_TYPES, required=False)
    evses = many(EvseSerializer())
    directions = many(DisplayTextSerializer())
    operator = BusinessDetailsSerializer(required=False, allow_null=True)
    suboperator = BusinessDetailsSerializer(required=False, allow_null=True)
    owner = BusinessDetailsSerializer(required=False, allow_null=True)
    facilities = many(open_choice(FACILITIES))
    time_zone = string(255)
    opening_times = HoursSerializer(required=False, allow_null=True)
    charging_when_closed = boolean(required=False)
    images = many(ImageSerializer())
    energy_mix = EnergyMixSerializer(required=False, allow_null=True)
    last_updated = date_time()

    def validate_evses(self, evses):
        _require_unique_ids(evses or [], "uid")
        return evses


def _require_unique_ids(items: list[dict], field: str) -> None:
    seen = set()
    for item in items:
        key = str(item[field]).upper()
        if key in seen:
            raise serializers.ValidationError(f"{field} {item[field]!r} appears more than once")
        seen.add(key)
