"""Validating OCPI 2.2.1 documents: the field types (types.asciidoc), the classes several
modules share (DisplayText, Price, GeoLocation, EnergyMix, BusinessDetails, CdrToken,
ChargingPeriod) and the checks of a whole document, a PUT body or a PATCH body.

Field constructors follow the spec's cardinality: required ("1", "+") or optional ("?", "*").
Optional fields accept an explicit null as if the field were absent. String lengths follow the
2.2.1 errata (release-2.2.1-bugfixes). Validation only decides whether a document is
acceptable: the document itself is stored as received, unknown fields included.
"""

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from rest_framework import serializers

from ocpi.endpoints import V2_3_0, VERSION, version_key
from ocpi.models import OwnParty
from ocpi.timestamps import TimestampError, parse_timestamp
from ocpi.transport.exceptions import InvalidParameters, describe_validation_errors
from ocpi.transport.parsers import unstorable_path
from ocpi.transport.parties import require_same_key
from ocpi.types import (
    CDR_DIMENSION_TYPES,
    ENERGY_SOURCE_CATEGORIES,
    ENVIRONMENTAL_IMPACT_CATEGORIES,
    IMAGE_CATEGORIES,
    TOKEN_TYPES,
)

# OCPI numbers have "a sufficiently large amount of digits"; the indexed columns hold 18 with 4
# decimals, so a number outside this range is refused rather than failing to store.
NUMBER_LIMIT = 10**13


class StoredLength:
    """The length limit holds for the stored form too: ids are kept upper-cased, and upper-casing
    lengthens some characters ('ß' becomes 'SS')."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def __call__(self, value: str) -> None:
        if not value.isascii() and len(value.upper()) > self.max_length:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {self.max_length} characters once upper-cased."
            )


def string(max_length: int | None, *, required: bool = True) -> serializers.CharField:
    """string(n) and CiString(n); case-insensitivity is handled where keys are compared."""
    validators = [StoredLength(max_length)] if max_length else []
    if required:
        return serializers.CharField(
            max_length=max_length, trim_whitespace=False, validators=validators
        )
    return serializers.CharField(
        max_length=max_length,
        trim_whitespace=False,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=validators,
    )


def url_id(max_length: int) -> serializers.CharField:
    """An object id a partner reads back under a URL we give it: no '/', which no URL path
    segment of ours can carry (every other character is percent-encoded in that URL)."""
    return serializers.RegexField(
        r"^[^/]*$",
        max_length=max_length,
        trim_whitespace=False,
        validators=[StoredLength(max_length)],
        error_messages={"invalid": "'/' cannot be part of an id: it cannot be read back by URL."},
    )


def number(*, required: bool = True, min_value=-NUMBER_LIMIT) -> serializers.DecimalField:
    """number: a JSON number, read as Decimal (never float) so that money stays exact; never NaN
    or infinite."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=min_value,
        max_value=NUMBER_LIMIT,
        required=required,
        allow_null=not required,
    )


def date_time(*, required: bool = True) -> serializers.DateTimeField:
    """DateTime: RFC 3339; without a zone designator it is UTC (which is our default zone)."""
    return serializers.DateTimeField(required=required, allow_null=not required)


def choice(values, *, required: bool = True) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(values), required=required, allow_null=not required)


# The OCPI version of the document being validated: a partner's request is read in the version
# it called, a pulled page in the connection's version; anything else (our own objects) in ours.
_read_version: ContextVar[str] = ContextVar("ocpi_read_version", default=VERSION)
# What an OpenEnum value may look like when it is none of the values we know.
OPEN_ENUM_VALUE = re.compile(r"[A-Za-z0-9_]+")


@contextmanager
def read_in(version: str) -> Iterator[None]:
    """Validate the documents read inside the block as written in `version`."""
    reset = _read_version.set(version or VERSION)
    try:
        yield
    finally:
        _read_version.reset(reset)


class OpenChoiceField(serializers.ChoiceField):
    """An enumeration that OCPI 2.3.0 made open (an OpenEnum): a document written in 2.3.0 or
    later may carry values we do not know, which are kept as they are. Earlier versions list
    every value, so there an unknown one is refused."""

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        unknown = isinstance(data, str) and data not in self.choices
        if unknown and _enums_open():
            if len(data) <= self.max_length and OPEN_ENUM_VALUE.fullmatch(data):
                return data
            self.fail("invalid_choice", input=data[:40])
        return super().to_internal_value(data)


def _enums_open() -> bool:
    return version_key(_read_version.get()) >= version_key(V2_3_0)


def open_choice(values, *, required: bool = True, max_length: int = 32) -> OpenChoiceField:
    """An OpenEnum; `max_length` bounds the values we do not know (a column may hold them)."""
    return OpenChoiceField(
        choices=list(values), required=required, allow_null=not required, max_length=max_length
    )


def boolean(*, required: bool = True) -> serializers.BooleanField:
    return serializers.BooleanField(required=required, allow_null=not required)


def integer(*, required: bool = True, min_value=None, max_value=None) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=required, allow_null=not required, min_value=min_value, max_value=max_value
    )


def many(child, *, required: bool = False) -> serializers.ListField:
    """A list: "+" (required, at least one) or "*" (optional, may be empty)."""
    if required:
        return serializers.ListField(child=child, allow_empty=False)
    return serializers.ListField(child=child, required=False, allow_null=True)


def url_string(*, required: bool = True) -> serializers.CharField:
    # The URL type is string(255); its syntax is not checked (nothing here follows the link).
    return string(255, required=required)


HOUR_MINUTE = re.compile(r"^([0-1][0-9]|2[0-3]):[0-5][0-9]$")


def hour_minute(*, required: bool = True) -> serializers.RegexField:
    return serializers.RegexField(
        HOUR_MINUTE,
        required=required,
        allow_null=not required,
        error_messages={"invalid": "must be a time of day as HH:MM (24h, leading zeros)"},
    )


def coordinate(max_length: int, limit: int) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, validators=[CoordinateInRange(limit)], trim_whitespace=False
    )


class CoordinateInRange:
    """A decimal-degree string within +/- limit. The spec's regex asks for 5 to 7 decimals;
    fewer decimals are accepted (a less precise point is still a usable point)."""

    pattern = re.compile(r"^-?[0-9]{1,3}(\.[0-9]+)?$")

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: str) -> None:
        if not self.pattern.match(value) or abs(float(value)) > self.limit:
            raise serializers.ValidationError(
                f"must be decimal degrees between -{self.limit} and {self.limit}, "
                f"with '.' as separator"
            )


def ocpi_time(value, field: str = "last_updated") -> datetime:
    """An OCPI DateTime as an aware UTC datetime; anything else is answered 2001 naming the
    field (ocpi.timestamps reads it)."""
    try:
        return parse_timestamp(value, field)
    except TimestampError as error:
        raise InvalidParameters(str(error)) from None


# Classes shared by several modules.
class DisplayTextSerializer(serializers.Serializer):
    language = string(2)
    text = string(512)


class PriceSerializer(serializers.Serializer):
    excl_vat = number()
    incl_vat = number(required=False)


class GeoLocationSerializer(serializers.Serializer):
    latitude = coordinate(10, 90)
    longitude = coordinate(11, 180)


class ImageSerializer(serializers.Serializer):
    url = url_string()
    thumbnail = url_string(required=False)
    category = open_choice(IMAGE_CATEGORIES)
    type = string(4)
    width = integer(required=False, min_value=0, max_value=99999)
    height = integer(required=False, min_value=0, max_value=99999)


class BusinessDetailsSerializer(serializers.Serializer):
    name = string(100)
    website = url_string(required=False)
    logo = ImageSerializer(required=False, allow_null=True)


class EnergySourceSerializer(serializers.Serializer):
    source = choice(ENERGY_SOURCE_CATEGORIES)
    percentage = number(min_value=0)


class EnvironmentalImpactSerializer(serializers.Serializer):
    category = open_choice(ENVIRONMENTAL_IMPACT_CATEGORIES)
    amount = number(min_value=0)


class EnergyMixSerializer(serializers.Serializer):
    is_green_energy = boolean()
    energy_sources = many(EnergySourceSerializer())
    environ_impact = many(EnvironmentalImpactSerializer())
    supplier_name = string(64, required=False)
    energy_product_name = string(64, required=False)


class CdrTokenSerializer(serializers.Serializer):
    country_code = string(2)
    party_id = string(3)
    uid = string(36)
    type = open_choice(TOKEN_TYPES, max_length=11)
    contract_id = string(36)


class CdrDimensionSerializer(serializers.Serializer):
    type = choice(CDR_DIMENSION_TYPES)
    volume = number()


class ChargingPeriodSerializer(serializers.Serializer):
    start_date_time = date_time()
    dimensions = CdrDimensionSerializer(many=True, allow_empty=False)
    tariff_id = string(36, required=False)


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
    """A JSON object PostgreSQL can store: no NUL character nor lone surrogate anywhere, unknown
    fields included.

    Request bodies are checked by the parser already; documents pulled from partners or built
    here are not.
    """
    if not isinstance(document, dict):
        raise InvalidParameters("The body must be a JSON object")
    found = unstorable_path(document)
    if found is not None:
        path, what = found
        raise InvalidParameters(f"{path or 'body'}: {what} are not allowed")


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


def validate_patch(serializer_class: type[serializers.Serializer], patch) -> None:
    """A PATCH body whose members are validated: each member present is validated in full (a
    PATCH replaces whole members, nested objects included); last_updated is required."""
    require_storable(patch)
    if patch.get("last_updated") is None:
        raise InvalidParameters("last_updated: a PATCH must contain last_updated")
    serializer = schema(serializer_class)
    errors = {}
    for name, value in patch.items():
        field = serializer.fields.get(name)
        if field is None:
            continue  # unknown members are kept as they are
        member_validator = getattr(serializer, f"validate_{name}", None)
        try:
            validated = field.run_validation(value)
            if member_validator is not None:
                member_validator(validated)
        except serializers.ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise InvalidParameters(describe_validation_errors(errors))


def checked_put(document, **url_keys: str) -> dict:
    """A PUT body as the spec wants it: an object whose key fields, when present, equal the
    URL's (`url_keys`)."""
    if not isinstance(document, dict):
        raise InvalidParameters("The body must be a JSON object")
    for field, url_value in url_keys.items():
        require_same_key(url_value, document, field)
    return document


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
