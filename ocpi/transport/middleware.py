"""For every request under /ocpi/: request ids, the traffic log, and an envelope on any error."""

import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404

from ocpi import traffic
from ocpi.models import TrafficLog
from ocpi.transport import status
from ocpi.transport.envelope import ocpi_error_http_response

logger = logging.getLogger(__name__)

OCPI_PREFIX = "/ocpi/"


class OcpiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OCPI_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
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
        if response is None:
            response = self.get_response(request)
        if response.status_code == 404 and not _is_json(response):
            response = ocpi_error_http_response(
                404, status.CLIENT_ERROR, f"Unknown OCPI endpoint: {request.path}"
            )

        response["X-Request-ID"] = request_id
        response["X-Correlation-ID"] = correlation_id
        try:
            traffic.record(
                direction=TrafficLog.Direction.INBOUND,
                method=request.method,
                url=request.get_full_path(),
                connection=request.ocpi_connection,
                http_status=response.status_code,
                duration_ms=int((time.monotonic() - started) * 1000),
                request_body=request_body,
                response_body=getattr(response, "content", b""),
                request_id=request_id,
                correlation_id=correlation_id,
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


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
