"""Validation of Tariff documents as OCPI 2.2.1 writes them (validation only: the document
received is what is stored)."""

import re

from rest_framework import serializers

from ocpi.types import (
    DAYS_OF_WEEK,
    RESERVATION_RESTRICTION_TYPES,
    TARIFF_DIMENSION_TYPES,
    TARIFF_TYPES,
    TAX_INCLUDED,
)
from ocpi.validation import (
    DisplayTextSerializer,
    EnergyMixSerializer,
    PriceSerializer,
    choice,
    date_time,
    hour_minute,
    integer,
    many,
    number,
    string,
    url_string,
)

DATE = re.compile(r"^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class PriceComponentSerializer(serializers.Serializer):
    type = choice(TARIFF_DIMENSION_TYPES)
    price = number(min_value=0)
    vat = number(required=False, min_value=0)
    step_size = integer(min_value=0)


class TariffRestrictionsSerializer(serializers.Serializer):
    start_time = hour_minute(required=False)
    end_time = hour_minute(required=False)
    start_date = serializers.RegexField(
        DATE, required=False, allow_null=True, error_messages={"invalid": "must be YYYY-MM-DD"}
    )
    end_date = serializers.RegexField(
        DATE, required=False, allow_null=True, error_messages={"invalid": "must be YYYY-MM-DD"}
    )
    min_kwh = number(required=False, min_value=0)
    max_kwh = number(required=False, min_value=0)
    min_current = number(required=False, min_value=0)
    max_current = number(required=False, min_value=0)
    min_power = number(required=False, min_value=0)
    max_power = number(required=False, min_value=0)
    min_duration = integer(required=False, min_value=0)
    max_duration = integer(required=False, min_value=0)
    day_of_week = many(choice(DAYS_OF_WEEK))
    reservation = choice(RESERVATION_RESTRICTION_TYPES, required=False)


class TariffElementSerializer(serializers.Serializer):
    price_components = many(PriceComponentSerializer(), required=True)
    restrictions = TariffRestrictionsSerializer(required=False, allow_null=True)


class TariffSerializer(serializers.Serializer):
    country_code = string(2)
    party_id = string(3)
    id = string(36)
    currency = string(3)
    type = choice(TARIFF_TYPES, required=False)
    tariff_alt_text = many(DisplayTextSerializer())
    tariff_alt_url = url_string(required=False)
    min_price = PriceSerializer(required=False, allow_null=True)
    max_price = PriceSerializer(required=False, allow_null=True)
    elements = many(TariffElementSerializer(), required=True)
    start_date_time = date_time(required=False)
    end_date_time = date_time(required=False)
    energy_mix = EnergyMixSerializer(required=False, allow_null=True)
    tax_included = choice(TAX_INCLUDED, required=False)  # 2.3.0's, see ocpi.translations.v2_3_0
    last_updated = date_time()
