from rest_framework import serializers

from ocpi.modules.chargingprofiles.models import (
    ChargingProfileResponseType,
    ChargingProfileResultType,
)


def one_decimal(*, required: bool = True) -> serializers.DecimalField:
    """A rate or limit: the spec accepts at most one fraction digit (e.g. 8.1)."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=1, min_value=0, required=required, allow_null=not required
    )


class ChargingProfilePeriodIn(serializers.Serializer):
    start_period = serializers.IntegerField(min_value=0)
    limit = one_decimal()


class ChargingProfileIn(serializers.Serializer):
    start_date_time = serializers.DateTimeField(required=False, allow_null=True)
    duration = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    charging_rate_unit = serializers.ChoiceField(choices=["W", "A"])
    min_charging_rate = one_decimal(required=False)
    charging_profile_period = ChargingProfilePeriodIn(many=True, required=False, allow_null=True)


class ActiveChargingProfileIn(serializers.Serializer):
    start_date_time = serializers.DateTimeField()
    charging_profile = ChargingProfileIn()


class SetChargingProfileIn(serializers.Serializer):
    charging_profile = ChargingProfileIn()
    response_url = serializers.URLField(max_length=255)


class GetActiveChargingProfileIn(serializers.Serializer):
    """The query parameters of GET {session_id}."""

    duration = serializers.IntegerField(min_value=1)
    response_url = serializers.URLField(max_length=255)


class ClearChargingProfileIn(serializers.Serializer):
    """The query parameter of DELETE {session_id}."""

    response_url = serializers.URLField(max_length=255)


class ChargingProfileResponseIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=ChargingProfileResponseType.values)
    timeout = serializers.IntegerField(min_value=0)


class ChargingProfileResultIn(serializers.Serializer):
    """ChargingProfileResult and ClearProfileResult."""

    result = serializers.ChoiceField(choices=ChargingProfileResultType.values)


class ActiveChargingProfileResultIn(ChargingProfileResultIn):
    profile = ActiveChargingProfileIn(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs["result"] == ChargingProfileResultType.ACCEPTED and not attrs.get("profile"):
            raise serializers.ValidationError({"profile": "required when result is ACCEPTED"})
        return attrs
