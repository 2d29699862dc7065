"""The CDR object and its classes as mod_cdrs.asciidoc (2.2.1, with the errata) defines them.

CdrToken and ChargingPeriod, which the Session object shares, are in ocpi.validation.
"""

from rest_framework import serializers

from ocpi.types import (
    AUTH_METHODS,
    CONNECTOR_FORMATS,
    CONNECTOR_TYPES,
    POWER_TYPES,
    TARIFF_DIMENSION_TYPES,
    TARIFF_TYPES,
)
from ocpi.validation import (
    CdrTokenSerializer,
    ChargingPeriodSerializer,
    PriceSerializer,
    boolean,
    choice,
    date_time,
    integer,
    number,
    open_choice,
    string,
    url_id,
)


class CdrGeoLocationSerializer(serializers.Serializer):
    """GeoLocation with the spec's exact pattern (5 to 7 decimals), stricter than the Locations
    module's: a CDR whose coordinates break it is stored with a warning (LenientCdrSerializer)."""

    latitude = serializers.RegexField(r"^-?[0-9]{1,2}\.[0-9]{5,7}$", max_length=10)
    longitude = serializers.RegexField(r"^-?[0-9]{1,3}\.[0-9]{5,7}$", max_length=11)


class CdrLocationSerializer(serializers.Serializer):
    id = string(36)
    name = string(255, required=False)
    # The errata widened the Location's address (255) and state (45); a CdrLocation copies them.
    address = string(255)
    city = string(45)
    postal_code = string(10, required=False)
    state = string(45, required=False)
    country = string(3)
    coordinates = CdrGeoLocationSerializer()
    evse_uid = string(36)
    evse_id = string(48)
    connector_id = string(36)
    connector_standard = open_choice(CONNECTOR_TYPES)
    connector_format = choice(CONNECTOR_FORMATS)
    connector_power_type = choice(POWER_TYPES)


class SignedValueSerializer(serializers.Serializer):
    nature = string(32)
    plain_data = string(5000)
    signed_data = string(5000)


class SignedDataSerializer(serializers.Serializer):
    encoding_method = string(36)
    encoding_method_version = integer(required=False)
    public_key = string(512, required=False)
    signed_values = SignedValueSerializer(many=True, allow_empty=False)
    url = string(512, required=False)


class PriceComponentSerializer(serializers.Serializer):
    type = choice(TARIFF_DIMENSION_TYPES)
    price = number()
    vat = number(required=False)
    step_size = integer()


class TariffElementSerializer(serializers.Serializer):
    price_components = PriceComponentSerializer(many=True, allow_empty=False)
    restrictions = serializers.DictField(required=False, allow_null=True)


class EmbeddedTariffSerializer(serializers.Serializer):
    """A Tariff inside a CDR: what pricing the CDR needs, not the whole Tariff module's rules."""

    country_code = string(2)
    party_id = string(3)
    id = string(36)
    currency = string(3)
    type = choice(TARIFF_TYPES, required=False)
    min_price = PriceSerializer(required=False, allow_null=True)
    max_price = PriceSerializer(required=False, allow_null=True)
    elements = TariffElementSerializer(many=True, allow_empty=False)
    start_date_time = date_time(required=False)
    end_date_time = date_time(required=False)
    last_updated = date_time()


class CdrSerializer(serializers.Serializer):
    # POSTed without a URL: the partner reads the CDR back under the URL made of these.
    country_code = url_id(2)
    party_id = url_id(3)
    id = url_id(39)
    start_date_time = date_time()
    end_date_time = date_time()
    session_id = string(36, required=False)
    cdr_token = CdrTokenSerializer()
    auth_method = choice(AUTH_METHODS)
    authorization_reference = string(36, required=False)
    cdr_location = CdrLocationSerializer()
    meter_id = string(255, required=False)
    currency = string(3)
    tariffs = EmbeddedTariffSerializer(many=True, required=False, allow_null=True)
    charging_periods = ChargingPeriodSerializer(many=True, allow_empty=False)
    signed_data = SignedDataSerializer(required=False, allow_null=True)
    total_cost = PriceSerializer()
    total_fixed_cost = PriceSerializer(required=False, allow_null=True)
    total_energy = number()
    total_energy_cost = PriceSerializer(required=False, allow_null=True)
    total_time = number()
    total_time_cost = PriceSerializer(required=False, allow_null=True)
    total_parking_time = number(required=False)
    total_parking_cost = PriceSerializer(required=False, allow_null=True)
    total_reservation_cost = PriceSerializer(required=False, allow_null=True)
    remark = string(255, required=False)
    invoice_reference_id = string(39, required=False)
    credit = boolean(required=False)
    credit_reference_id = string(39, required=False)
    home_charging_compensation = boolean(required=False)
    last_updated = date_time()

    def validate(self, attrs):
        if attrs["end_date_time"] < attrs["start_date_time"]:
            raise serializers.ValidationError(
                {"end_date_time": "must not be before start_date_time"}
            )
        if attrs.get("credit") and not attrs.get("credit_reference_id"):
            raise serializers.ValidationError(
                {"credit_reference_id": "is required for a credit CDR (credit is true)"}
            )
        return attrs


class CdrLocationIdSerializer(serializers.Serializer):
    id = string(36)


class LenientCdrSerializer(CdrSerializer):
    """What a partner's CDR must meet to be stored at all: the CDR rules minus the tolerated ones.

    Billing needs the token, the times, the periods, the tariffs and the totals; the descriptive
    parts of the location and free texts are kept even when they break the spec's rules, and the
    broken rules are recorded as warnings (see TOLERATED_FIELDS).
    """

    cdr_location = CdrLocationIdSerializer()
    meter_id = string(None, required=False)
    remark = string(None, required=False)


def is_tolerated(field_path: str) -> bool:
    """Whether a broken rule at this field lets a partner's CDR be stored with a warning."""
    if field_path.startswith("cdr_location."):
        return field_path != "cdr_location.id"
    return field_path in ("meter_id", "remark")
