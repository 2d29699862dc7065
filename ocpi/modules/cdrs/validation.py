"""Validating sessions, CDRs and tokens: OCPI 2.2.1 field types (types.asciidoc) and checks.

Optional fields accept an explicit null as if the field were absent. Validation only decides
whether a document is acceptable: the document itself is stored as received.
"""

import functools

from rest_framework import serializers

from ocpi.models import OwnParty
from ocpi.transport.exceptions import InvalidParameters, describe_validation_errors
from ocpi.transport.parsers import nul_path
from ocpi.transport.parties import require_same_key

# OCPI numbers have "a sufficiently large amount of digits"; the indexed columns hold 18 with 4
# decimals, so a number outside this range is refused rather than failing to store.
NUMBER_LIMIT = 10**13


def string(max_length: int | None, *, required: bool = True) -> serializers.CharField:
    """string(n) and CiString(n); case-insensitivity is handled where keys are compared."""
    if required:
        return serializers.CharField(max_length=max_length, trim_whitespace=False)
    return serializers.CharField(
        max_length=max_length,
        trim_whitespace=False,
        required=False,
        allow_null=True,
        allow_blank=True,
    )


def number(*, required: bool = True) -> serializers.DecimalField:
    """number: a JSON number, read as Decimal (never float) so that money stays exact."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=-NUMBER_LIMIT,
        max_value=NUMBER_LIMIT,
        required=required,
        allow_null=not required,
    )


def timestamp(*, required: bool = True) -> serializers.DateTimeField:
    """DateTime: RFC 3339; without a zone designator it is UTC (which is our default zone)."""
    return serializers.DateTimeField(required=required, allow_null=not required)


def choice(values, *, required: bool = True) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(values), required=required, allow_null=not required)


def boolean(*, required: bool = True) -> serializers.BooleanField:
    return serializers.BooleanField(required=required, allow_null=not required)


def integer(*, required: bool = True) -> serializers.IntegerField:
    return serializers.IntegerField(required=required, allow_null=not required)


class DisplayTextSerializer(serializers.Serializer):
    language = string(2)
    text = string(512)


class PriceSerializer(serializers.Serializer):
    excl_vat = number()
    incl_vat = number(required=False)


def error_list(detail, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested error detail as (dotted field path, message) pairs."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            path = prefix if key == "non_field_errors" else f"{prefix}{key}."
            pairs.extend(error_list(value, path))
        return pairs
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [(prefix.rstrip("."), " ".join(str(item) for item in detail))]
        pairs = []
        for index, item in enumerate(detail):
            pairs.extend(error_list(item, f"{prefix}{index}."))
        return pairs
    return [(prefix.rstrip("."), str(detail))]


@functools.cache
def schema(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """One validating instance per serializer class, built once.

    DRF copies every declared field into each new serializer instance; for a CDR (a hundred
    nested fields) the copy costs more than the validation. run_validation keeps no state on the
    instance, so one instance serves every request.
    """
    return serializer_class()


def check(serializer_class, document: dict) -> tuple[dict | None, dict | None]:
    """(validated data, None) for a valid document, else (None, DRF's error detail)."""
    try:
        return schema(serializer_class).run_validation(document), None
    except serializers.ValidationError as exc:
        return None, exc.detail


def require_storable(document) -> None:
    """A JSON object PostgreSQL can store: no NUL character anywhere, unknown fields included.

    Request bodies are checked by the parser already; documents pulled from partners or built
    here are not.
    """
    if not isinstance(document, dict):
        raise InvalidParameters("The body must be a JSON object")
    path = nul_path(document)
    if path is not None:
        raise InvalidParameters(f"{path}: NUL characters are not allowed")


def validate_document(serializer_class, document) -> dict:
    """Validated data of one OCPI object, or InvalidParameters (2001) naming each bad field."""
    require_storable(document)
    data, errors = check(serializer_class, document)
    if errors is not None:
        raise InvalidParameters(describe_validation_errors(errors))
    return data


def require_own_party(party: OwnParty, data: dict) -> None:
    """An object we create must carry the country_code and party_id of the party creating it."""
    if (data["country_code"].upper(), data["party_id"].upper()) != (
        party.country_code.upper(),
        party.party_id.upper(),
    ):
        raise InvalidParameters(
            f"country_code/party_id {data['country_code']}-{data['party_id']} "
            f"are not those of {party.code}"
        )


def checked_patch(patch, **url_keys: str) -> dict:
    """A PATCH body as the spec wants it: an object with `last_updated`, whose key fields, when
    present, equal the URL's (`url_keys`). Explicit nulls are dropped: a null optional field is
    an absent field."""
    if not isinstance(patch, dict):
        raise InvalidParameters("The body must be a JSON object")
    patch = {name: value for name, value in patch.items() if value is not None}
    if "last_updated" not in patch:
        raise InvalidParameters("last_updated: is required in a PATCH")
    for field, url_value in url_keys.items():
        require_same_key(url_value, patch, field)
    return patch
