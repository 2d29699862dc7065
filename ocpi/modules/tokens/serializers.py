"""Token, LocationReferences and AuthorizationInfo as mod_tokens.asciidoc (2.2.1) defines them."""

from rest_framework import serializers

from ocpi.modules.tokens.models import Token
from ocpi.types import ALLOWED_TYPES, PROFILE_TYPES
from ocpi.validation import DisplayTextSerializer, boolean, choice, date_time, open_choice, string


class EnergyContractSerializer(serializers.Serializer):
    supplier_name = string(64)
    contract_id = string(64, required=False)


class TokenSerializer(serializers.Serializer):
    country_code = string(2)
    party_id = string(3)
    uid = string(36)
    type = open_choice(Token.Type.values, max_length=11)  # the token_type column
    contract_id = string(36)
    visual_number = string(64, required=False)
    issuer = string(64)
    group_id = string(36, required=False)
    valid = boolean()
    whitelist = choice(Token.Whitelist.values)
    language = string(2, required=False)
    default_profile_type = choice(PROFILE_TYPES, required=False)
    energy_contract = EnergyContractSerializer(required=False, allow_null=True)
    last_updated = date_time()


class LocationReferencesSerializer(serializers.Serializer):
    location_id = string(36)
    evse_uids = serializers.ListField(child=string(36), required=False, allow_null=True)


class AuthorizationInfoSerializer(serializers.Serializer):
    allowed = choice(ALLOWED_TYPES)
    token = TokenSerializer()
    location = LocationReferencesSerializer(required=False, allow_null=True)
    authorization_reference = string(36, required=False)
    info = DisplayTextSerializer(required=False, allow_null=True)
