from rest_framework import serializers

from ocpi.models import Role
from ocpi.modules.hubclientinfo.models import ClientInfo


class ClientInfoIn(serializers.Serializer):
    """A ClientInfo as the hub pushes it; fields we do not know are kept in the document."""

    country_code = serializers.CharField(max_length=2)
    party_id = serializers.CharField(max_length=3)
    role = serializers.ChoiceField(choices=Role.values)
    status = serializers.ChoiceField(choices=ClientInfo.ConnectionStatus.values)
    last_updated = serializers.DateTimeField()
