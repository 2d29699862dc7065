"""Calls to partners' OCPI endpoints: auth, request ids, retries with backoff, pagination, log."""

import json
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings

from ocpi import tokens, traffic
from ocpi.endpoints import V2_1_1
from ocpi.models import Connection, OwnParty, TrafficLog
from ocpi.translations import Context, reply_up, request_down
from ocpi.transport.parsers import may_hold_unstorable, unstorable_path
from ocpi.transport.tolerance import capped, collapsed_path, unwrapped, without_nulls

logger = logging.getLogger(__name__)

# Answers worth another attempt: rate limited (429) or a server error (5xx).
TOO_MANY_REQUESTS = 429


class OcpiClientError(Exception):
    """A partner call that failed: the message says what was called and what came back."""

    def __init__(self, message: str, *, http_status: int | None = None, ocpi_status=None):
        super().__init__(message)
        self.http_status = http_status
        self.ocpi_status = ocpi_status


@dataclass
class OcpiReply:
    http_status: int
    ocpi_status: int | None
    status_message: str
    data: object
    headers: dict

    @property
    def ok(self) -> bool:
        # A status_code that is no number (a string, a list) is no success either.
        status = self.ocpi_status
        return 200 <= self.http_status < 300 and (
            status is None or (type(status) is int and 1000 <= status < 2000)
        )

    @property
    def summary(self) -> str:
        """The statuses and the partner's message, as error messages quote them."""
        return (
            f"HTTP {self.http_status}, OCPI status {self.ocpi_status}: "
            f"{self.status_message or 'no message'}"
        )


class OcpiClient:
    """One partner connection's outbound calls. A token may be given for the handshake steps
    (token A) before the connection stores one."""

    def __init__(
        self,
        connection: Connection,
        *,
        token: str | None = None,
        from_party: OwnParty | None = None,
        to_party: tuple[str, str] | None = None,
        session: requests.Session | None = None,
    ):
        self.connection = connection
        self.token = token if token is not None else connection.outbound_token
        self.from_party = from_party
        self.to_party = to_party
        self.http = session or requests.Session()

    @property
    def speaks_2_1_1(self) -> bool:
        return self.connection.version == V2_1_1

    def headers(self, correlation_id: str | None = None) -> dict:
        headers = {
            "Authorization": tokens.authorization_header(
                self.token, plain=self.connection.plain_token or self.speaks_2_1_1
            ),
            "Accept": "application/json",
        }
        if self.speaks_2_1_1:
            return headers  # 2.1.1 has neither request ids nor routing headers
        request_id = str(uuid.uuid4())
        headers["X-Request-ID"] = request_id
        headers["X-Correlation-ID"] = correlation_id or request_id
        if self.from_party is not None:
            headers["OCPI-from-country-code"] = self.from_party.country_code
            headers["OCPI-from-party-id"] = self.from_party.party_id
        if self.to_party is not None:
            headers["OCPI-to-country-code"], headers["OCPI-to-party-id"] = self.to_party
        return headers

    def request(
        self,
        method: str,
        url: str,
        *,
        body=None,
        params: dict | None = None,
        correlation_id: str | None = None,
        retries: int | None = None,
    ) -> OcpiReply:
        """Send one call, retrying network errors and 429/5xx with exponential backoff.

        `body` and the answer's data are 2.2.1-shaped: a partner on another version gets and
        gives its own (ocpi.translations)."""
        attempts = (settings.OCPI_CLIENT_RETRIES if retries is None else retries) + 1
        warnings: list[str] = []
        url = _tolerated_url(url, warnings)
        context = Context(connection=self.connection, params=params or {}, warnings=warnings)
        body = request_down(
            connection=self.connection, url=url, method=method, body=body, context=context
        )
        payload = None if body is None else json.dumps(body, default=str)
        last_error = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 8))
            headers = self.headers(correlation_id)
            if payload is not None:
                headers["Content-Type"] = "application/json"
            started = time.monotonic()
            try:
                response = self.http.request(
                    method,
                    url,
                    data=payload,
                    params=params,
                    headers=headers,
                    timeout=settings.OCPI_CLIENT_TIMEOUT,
                )
            except requests.RequestException as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                self._log(method, url, headers, payload, None, started, error=last_error)
                continue
            if response.status_code == TOO_MANY_REQUESTS or response.status_code >= 500:
                self._log(method, url, headers, payload, response, started)
                last_error = f"HTTP {response.status_code}"
                if attempt + 1 < attempts:
                    continue
            try:
                reply = self._reply(method, url, response, context)
            finally:
                self._log(method, url, headers, payload, response, started, warnings=warnings)
            return reply
        raise OcpiClientError(f"{method} {url} failed after {attempts} attempt(s): {last_error}")

    def _reply(
        self, method: str, url: str, response: requests.Response, context: Context
    ) -> OcpiReply:
        try:
            body = response.json() if response.content else {}
        except ValueError:
            raise OcpiClientError(
                f"{method} {url} answered HTTP {response.status_code} with a body that is not "
                f"JSON: {response.text[:200]!r}",
                http_status=response.status_code,
            ) from None
        if may_hold_unstorable(response.content) and (found := unstorable_path(body)):
            where, what = found
            raise OcpiClientError(
                f"{method} {url} answered with {what} at {where}, which cannot be stored",
                http_status=response.status_code,
            )
        if not isinstance(body, dict):
            body = {"data": body}
        data = body.get("data")
        if b"null" in response.content:
            data = without_nulls(data, context.warnings)
        if method != "GET":  # answers to our writes hold one object, never a list
            data = unwrapped(data, context.warnings, "data")
        reply = OcpiReply(
            http_status=response.status_code,
            ocpi_status=body.get("status_code"),
            status_message=body.get("status_message") or "",
            data=data,
            headers=dict(response.headers),
        )
        if reply.ok:
            reply.data = reply_up(
                connection=self.connection, url=url, method=method, data=data, context=context
            )
        return reply

    def _log(self, method, url, headers, payload, response, started, error="", warnings=()):
        traffic.record(
            direction=TrafficLog.Direction.OUTBOUND,
            method=method,
            url=url if response is None else response.url,
            connection=self.connection if self.connection.pk else None,
            http_status=None if response is None else response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
            request_body=payload,
            response_body=None if response is None else response.content,
            request_id=headers.get("X-Request-ID", ""),
            correlation_id=headers.get("X-Correlation-ID", ""),
            error=error,
            warnings=capped(list(warnings)),
        )

    def call(self, method: str, url: str, **kwargs) -> OcpiReply:
        """Like request(), but a non-success answer raises OcpiClientError naming it."""
        reply = self.request(method, url, **kwargs)
        if not reply.ok:
            raise OcpiClientError(
                f"{method} {url} answered {reply.summary}",
                http_status=reply.http_status,
                ocpi_status=reply.ocpi_status,
            )
        return reply

    def get_pages(self, url: str, params: dict | None = None) -> Iterator[list]:
        """Each page of a paginated GET, following Link rel="next" until there is none."""
        next_url, next_params = url, params
        while next_url:
            reply = self.call("GET", next_url, params=next_params)
            yield reply.data or []
            next_url, next_params = next_link(reply.headers), None


def _tolerated_url(url: str, warnings: list[str]) -> str:
    """A partner's URL with a doubled slash inside its path, called with one."""
    parts = urlsplit(url)
    path = collapsed_path(parts.path, warnings)
    return urlunsplit(parts._replace(path=path)) if path != parts.path else url


def next_link(headers: dict) -> str | None:
    """The URL of rel="next" in a Link header, if any."""
    link = next((v for k, v in headers.items() if k.lower() == "link"), "")
    for part in link.split(","):
        segments = [s.strip() for s in part.split(";")]
        if len(segments) >= 2 and any(s.replace(" ", "") == 'rel="next"' for s in segments[1:]):
            return segments[0].strip("<>")
    return None
