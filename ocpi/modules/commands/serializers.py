"""Command request and result objects, per command (mod_commands object descriptions)."""

from rest_framework import serializers

from ocpi.modules.commands.models import CommandResponseType, CommandResultType, CommandType
from ocpi.validation import CdrTokenSerializer, DisplayTextSerializer


class CommandIn(serializers.Serializer):
    response_url = serializers.URLField(max_length=255)


class StartSessionIn(CommandIn):
    # The eMSP's Token: checked for what a session and its CDR need (its cdr_token); the rest
    # is kept as sent.
    token = CdrTokenSerializer()
    location_id = serializers.CharField(max_length=36)
    evse_uid = serializers.CharField(max_length=36, required=False, allow_null=True)
    connector_id = serializers.CharField(max_length=36, required=False, allow_null=True)
    authorization_reference = serializers.CharField(max_length=36, required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("connector_id") and not attrs.get("evse_uid"):
            raise serializers.ValidationError({"evse_uid": "required when connector_id is set"})
        return attrs


class StopSessionIn(CommandIn):
    session_id = serializers.CharField(max_length=36)


class ReserveNowIn(CommandIn):
    # The eMSP's Token: checked for what a session and its CDR need (its cdr_token); the rest
    # is kept as sent.
    token = CdrTokenSerializer()
    expiry_date = serializers.DateTimeField()
    reservation_id = serializers.CharField(max_length=36)
    location_id = serializers.CharField(max_length=36)
    evse_uid = serializers.CharField(max_length=36, required=False, allow_null=True)
    authorization_reference = serializers.CharField(max_length=36, required=False, allow_null=True)


class CancelReservationIn(CommandIn):
    reservation_id = serializers.CharField(max_length=36)


class UnlockConnectorIn(CommandIn):
    location_id = serializers.CharField(max_length=36)
    evse_uid = serializers.CharField(max_length=36)
    connector_id = serializers.CharField(max_length=36)


REQUEST_SERIALIZERS: dict[str, type[CommandIn]] = {
    CommandType.START_SESSION: StartSessionIn,
    CommandType.STOP_SESSION: StopSessionIn,
    CommandType.RESERVE_NOW: ReserveNowIn,
    CommandType.CANCEL_RESERVATION: CancelReservationIn,
    CommandType.UNLOCK_CONNECTOR: UnlockConnectorIn,
}


class CommandResponseIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=CommandResponseType.values)
    timeout = serializers.IntegerField(min_value=0)
    message = DisplayTextSerializer(many=True, required=False, allow_null=True)


class CommandResultIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=CommandResultType.values)
    message = DisplayTextSerializer(many=True, required=False, allow_null=True)
