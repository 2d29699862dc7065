"""The credentials handshake, both directions, and our own parties.

As server (a partner calls our /ocpi/2.2.1/credentials): `credentials_registration_accept`,
`credentials_update_accept`, `credentials_unregistration_accept`. As initiator (we call theirs):
`connection_register`, `connection_credentials_rotate`, `connection_unregister`. Both directions
discover the partner's API the same way (`discover_partner_api`): their versions, the highest
version we share, its endpoints.
"""

from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ocpi import tokens, translations
from ocpi.client import OcpiClient, OcpiClientError
from ocpi.credentials.ownership import (
    PartyClaimed,
    connection_parties_check,
    connection_parties_claim,
    connection_parties_release,
    own_parties_check,
)
from ocpi.credentials.serializers import CredentialsIn
from ocpi.endpoints import RECEIVER, SENDER, VERSION, offered_versions, version_key, versions_url
from ocpi.models import Connection, OwnParty, Role
from ocpi.transport.exceptions import (
    InvalidParameters,
    NoMatchingEndpoints,
    OcpiError,
    UnableToUseClientApi,
    UnsupportedVersion,
    describe_validation_errors,
)

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
def own_parties_ensure() -> list[OwnParty]:
    """Create the parties OCPI_OWN_PARTIES names (existing ones are kept as they are); none may
    be a partner connection's."""
    wanted = parse_own_parties(settings.OCPI_OWN_PARTIES)
    own_parties_check(parties=wanted)
    return [
        OwnParty.objects.get_or_create(
            country_code=country_code,
            party_id=party_id,
            role=role,
            defaults={"name": f"{country_code}-{party_id} {role}"},
        )[0]
        for country_code, party_id, role in wanted
    ]


def connection_token_a_issue(*, name: str) -> tuple[Connection, str]:
    """A pending connection and its token A, to hand to a partner who will register with us."""
    token_a = tokens.new_token()
    connection = Connection(name=name)
    connection.set_inbound_token(token_a)
    connection.save()
    return connection, token_a


def connection_find(identifier: str) -> Connection:
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


def _get_data(client: OcpiClient, step: str, url: str):
    try:
        return client.call("GET", url, retries=HANDSHAKE_RETRIES).data
    except OcpiClientError as exc:
        raise HandshakeError(step, str(exc)) from exc


def discover_partner_api(
    *, connection: Connection, versions_url: str, token: str, version: str | None = None
) -> PartnerApi:
    """GET their versions and the highest mutual version's details, authenticated with `token`.

    `version`: the one the partner chose by calling us on it (it started the handshake)."""
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
    ours = offered_versions() if version is None else (version,)
    mutual = [v for v in offered if v in ours]
    if not mutual:
        raise HandshakeError(
            "versions",
            f"no mutual OCPI version: they offer {sorted(offered) or 'none'}, "
            f"we support {list(ours)}",
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
    endpoints = translations.endpoints_up(
        version, endpoints, partner_role=translations.Context().partner_role
    )
    return PartnerApi(version=version, version_url=offered[version], endpoints=endpoints)


def _speak(connection: Connection, api: PartnerApi) -> None:
    """From now on the connection's calls speak the version found (not saved yet)."""
    connection.version = api.version
    connection.endpoints = api.endpoints


def validated_credentials(document) -> dict:
    """The Credentials object as sent, once it is valid; InvalidParameters names the field."""
    serializer = CredentialsIn(data=document)
    if not serializer.is_valid():
        raise InvalidParameters(describe_validation_errors(serializer.errors))
    return document


def _store_partner(connection: Connection, *, api: PartnerApi, credentials: dict) -> None:
    """Their roles as the connection's parties (PartyClaimed if one is someone else's), their
    version, endpoints and token, and the connection marked registered."""
    connection_parties_claim(connection=connection, roles=credentials["roles"])
    _store_api(connection, api=api, credentials=credentials)


def _store_api(connection: Connection, *, api: PartnerApi, credentials: dict) -> None:
    """Their version, endpoints and token, and the connection marked registered."""
    connection.version = api.version
    connection.version_url = api.version_url
    connection.endpoints = api.endpoints
    connection.versions_url = credentials["url"]
    connection.outbound_token = credentials["token"]
    if not connection.name:
        connection.name = credentials["roles"][0]["business_details"]["name"]
    connection.mark_registered()
    connection.save()


@transaction.atomic
def _close(connection: Connection) -> None:
    """No more traffic either way: their token stops working here, ours is forgotten, and
    their parties are free for another connection."""
    connection.status = Connection.Status.CLOSED
    connection.set_inbound_token(None)
    connection.outbound_token = ""
    connection.save()
    connection_parties_release(connection=connection)


# We are the server: the partner calls our credentials endpoint --------------------------------


def _accept(
    *, connection: Connection, document, plain_token: bool, expected_status: str, version: str
) -> dict:
    """Their credentials stored and our new token C, or an OcpiError and nothing changed (their
    token A or C still works). A party of someone else's is refused before we call them."""
    credentials = validated_credentials(document)
    connection_parties_check(connection=connection, roles=credentials["roles"])
    connection.plain_token = plain_token
    try:
        api = discover_partner_api(
            connection=connection,
            versions_url=credentials["url"],
            token=credentials["token"],
            version=version,
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


def credentials_registration_accept(
    *, connection: Connection, document, plain_token: bool, version: str = VERSION
) -> dict:
    """POST with token A: fetch their API with their token, store it, answer with token C.

    `version` is the one the partner called us on: the connection speaks it."""
    if connection.status != Connection.Status.PENDING:
        raise NotAllowedNow("Already registered: PUT updates the credentials, DELETE ends them")
    return _accept(
        connection=connection,
        document=document,
        plain_token=plain_token,
        expected_status=Connection.Status.PENDING,
        version=version,
    )


def credentials_update_accept(
    *, connection: Connection, document, plain_token: bool, version: str = VERSION
) -> dict:
    """PUT: fetch their API again with their new token, answer with a new token C."""
    if connection.status != Connection.Status.REGISTERED:
        raise NotAllowedNow("Not registered yet: POST registers")
    return _accept(
        connection=connection,
        document=document,
        plain_token=plain_token,
        expected_status=Connection.Status.REGISTERED,
        version=version,
    )


def credentials_unregistration_accept(*, connection: Connection) -> None:
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


def connection_register(
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
    _speak(connection, api)
    token_b = tokens.new_token()
    connection.set_inbound_token(token_b)
    connection.save()
    try:
        client = OcpiClient(connection, token=token_a)
        credentials = _send_credentials(client, "POST", api.credentials_url, token_b)
        with transaction.atomic():
            _store_partner(connection, api=api, credentials=credentials)
    except PartyClaimed as exc:
        # They registered us already: tell them it is off, as far as they listen.
        _withdraw(connection, url=api.credentials_url, token=credentials["token"])
        connection.delete()
        raise HandshakeError("credentials", f"refused their roles: {exc.detail}") from exc
    except BaseException:
        connection.delete()
        raise
    return connection


def _withdraw(connection: Connection, *, url: str, token: str) -> None:
    """DELETE our registration at the partner, once; the registration is refused here
    whatever it answers."""
    with suppress(OcpiClientError):
        OcpiClient(connection, token=token).call("DELETE", url, retries=0)


def connection_credentials_rotate(*, connection: Connection) -> Connection:
    """PUT fresh credentials (a new token B) to the partner and store the token C it answers."""
    if connection.status != Connection.Status.REGISTERED:
        raise HandshakeError("check", f"connection {connection.identifier} is {connection.status}")
    api = discover_partner_api(
        connection=connection,
        versions_url=connection.versions_url,
        token=connection.outbound_token,
    )
    _speak(connection, api)
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
    try:
        with transaction.atomic():
            _store_partner(connection, api=api, credentials=credentials)
    except PartyClaimed as exc:
        # Both sides use the new tokens already; only the claim is refused.
        with transaction.atomic():
            _store_api(connection, api=api, credentials=credentials)
        raise HandshakeError(
            "credentials", f"new tokens kept, their parties unchanged: {exc.detail}"
        ) from exc
    return connection


def connection_unregister(*, connection: Connection) -> None:
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
