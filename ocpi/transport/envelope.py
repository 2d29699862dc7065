"""The OCPI response envelope: every answer carries data, status_code, status_message, timestamp."""

import json

from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ocpi.timestamps import now_timestamp
from ocpi.transport import status


def envelope(data=None, status_code: int = status.SUCCESS, status_message: str | None = None):
    body = {"status_code": status_code, "timestamp": now_timestamp()}
    if data is not None:
        body["data"] = data
    if status_message:
        body["status_message"] = status_message
    return body


def ocpi_response(
    data=None,
    status_code: int = status.SUCCESS,
    status_message: str | None = None,
    http_status: int = 200,
    headers: dict | None = None,
) -> Response:
    return Response(
        envelope(data, status_code, status_message), status=http_status, headers=headers
    )


def ocpi_raw_list_response(documents_json: list[str], headers: dict | None = None) -> HttpResponse:
    """A success envelope around documents that are already JSON text (stored documents).

    Sender endpoints serve stored documents as they are: no parse and re-dump per object.
    """
    body = (
        '{"data":['
        + ",".join(documents_json)
        + '],"status_code":1000,"timestamp":"'
        + now_timestamp()
        + '"}'
    )
    response = HttpResponse(body, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def ocpi_raw_object_response(document_json: str) -> HttpResponse:
    body = '{"data":' + document_json + ',"status_code":1000,"timestamp":"' + now_timestamp() + '"}'
    return HttpResponse(body, content_type="application/json")


def ocpi_error_http_response(
    http_status: int, status_code: int, status_message: str
) -> HttpResponse:
    """An envelope outside DRF (middleware: unknown URL, unhandled server error)."""
    return HttpResponse(
        json.dumps(envelope(None, status_code, status_message)),
        status=http_status,
        content_type="application/json",
    )


class OcpiRenderer(JSONRenderer):
    """Compact JSON; Decimal and datetime handled by DRF's encoder."""

    compact = True
    charset = "utf-8"
