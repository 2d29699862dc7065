"""Reading tokens, and finding the eMSP to ask about one."""

from django.db.models import QuerySet

from ocpi.models import Connection, ConnectionParty, OwnParty
from ocpi.modules.tokens.models import Token
from ocpi.objects import object_key


def own_tokens(*, party: OwnParty) -> QuerySet[Token]:
    return Token.objects.filter(
        source__isnull=True,
        country_code=party.country_code.upper(),
        party_id=party.party_id.upper(),
    )


def token_by_key(
    *, country_code: str, party_id: str, token_uid: str, token_type: str
) -> QuerySet[Token]:
    return Token.objects.filter(
        **object_key(country_code, party_id, token_uid), token_type=token_type
    )


def own_token(*, token_uid: str, token_type: str) -> Token | None:
    """One of our eMSP's tokens, by uid and type."""
    return (
        Token.objects.filter(source__isnull=True, ocpi_id=token_uid.upper(), token_type=token_type)
        .order_by("-last_updated")
        .first()
    )


def partner_token(*, token_uid: str, token_type: str) -> Token | None:
    """A partner eMSP's token our CPO has cached, by uid and type."""
    return (
        Token.objects.filter(source__isnull=False, ocpi_id=token_uid.upper(), token_type=token_type)
        .order_by("-last_updated")
        .first()
    )


def emsp_connections(
    *, country_code: str | None = None, party_id: str | None = None
) -> list[tuple[Connection, ConnectionParty]]:
    """Registered partners with an eMSP party (the given one, else their first), by name."""
    parties = ConnectionParty.objects.filter(
        role="EMSP", connection__status=Connection.Status.REGISTERED
    ).select_related("connection")
    if country_code is not None:
        parties = parties.filter(country_code__iexact=country_code, party_id__iexact=party_id)
    found: dict[int, tuple[Connection, ConnectionParty]] = {}
    for party in parties.order_by("connection__name", "connection_id", "pk"):
        found.setdefault(party.connection_id, (party.connection, party))
    return list(found.values())
