"""The Session object as mod_sessions.asciidoc (2.2.1) defines them."""

from rest_framework import serializers

from ocpi.modules.sessions.models import Session
from ocpi.types import AUTH_METHODS
from ocpi.validation import (
    CdrTokenSerializer,
    ChargingPeriodSerializer,
    PriceSerializer,
    choice,
    date_time,
    number,
    string,
)


class SessionSerializer(serializers.Serializer):
    country_code = string(2)
    party_id = string(3)
    id = string(36)
    start_date_time = date_time()
    end_date_time = date_time(required=False)
    kwh = number()
    cdr_token = CdrTokenSerializer()
    auth_method = choice(AUTH_METHODS)
    authorization_reference = string(36, required=False)
    location_id = string(36)
    evse_uid = string(36)
    connector_id = string(36)
    meter_id = string(255, required=False)
    currency = string(3)
    charging_periods = ChargingPeriodSerializer(many=True, required=False, allow_null=True)
    total_cost = PriceSerializer(required=False, allow_null=True)
    status = choice(Session.Status.values)
    last_updated = date_time()
