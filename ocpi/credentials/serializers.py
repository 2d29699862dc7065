"""The Credentials object (OCPI 2.2.1 credentials module), as partners send it to us."""

from urllib.parse import urlsplit

from django.core.validators import RegexValidator
from rest_framework import serializers

from ocpi.models import Role
from ocpi.validation import BusinessDetailsSerializer

# Printable, non-whitespace ASCII only (U+0021..U+007E): the token goes into an HTTP header.
token_characters = RegexValidator(
    r"^[\x21-\x7e]+$", "must contain only printable non-whitespace ASCII characters"
)


class OcpiUrlField(serializers.CharField):
    """An OCPI URL: http(s) with a host, at most 255 characters.

    Django's URLValidator would refuse hosts without a top-level domain (`http://partner:8000`),
    which partners on private networks use; only what we cannot call is refused.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise serializers.ValidationError("must be an http(s) URL")
        return value


class CredentialsRoleIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    business_details = BusinessDetailsSerializer()
    party_id = serializers.CharField(max_length=3)
    country_code = serializers.CharField(min_length=2, max_length=2)


class CredentialsIn(serializers.Serializer):
    token = serializers.CharField(max_length=64, validators=[token_characters])
    url = OcpiUrlField()
    roles = CredentialsRoleIn(many=True, allow_empty=False)

    def validate_roles(self, roles):
        seen = set()
        for role in roles:
            key = (role["role"], role["country_code"].upper(), role["party_id"].upper())
            if key in seen:
                raise serializers.ValidationError(
                    f"{key[1]}-{key[2]} {key[0]} appears more than once: every role needs a "
                    "unique combination of role, party_id and country_code"
                )
            seen.add(key)
        return roles
