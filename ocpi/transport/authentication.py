"""Token authentication: Authorization header -> connection -> the parties it may act for."""

import functools
import json
import logging
from datetime import datetime

from django.db import connections
from django.db.models import DateTimeField, Q
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import BasePermission

from ocpi import tokens
from ocpi.models import Connection, ConnectionParty, OwnParty
from ocpi.transport.exceptions import InvalidParameters, PartyMismatch

logger = logging.getLogger("ocpi.auth")

ACTIVE_STATUSES = (Connection.Status.PENDING, Connection.Status.REGISTERED)


def connection_for_header(header_value: str) -> Connection | None:
    candidates = tokens.token_candidates(header_value)
    if not candidates:
        return None
    hashes = [tokens.hash_token(candidate) for candidate in candidates]
    connection = _connection_with_parties(hashes)
    if connection is None:
        return None
    # The lookup matched by hash; compare once more in constant time before trusting it.
    if any(tokens.token_matches(c, connection.inbound_token_hash) for c in candidates):
        if connection.previous_inbound_token_hash:
            _end_token_grace(connection)  # the partner uses the new token: the old one stops
        return connection
    previous = connection.previous_inbound_token_hash
    if previous and any(tokens.token_matches(c, previous) for c in candidates):
        return connection  # the token before our rotation, within its grace period
    return None


def _end_token_grace(connection: Connection) -> None:
    Connection.objects.filter(pk=connection.pk).update(
        previous_inbound_token_hash="", previous_inbound_token_expires_at=None
    )
    connection.previous_inbound_token_hash = ""
    connection.previous_inbound_token_expires_at = None


def _token_hash_in(hashes: list[str], prefix: str = "") -> Q:
    """The connection's token is one of `hashes`, or its token before a rotation still is."""
    return Q(**{f"{prefix}inbound_token_hash__in": hashes}) | Q(
        **{
            f"{prefix}previous_inbound_token_hash__in": hashes,
            f"{prefix}previous_inbound_token_expires_at__gt": timezone.now(),
        }
    )


def _connection_with_parties(hashes: list[str]) -> Connection | None:
    """The active connection with one of these token hashes, its parties loaded as
    prefetch_related("parties") loads them. On PostgreSQL one statement, which also reads our
    own parties (`request_own_parties`)."""
    if connections[Connection.objects.db].vendor == "postgresql":
        return _connection_by_statement(hashes)
    return _connection_by_queryset(hashes)


@functools.cache
def _authenticating_statement() -> str:
    """The statement that authenticates on PostgreSQL, written once per process: Django takes
    longer to build a joined query than PostgreSQL takes to run it. The connection's row carries
    its parties and ours, each as one JSON text, so that the statement that authenticates also
    tells whom the partner acts for and whom it may address here, with no round trip of its own
    and no copy that could be out of date. Two readings of one header matching two connections
    is all but impossible; if it happens, the same one wins every time."""
    quote = connections[Connection.objects.db].ops.quote_name

    def json_rows(model, condition: str = "") -> str:
        columns = ", ".join(f"row.{quote(field.column)}" for field in model._meta.concrete_fields)
        return (
            f"(SELECT json_agg(json_build_array({columns}) ORDER BY row.id)::text "
            f"FROM {quote(model._meta.db_table)} AS row {condition})"
        )

    return (
        "SELECT partner.*, "
        f"{json_rows(ConnectionParty, 'WHERE row.connection_id = partner.id')} AS party_rows, "
        f"{json_rows(OwnParty)} AS our_parties "
        f"FROM {quote(Connection._meta.db_table)} AS partner "
        "WHERE partner.status = ANY(%s) AND (partner.inbound_token_hash = ANY(%s) "
        "OR (partner.previous_inbound_token_hash = ANY(%s) "
        "AND partner.previous_inbound_token_expires_at > %s)) "
        "ORDER BY partner.id LIMIT 1"
    )


def _connection_by_statement(hashes: list[str]) -> Connection | None:
    statuses = [status.value for status in ACTIVE_STATUSES]
    found = Connection.objects.raw(
        _authenticating_statement(), [statuses, hashes, hashes, timezone.now()]
    )
    connection = next(iter(found), None)
    if connection is None:
        return None
    parties = _instances_from_json(ConnectionParty, connection.party_rows)
    for party in parties:
        party.connection = connection
    _set_loaded_parties(connection, parties)
    connection.own_parties = _instances_from_json(OwnParty, connection.our_parties)
    return connection


def _instances_from_json(model, text: str | None) -> list:
    """Model instances from rows of their columns as PostgreSQL writes them in JSON."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    return [
        model.from_db(
            model.objects.db,
            names,
            [
                datetime.fromisoformat(value)
                if value is not None and isinstance(field, DateTimeField)
                else value
                for field, value in zip(fields, row, strict=True)
            ],
        )
        for row in json.loads(text or "[]")
    ]


def _set_loaded_parties(connection: Connection, parties: list[ConnectionParty]) -> None:
    loaded = ConnectionParty.objects.filter(connection=connection)
    loaded._result_cache, loaded._prefetch_done = parties, True
    connection._prefetched_objects_cache = {"parties": loaded}


def _connection_by_queryset(hashes: list[str]) -> Connection | None:
    """Other databases (SQLite for `make run`): one query, two for a connection without
    parties; our parties are read when a request needs them."""
    rows = list(
        ConnectionParty.objects.select_related("connection").filter(
            _token_hash_in(hashes, "connection__"), connection__status__in=ACTIVE_STATUSES
        )
    )
    if not rows:
        return (
            Connection.objects.filter(_token_hash_in(hashes), status__in=ACTIVE_STATUSES)
            .prefetch_related("parties")
            .first()
        )
    connection = min(rows, key=lambda row: row.connection_id).connection
    parties = sorted(
        (row for row in rows if row.connection_id == connection.pk), key=lambda row: row.pk
    )
    for party in parties:
        party.connection = connection
    _set_loaded_parties(connection, parties)
    return connection


class OcpiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <base64 or plain token>`; sets request.auth to the Connection."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            logger.warning("OCPI request without Authorization header: %s", request.path)
            raise NotAuthenticated("Missing Authorization header (expected 'Token <token>')")
        if not tokens.token_candidates(header):
            logger.warning("OCPI request with malformed Authorization header: %s", request.path)
            raise AuthenticationFailed("Malformed Authorization header (expected 'Token <token>')")
        connection = connection_for_header(header)
        if connection is None:
            logger.warning("OCPI request with unknown token: %s", request.path)
            raise AuthenticationFailed("Invalid or expired token")
        # The middleware logs traffic against this connection.
        request._request.ocpi_connection = connection
        # Our parties as the authenticating statement read them (None: not read, ask for them).
        request.ocpi_own_parties = getattr(connection, "own_parties", None)
        check_routing_headers(request, connection)
        return (None, connection)

    def authenticate_header(self, request):
        return "Token"


def check_routing_headers(request, connection: Connection) -> None:
    """OCPI-from-* must be one of the connection's parties, OCPI-to-* one of ours."""
    meta = request.META
    from_cc = meta.get("HTTP_OCPI_FROM_COUNTRY_CODE")
    from_pid = meta.get("HTTP_OCPI_FROM_PARTY_ID")
    to_cc = meta.get("HTTP_OCPI_TO_COUNTRY_CODE")
    to_pid = meta.get("HTTP_OCPI_TO_PARTY_ID")
    if bool(from_cc) != bool(from_pid):
        raise InvalidParameters("OCPI-from-country-code and OCPI-from-party-id must come together")
    if bool(to_cc) != bool(to_pid):
        raise InvalidParameters("OCPI-to-country-code and OCPI-to-party-id must come together")
    registered = connection.status == Connection.Status.REGISTERED
    if from_cc and registered and not connection.owns_party(from_cc, from_pid):
        raise PartyMismatch(
            f"OCPI-from party {from_cc}-{from_pid} is not a party of this connection"
        )
    request.ocpi_to_parties = None
    if to_cc:
        code = (to_cc.upper(), to_pid.upper())
        ours = [
            party
            for party in request_own_parties(request)
            if (party.country_code.upper(), party.party_id.upper()) == code
        ]
        if not ours:
            raise InvalidParameters(f"OCPI-to party {to_cc}-{to_pid} is not hosted here")
        request.ocpi_to_parties = ours


def request_own_parties(request) -> list[OwnParty]:
    """Our parties, in pk order: those read when the request authenticated, else read now."""
    ours = getattr(request, "ocpi_own_parties", None)
    return list(OwnParty.objects.order_by("pk")) if ours is None else ours


class IsOcpiPartner(BasePermission):
    """A registered connection. Versions and credentials allow pending ones (token A) too."""

    message = "Token is not registered: complete the credentials handshake first"

    def has_permission(self, request, view):
        connection = request.auth
        if connection is None:
            return False
        if getattr(view, "allow_pending_connection", False):
            return True
        if connection.status != Connection.Status.REGISTERED:
            # Token A opens versions and credentials only: elsewhere it is no valid token (401).
            raise AuthenticationFailed(self.message)
        return True
