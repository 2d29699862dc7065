"""The credentials handshake, both directions, and our own parties.

As server (a partner calls our /ocpi/2.2.1/credentials): `accept_registration`, `accept_update`,
`accept_unregistration`. As initiator (we call theirs): `register_with_partner`,
`rotate_credentials`, `unregister`. Both directions discover the partner's API the same way
(`discover_partner_api`): their versions, the highest version we share, its endpoints.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ocpi import tokens
from ocpi.client import OcpiClient, OcpiClientError
from ocpi.credentials.serializers import CredentialsIn
from ocpi.endpoints import RECEIVER, SENDER, VERSION, versions_url
from ocpi.models import Connection, ConnectionParty, OwnParty, Role
from ocpi.transport.exceptions import (
    InvalidParameters,
    NoMatchingEndpoints,
    OcpiError,
    UnableToUseClientApi,
    UnsupportedVersion,
    describe_validation_errors,
)

SUPPORTED_VERSIONS = (VERSION,)
# The partner waits on the other end of a handshake call: retry a failed GET once, not more.
HANDSHAKE_RETRIES = 1


class HandshakeError(Exception):
    """A handshake step failed. `step` names it; `message` says what the partner answered.

    `ocpi_error` is the OCPI error we answer with when the partner started the handshake.
    """

    def __init__(
        self, step: str, message: str, *, ocpi_error: type[OcpiError] = UnableToUseClientApi
    ):
        self.step = step
        self.message = " ".join(message.split())  # one line, whatever the partner sent
        self.ocpi_error = ocpi_error
        super().__init__(f"{step}: {self.message}")

    def as_ocpi_error(self) -> OcpiError:
        return self.ocpi_error(f"{self.step}: {self.message}")


class NotAllowedNow(OcpiError):
    """POST when already registered, PUT or DELETE when not: HTTP 405, as the spec demands."""

    status_code = 405


@dataclass(frozen=True)
class PartnerApi:
    """What discovery found: the version we share and that version's endpoints."""

    version: str
    version_url: str
    endpoints: list[dict]

    @property
    def credentials_url(self) -> str:
        found = [e for e in self.endpoints if e["identifier"] == "credentials"]
        found.sort(key=lambda e: e.get("role") != RECEIVER)
        return found[0]["url"]


# Our side -------------------------------------------------------------------------------------


def our_credentials(*, token: str) -> dict:
    """The Credentials object we hand out: a token, our versions URL and all our roles."""
    return {
        "token": token,
        "url": versions_url(),
        "roles": [party.credentials_role() for party in OwnParty.objects.all()],
    }


def parse_own_parties(value: str) -> list[tuple[str, str, str]]:
    """'NL-TMC:CPO,NL-TME:EMSP' -> [("NL", "TMC", "CPO"), ("NL", "TME", "EMSP")]."""
    parties = []
    for entry in filter(None, (item.strip() for item in value.split(","))):
        code, _, role = entry.partition(":")
        country_code, _, party_id = code.strip().partition("-")
        role = role.strip().upper()
        if len(country_code) != 2 or not 1 <= len(party_id) <= 3 or role not in Role.values:
            raise ImproperlyConfigured(
                f"OCPI_OWN_PARTIES entry {entry!r} is not CC-PID:ROLE (e.g. NL-TMC:CPO)"
            )
        parties.append((country_code.upper(), party_id.upper(), role))
    return parties


@transaction.atomic
def ensure_own_parties() -> list[OwnParty]:
    """Create the parties OCPI_OWN_PARTIES names (existing ones are kept as they are)."""
    return [
        OwnParty.objects.get_or_create(
            country_code=country_code,
            party_id=party_id,
            role=role,
            defaults={"name": f"{country_code}-{party_id} {role}"},
        )[0]
        for country_code, party_id, role in parse_own_parties(settings.OCPI_OWN_PARTIES)
    ]


def issue_token_a(*, name: str) -> tuple[Connection, str]:
    """A pending connection and its token A, to hand to a partner who will register with us."""
    token_a = tokens.new_token()
    connection = Connection(name=name)
    connection.set_inbound_token(token_a)
    connection.save()
    return connection, token_a


def find_connection(identifier: str) -> Connection:
    """A connection by database id or by any CC-PID of its parties (registered ones first)."""
    identifier = identifier.strip()
    if identifier.isdigit():
        return Connection.objects.get(pk=int(identifier))
    country_code, _, party_id = identifier.partition("-")
    candidates = list(
        Connection.objects.filter(
            parties__country_code__iexact=country_code, parties__party_id__iexact=party_id
        )
        .distinct()
        .order_by("-created_at")
    )
    if not candidates:
        raise Connection.DoesNotExist(f"No connection with id or party {identifier!r}")
    preference = [
        Connection.Status.REGISTERED,
        Connection.Status.SUSPENDED,
        Connection.Status.PENDING,
    ]
    candidates.sort(key=lambda c: preference.index(c.status) if c.status in preference else 9)
    return candidates[0]


# Discovery and storage, shared by both directions -----------------------------------------------


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def _get_data(client: OcpiClient, step: str, url: str):
    try:
        return client.call("GET", url, retries=HANDSHAKE_RETRIES).data
    except OcpiClientError as exc:
        raise HandshakeError(step, str(exc)) from exc


def discover_partner_api(*, connection: Connection, versions_url: str, token: str) -> PartnerApi:
    """GET their versions and the highest mutual version's details, authenticated with `token`."""
    client = OcpiClient(connection, token=token)
    versions = _get_data(client, "versions", versions_url)
    if not isinstance(versions, list):
        raise HandshakeError("versions", f"GET {versions_url} answered no list of versions")
    offered = {
        v["version"]: v["url"]
        for v in versions
        if isinstance(v, dict)
        and isinstance(v.get("version"), str)
        and isinstance(v.get("url"), str)
    }
    mutual = [version for version in offered if version in SUPPORTED_VERSIONS]
    if not mutual:
        raise HandshakeError(
            "versions",
            f"no mutual OCPI version: they offer {sorted(offered) or 'none'}, "
            f"we support {list(SUPPORTED_VERSIONS)}",
            ocpi_error=UnsupportedVersion,
        )
    version = max(mutual, key=version_key)
    limit = Connection._meta.get_field("version_url").max_length
    if len(offered[version]) > limit:
        raise HandshakeError(
            "versions", f"the URL of version {version} is longer than {limit} characters"
        )
    details = _get_data(client, "version details", offered[version])
    raw_endpoints = details.get("endpoints") if isinstance(details, dict) else None
    if not isinstance(raw_endpoints, list):
        raise HandshakeError("version details", f"GET {offered[version]} answered no endpoints")
    endpoints = [
        e
        for e in raw_endpoints
        if isinstance(e, dict)
        and isinstance(e.get("identifier"), str)
        and isinstance(e.get("url"), str)
    ]
    if not any(e["identifier"] == "credentials" for e in endpoints):
        raise HandshakeError(
            "version details",
            f"{offered[version]} lists no credentials endpoint",
            ocpi_error=NoMatchingEndpoints,
        )
    return PartnerApi(version=version, version_url=offered[version], endpoints=endpoints)


def validated_credentials(document) -> dict:
    """The Credentials object as sent, once it is valid; InvalidParameters names the field."""
    serializer = CredentialsIn(data=document)
    if not serializer.is_valid():
        raise InvalidParameters(describe_validation_errors(serializer.errors))
    return document


def _store_partner(connection: Connection, *, api: PartnerApi, credentials: dict) -> None:
    """Their version, endpoints, token and roles, and the connection marked registered."""
    connection.version = api.version
    connection.version_url = api.version_url
    connection.endpoints = api.endpoints
    connection.versions_url = credentials["url"]
    connection.outbound_token = credentials["token"]
    if not connection.name:
        connection.name = credentials["roles"][0]["business_details"]["name"]
    connection.mark_registered()
    connection.save()
    connection.parties.all().delete()
    ConnectionParty.objects.bulk_create(
        ConnectionParty(
            connection=connection,
            country_code=role["country_code"].upper(),
            party_id=role["party_id"].upper(),
            role=role["role"],
            business_details=role["business_details"],
        )
        for role in credentials["roles"]
    )


def _close(connection: Connection) -> None:
    """No more traffic either way: their token stops working here, ours is forgotten."""
    connection.status = Connection.Status.CLOSED
    connection.set_inbound_token(None)
    connection.outbound_token = ""
    connection.save()


# We are the server: the partner calls our credentials endpoint --------------------------------


def _accept(*, connection: Connection, document, plain_token: bool, expected_status: str) -> dict:
    credentials = validated_credentials(document)
    connection.plain_token = plain_token
    try:
        api = discover_partner_api(
            connection=connection, versions_url=credentials["url"], token=credentials["token"]
        )
    except HandshakeError as exc:
        raise exc.as_ocpi_error() from exc
    token_c = tokens.new_token()
    with transaction.atomic():
        locked = Connection.objects.select_for_update().get(pk=connection.pk)
        if locked.status != expected_status:
            raise NotAllowedNow(f"The connection is {locked.status} now")
        locked.plain_token = plain_token
        locked.set_inbound_token(token_c)
        _store_partner(locked, api=api, credentials=credentials)
    return our_credentials(token=token_c)


def accept_registration(*, connection: Connection, document, plain_token: bool) -> dict:
    """POST with token A: fetch their API with their token, store it, answer with token C."""
    if connection.status != Connection.Status.PENDING:
        raise NotAllowedNow("Already registered: PUT updates the credentials, DELETE ends them")
    return _accept(
        connection=connection,
        document=document,
        plain_token=plain_token,
        expected_status=Connection.Status.PENDING,
    )


def accept_update(*, connection: Connection, document, plain_token: bool) -> dict:
    """PUT: fetch their API again with their new token, answer with a new token C."""
    if connection.status != Connection.Status.REGISTERED:
        raise NotAllowedNow("Not registered yet: POST registers")
    return _accept(
        connection=connection,
        document=document,
        plain_token=plain_token,
        expected_status=Connection.Status.REGISTERED,
    )


def accept_unregistration(*, connection: Connection) -> None:
    """DELETE: the partner ends the connection."""
    if connection.status != Connection.Status.REGISTERED:
        raise NotAllowedNow("Not registered: nothing to unregister")
    _close(connection)


# We initiate: we call the partner's credentials endpoint --------------------------------------


def _send_credentials(client: OcpiClient, method: str, url: str, token_b: str) -> dict:
    try:
        reply = client.call(method, url, body=our_credentials(token=token_b), retries=0)
    except OcpiClientError as exc:
        raise HandshakeError("credentials", str(exc)) from exc
    try:
        return validated_credentials(reply.data)
    except InvalidParameters as exc:
        raise HandshakeError(
            "credentials", f"{method} {url} answered invalid credentials: {exc.detail}"
        ) from exc


def register_with_partner(
    *, versions_url: str, token_a: str, name: str | None = None, plain_token: bool = False
) -> Connection:
    """Register with a partner who gave us `token_a` and its versions URL.

    Our token B is stored before the POST: the partner calls our versions with it meanwhile.
    If the registration fails, the half-made connection is removed again.
    """
    limit = Connection._meta.get_field("versions_url").max_length
    if len(versions_url) > limit:
        raise HandshakeError("check", f"the versions URL is longer than {limit} characters")
    existing = Connection.objects.filter(
        versions_url=versions_url, status=Connection.Status.REGISTERED
    ).first()
    if existing is not None:
        raise HandshakeError(
            "check", f"already registered with {versions_url} as {existing.identifier}: rotate it"
        )
    connection = Connection(name=name or "", versions_url=versions_url, plain_token=plain_token)
    api = discover_partner_api(connection=connection, versions_url=versions_url, token=token_a)
    token_b = tokens.new_token()
    connection.set_inbound_token(token_b)
    connection.save()
    try:
        client = OcpiClient(connection, token=token_a)
        credentials = _send_credentials(client, "POST", api.credentials_url, token_b)
        with transaction.atomic():
            _store_partner(connection, api=api, credentials=credentials)
    except BaseException:
        connection.delete()
        raise
    return connection


def rotate_credentials(*, connection: Connection) -> Connection:
    """PUT fresh credentials (a new token B) to the partner and store the token C it answers."""
    if connection.status != Connection.Status.REGISTERED:
        raise HandshakeError("check", f"connection {connection.identifier} is {connection.status}")
    api = discover_partner_api(
        connection=connection,
        versions_url=connection.versions_url,
        token=connection.outbound_token,
    )
    token_b = tokens.new_token()
    # Their old token keeps working until they use the new one (OCPI_TOKEN_GRACE_SECONDS at most).
    connection.rotate_inbound_token(token_b)
    connection.save(update_fields=[*Connection.INBOUND_TOKEN_FIELDS, "updated_at"])
    try:
        credentials = _send_credentials(OcpiClient(connection), "PUT", api.credentials_url, token_b)
    except BaseException:
        connection.cancel_inbound_token_rotation()
        connection.save(update_fields=[*Connection.INBOUND_TOKEN_FIELDS, "updated_at"])
        raise
    # The partner may have used the new token meanwhile, ending the old one's grace: keep that.
    connection.refresh_from_db(fields=Connection.INBOUND_TOKEN_FIELDS)
    with transaction.atomic():
        _store_partner(connection, api=api, credentials=credentials)
    return connection


def unregister(*, connection: Connection) -> None:
    """DELETE our credentials at the partner, then close the connection here in any case."""
    url = connection.endpoint_url("credentials", RECEIVER) or connection.endpoint_url(
        "credentials", SENDER
    )
    failure = ""
    # A suspended partner still holds our registration: it is told too.
    told = connection.status in (Connection.Status.REGISTERED, Connection.Status.SUSPENDED)
    if told and url:
        try:
            OcpiClient(connection).call("DELETE", url, retries=HANDSHAKE_RETRIES)
        except OcpiClientError as exc:
            failure = str(exc)
    _close(connection)
    if failure:
        raise HandshakeError(
            "unregister", f"closed here, but the partner's DELETE failed: {failure}"
        )
