"""OCPI errors and the DRF exception handler that puts every error in the envelope."""

import logging

from rest_framework import exceptions as drf

from ocpi.transport import status
from ocpi.transport.envelope import ocpi_response

logger = logging.getLogger(__name__)


class OcpiError(drf.APIException):
    """An error answered with an OCPI status code and an HTTP status.

    A request that is valid JSON and addresses an existing resource has reached the OCPI layer:
    its errors are told by the OCPI status code alone, with HTTP 200 (status_codes: "no HTTP
    error should be returned"). Only JSON that cannot be parsed is an HTTP 400.
    """

    status_code = 200  # HTTP
    ocpi_status = status.CLIENT_ERROR
    default_detail = "Client error"

    def __init__(self, message: str | None = None, *, http_status: int | None = None):
        super().__init__(message or self.default_detail)
        if http_status is not None:
            self.status_code = http_status


class InvalidParameters(OcpiError):
    ocpi_status = status.INVALID_OR_MISSING_PARAMETERS
    default_detail = "Invalid or missing parameters"


class UnknownLocation(OcpiError):
    status_code = 404
    ocpi_status = status.UNKNOWN_LOCATION
    default_detail = "Unknown location"


class UnknownToken(OcpiError):
    status_code = 404
    ocpi_status = status.UNKNOWN_TOKEN
    default_detail = "Unknown token"


class UnknownObject(OcpiError):
    """An object the partner asked for does not exist (generic client error, HTTP 404)."""

    status_code = 404
    ocpi_status = status.CLIENT_ERROR
    default_detail = "Unknown object"


class PartyMismatch(OcpiError):
    """The partner tried to act for a party that is not one of its own."""

    status_code = 403
    ocpi_status = status.INVALID_OR_MISSING_PARAMETERS


class UnableToUseClientApi(OcpiError):
    ocpi_status = status.UNABLE_TO_USE_CLIENT_API
    default_detail = "Unable to use the client's API"


class UnsupportedVersion(OcpiError):
    ocpi_status = status.UNSUPPORTED_VERSION
    default_detail = "Unsupported version"


class NoMatchingEndpoints(OcpiError):
    ocpi_status = status.NO_MATCHING_ENDPOINTS
    default_detail = "No matching endpoints or expected endpoints missing between parties"


def error_list(detail, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested error detail as (dotted field path, message) pairs; the one flattener."""
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


def error_line(path: str, message: str) -> str:
    """One flattened error as 'field.path: message' (just the message when no field)."""
    return f"{path}: {message}" if path else message


def describe_validation_errors(detail) -> str:
    """DRF's nested error detail as 'field.sub: message; ...', naming each field."""
    return "; ".join(error_line(path, message) for path, message in error_list(detail) if message)


def ocpi_exception_handler(exc, context):
    if isinstance(exc, OcpiError):
        return ocpi_response(
            status_code=exc.ocpi_status, status_message=str(exc.detail), http_status=exc.status_code
        )
    if isinstance(exc, drf.ValidationError):
        return ocpi_response(
            status_code=status.INVALID_OR_MISSING_PARAMETERS,
            status_message=describe_validation_errors(exc.detail),
        )
    if isinstance(exc, drf.ParseError):
        return ocpi_response(
            status_code=status.INVALID_OR_MISSING_PARAMETERS,
            status_message=f"Invalid JSON: {exc.detail}",
            http_status=400,
        )
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        response = ocpi_response(
            status_code=status.CLIENT_ERROR, status_message=str(exc.detail), http_status=401
        )
        response["WWW-Authenticate"] = "Token"
        return response
    # Imported here: rest_framework.views imports the authentication classes, which import us.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None:
        detail = getattr(exc, "detail", response.data)
        return ocpi_response(
            status_code=status.CLIENT_ERROR,
            status_message=str(detail),
            http_status=response.status_code,
            headers={k: v for k, v in response.items() if k in ("Allow", "Retry-After")},
        )
    logger.exception("Unhandled error in OCPI view", exc_info=exc)
    return ocpi_response(
        status_code=status.SERVER_ERROR, status_message="Internal server error", http_status=500
    )
