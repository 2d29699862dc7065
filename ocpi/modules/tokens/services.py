"""Writing tokens and authorizing them.

Our eMSP owns tokens and pushes them to CPOs; our CPO caches partner eMSPs' tokens and, for a
token it cannot decide on alone, asks the token's eMSP in real time (mod_tokens, real-time
authorization).
"""

import logging
import uuid
from urllib.parse import quote

from django.db import transaction

from ocpi.client import OcpiClient, OcpiClientError, OcpiReply
from ocpi.endpoints import SENDER
from ocpi.models import Connection, ConnectionParty, OwnParty
from ocpi.modules.tokens import selectors
from ocpi.modules.tokens.declaration import TOKENS
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.serializers import (
    AuthorizationInfoSerializer,
    LocationReferencesSerializer,
    TokenSerializer,
)
from ocpi.objects import UpsertResult, merge_patch, object_key, upsert_object
from ocpi.sync.push import object_push
from ocpi.transport.exceptions import (
    InvalidParameters,
    OcpiError,
    UnableToUseClientApi,
    UnknownToken,
)
from ocpi.transport.parties import require_partner_party
from ocpi.validation import checked_patch, checked_put, require_own_party, validate_document

logger = logging.getLogger(__name__)

# Whitelist values under which a CPO may let a token charge when its eMSP cannot be reached.
USABLE_OFFLINE = {Token.Whitelist.ALLOWED, Token.Whitelist.ALLOWED_OFFLINE}


def store_from_partner(*, connection: Connection, document: dict) -> UpsertResult:
    """Store a complete token a partner eMSP sent (PUT to our CPO, or pulled)."""
    data = validate_document(TokenSerializer, document)
    require_partner_party(connection, data["country_code"], data["party_id"])
    return _upsert(data, document, source=connection)


def token_put_from_partner(
    *,
    connection: Connection,
    country_code: str,
    party_id: str,
    token_uid: str,
    token_type: str | None,
    document: dict,
) -> UpsertResult:
    """PUT of a partner eMSP's token; `token_type` is the URL's type, if it names one."""
    require_partner_party(connection, country_code, party_id)
    url_keys = {"country_code": country_code, "party_id": party_id, "uid": token_uid}
    if token_type is not None:
        url_keys["type"] = token_type
    checked_put(document, **url_keys)
    return store_from_partner(connection=connection, document=document)


def token_patch_from_partner(
    *,
    connection: Connection,
    country_code: str,
    party_id: str,
    token_uid: str,
    token_type: str,
    patch: dict,
) -> UpsertResult:
    require_partner_party(connection, country_code, party_id)
    patch = checked_patch(
        patch, country_code=country_code, party_id=party_id, uid=token_uid, type=token_type
    )
    with transaction.atomic():
        stored = (
            Token.objects.select_for_update()
            .filter(**object_key(country_code, party_id, token_uid), token_type=token_type)
            .first()
        )
        if stored is None:
            raise UnknownToken(
                f"Token {token_uid} ({token_type}) of {country_code}-{party_id} is not known"
            )
        document = merge_patch(stored.document, patch)
        data = validate_document(TokenSerializer, document)
        return _upsert(data, document, source=connection)


def token_save_own(*, party: OwnParty, document: dict) -> UpsertResult:
    """Create or replace a token of our eMSP and push it (PUT) to the partners' receivers."""
    data = validate_document(TokenSerializer, document)
    require_own_party(party, data)
    with transaction.atomic():
        result = _upsert(data, document, source=None)
        if result.applied:
            object_push(module=TOKENS, party=party, method="PUT", document=document, body=document)
    return result


def _upsert(data: dict, document: dict, *, source: Connection | None) -> UpsertResult:
    return upsert_object(
        Token,
        country_code=data["country_code"],
        party_id=data["party_id"],
        object_id=data["uid"],
        document=document,
        source=source,
        extra={
            "contract_id": data["contract_id"].upper(),
            "valid": data["valid"],
            "whitelist": data["whitelist"],
        },
        extra_key={"token_type": data["type"]},
    )


def location_references_from(body) -> dict | None:
    """The optional LocationReferences body of an authorization request (empty: none)."""
    if not body:
        return None
    validate_document(LocationReferencesSerializer, body)
    return body


def token_authorize(*, token_uid: str, token_type: str, location_references: dict | None) -> dict:
    """Our eMSP's answer to a CPO asking whether one of our tokens may charge (AuthorizationInfo).

    Raises UnknownToken (2004) when the token is not ours.
    """
    token = selectors.own_token(token_uid=token_uid, token_type=token_type)
    if token is None:
        raise UnknownToken(f"Token {token_uid} ({token_type}) is not known")
    return _authorization(token, location_references, reference=uuid.uuid4().hex)


def _authorization(token: Token, location_references: dict | None, *, reference=None) -> dict:
    if not token.valid:
        return {
            "allowed": "BLOCKED",
            "token": token.document,
            "info": {"language": "en", "text": "This token is blocked."},
        }
    info = {"allowed": "ALLOWED", "token": token.document}
    if location_references:
        info["location"] = location_references
    if reference:
        info["authorization_reference"] = reference
    return info


def token_authorize_remotely(
    *,
    token_uid: str,
    token_type: str = "RFID",
    location: dict | None = None,
    party: OwnParty | None = None,
) -> dict:
    """Our CPO (`party`; default our first) asks the token's eMSP whether a token may charge;
    returns its AuthorizationInfo.

    A token we have cached is asked of its own eMSP, or decided here when its whitelist says
    ALWAYS, or when its eMSP cannot be asked and the whitelist allows deciding without it. An
    unknown token is asked of each partner eMSP with a tokens sender endpoint until one knows
    it. Raises UnknownToken when none does, UnableToUseClientApi when no answer can be had.
    """
    cached = selectors.partner_token(token_uid=token_uid, token_type=token_type)
    if cached is not None and cached.whitelist == Token.Whitelist.ALWAYS:
        return _authorization(cached, location)
    emsps = (
        selectors.emsp_connections(country_code=cached.country_code, party_id=cached.party_id)
        if cached is not None
        else selectors.emsp_connections()
    )
    askable = [(c, party) for c, party in emsps if c.endpoint_url(TOKENS.identifier, SENDER)]
    if cached is not None and not askable:
        return _decide_without_emsp(cached, location, "its eMSP offers no real-time authorization")
    failures = []
    for connection, emsp_party in askable:
        try:
            reply = _ask_emsp(connection, party, emsp_party, token_uid, token_type, location)
        except OcpiClientError as exc:
            if cached is not None:
                return _decide_without_emsp(cached, location, f"{connection.name}: {exc}")
            failures.append(f"{connection.name}: {exc}")
            continue
        if reply.http_status == 404 or reply.ocpi_status == UnknownToken.ocpi_status:
            continue
        return _authorization_from(connection, reply)
    if failures:
        raise UnableToUseClientApi("; ".join(failures))
    raise UnknownToken(f"Token {token_uid} ({token_type}) is not known to any partner eMSP")


def _ask_emsp(
    connection: Connection,
    our_cpo: OwnParty | None,
    emsp_party: ConnectionParty,
    token_uid: str,
    token_type: str,
    location: dict | None,
) -> OcpiReply:
    our_cpo = our_cpo or OwnParty.objects.filter(role="CPO").order_by("pk").first()
    client = OcpiClient(
        connection, from_party=our_cpo, to_party=(emsp_party.country_code, emsp_party.party_id)
    )
    url = connection.endpoint_url(TOKENS.identifier, SENDER).rstrip("/")
    # Real time: a driver is waiting at the charge point, so no retries.
    return client.request(
        "POST",
        f"{url}/{quote(token_uid, safe='')}/authorize",
        params={"type": token_type},
        body=location,
        retries=0,
    )


def _authorization_from(connection: Connection, reply: OcpiReply) -> dict:
    """The eMSP's AuthorizationInfo, checked; its token is cached for the next time."""
    if not reply.ok:
        raise UnableToUseClientApi(f"{connection.name} answered {reply.summary}")
    try:
        validate_document(AuthorizationInfoSerializer, reply.data)
    except InvalidParameters as exc:
        raise UnableToUseClientApi(
            f"{connection.name} answered an invalid AuthorizationInfo: {exc.detail}"
        ) from exc
    _cache_token(connection, reply.data["token"])
    return reply.data


def _decide_without_emsp(token: Token, location: dict | None, reason: str) -> dict:
    """A cached token whose eMSP cannot be asked: its whitelist says whether we may decide."""
    if token.whitelist not in USABLE_OFFLINE:
        raise UnableToUseClientApi(f"Token {token.ocpi_id} needs its eMSP, and {reason}")
    logger.warning("Token %s authorized without its eMSP: %s", token.ocpi_id, reason)
    return _authorization(token, location)


def _cache_token(connection: Connection, document: dict) -> None:
    """Keep the token an eMSP returned, so that its next authorization goes straight to it."""
    try:
        store_from_partner(connection=connection, document=document)
    except OcpiError as exc:
        logger.warning("Token from %s not cached: %s", connection.name, exc.detail)
