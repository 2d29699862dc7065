"""For every request under /ocpi/: request ids, the traffic log, and an envelope on any error."""

import json
import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404

from ocpi import traffic
from ocpi.endpoints import VERSION, VERSIONS, has_roles, offered_versions
from ocpi.models import TrafficLog
from ocpi.translations import Context, patched_by_put, reply_down
from ocpi.transport import status
from ocpi.transport.envelope import ocpi_error_http_response
from ocpi.transport.parsers import version_and_path
from ocpi.transport.tolerance import capped, collapsed_path
from ocpi.validation import read_in

logger = logging.getLogger(__name__)

OCPI_PREFIX = "/ocpi/"


class OcpiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OCPI_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        request.ocpi_warnings = []
        _tolerate_doubled_slashes(request)
        version, path = version_and_path(request.path)
        method = request.method
        _patch_by_put(request, version, path)
        request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        correlation_id = request.headers.get("X-Correlation-ID") or request_id
        request.ocpi_connection = None
        request_body = b""
        response = None
        if len(request.get_full_path()) > settings.OCPI_MAX_URL_LENGTH:
            response = ocpi_error_http_response(
                414,
                status.INVALID_OR_MISSING_PARAMETERS,
                f"The URL is longer than our limit of {settings.OCPI_MAX_URL_LENGTH} characters",
            )
        elif request.method in ("POST", "PUT", "PATCH"):
            try:
                request_body = request.body
            except RequestDataTooBig:
                response = ocpi_error_http_response(
                    413,
                    status.INVALID_OR_MISSING_PARAMETERS,
                    f"The body is larger than our limit of "
                    f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes",
                )
        if response is None and version in VERSIONS and version not in offered_versions():
            response = ocpi_error_http_response(
                404, status.UNSUPPORTED_VERSION, f"OCPI {version} is not offered here"
            )
        if response is None:
            with read_in(version if version in VERSIONS else VERSION):
                response = self.get_response(request)
        if response.status_code == 404 and not _is_json(response):
            response = ocpi_error_http_response(
                404, status.CLIENT_ERROR, f"Unknown OCPI endpoint: {request.path}"
            )
        if version in VERSIONS and version != VERSION:
            _answer_in_version(request, response, version, path)
        if has_roles(version):  # 2.1.1 has no request ids
            response["X-Request-ID"] = request_id
            response["X-Correlation-ID"] = correlation_id
        try:
            traffic.record(
                direction=TrafficLog.Direction.INBOUND,
                method=method,
                url=request.get_full_path(),
                connection=request.ocpi_connection,
                http_status=response.status_code,
                duration_ms=int((time.monotonic() - started) * 1000),
                request_body=request_body,
                response_body=getattr(response, "content", b""),
                request_id=request_id,
                correlation_id=correlation_id,
                warnings=capped(request.ocpi_warnings),
            )
        except Exception:  # the answer matters more than its log line
            logger.exception("Could not write the OCPI traffic log")
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(OCPI_PREFIX):
            return None
        if isinstance(exception, Http404):
            return ocpi_error_http_response(404, status.CLIENT_ERROR, "Not found")
        logger.exception("Unhandled error on %s %s", request.method, request.path)
        return ocpi_error_http_response(500, status.SERVER_ERROR, "Internal server error")


def _tolerate_doubled_slashes(request) -> None:
    """A module URL with a doubled slash inside it reaches the endpoint it names."""
    path_info = collapsed_path(request.path_info, request.ocpi_warnings)
    if path_info != request.path_info:
        request.path_info = path_info
        request.path = collapsed_path(request.path, [])


def _patch_by_put(request, version: str, path: str) -> None:
    """A PATCH the partner's version has and our receiver lacks goes to the view as a PUT of the
    patched object (the parser applies the patch: ocpi.translations.patch_applied)."""
    if request.method != "PATCH" or version == VERSION or version not in VERSIONS:
        return
    if patched_by_put(version=version, path=path):
        request.method = "PUT"
        request.ocpi_patch_by_put = True


def _answer_in_version(request, response, version: str, path: str) -> None:
    """Our answer's data, in the version the partner called (its body rewritten in place)."""
    if not _is_json(response) or not 200 <= response.status_code < 300 or not response.content:
        return
    body = json.loads(response.content)
    if not isinstance(body, dict) or body.get("data") is None:
        return
    context = Context(
        connection=request.ocpi_connection, params=request.GET, warnings=request.ocpi_warnings
    )
    body["data"] = reply_down(
        version=version, path=path, method=request.method, data=body["data"], context=context
    )
    response.content = json.dumps(body, separators=(",", ":"), default=str)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
