"""Which parties a request acts for: the partner's (URL/body) and ours (routing headers)."""

from ocpi.models import Connection, ConnectionParty, OwnParty
from ocpi.transport.authentication import request_own_parties
from ocpi.transport.exceptions import InvalidParameters, PartyMismatch


def own_party(request, role: str) -> OwnParty:
    """Our party with `role` that the request addresses: the OCPI-to party, else our only one."""
    addressed = getattr(request, "ocpi_to_parties", None)
    if addressed:
        matching = [party for party in addressed if party.role == role]
        if not matching:
            raise InvalidParameters(f"OCPI-to party is not a {role} here")
        return matching[0]
    party = next((party for party in request_own_parties(request) if party.role == role), None)
    if party is None:
        raise InvalidParameters(f"No {role} party is hosted here")
    return party


def require_partner_party(connection: Connection, country_code: str, party_id: str) -> None:
    """A partner writes only objects of its own parties."""
    if not connection.owns_party(country_code, party_id):
        raise PartyMismatch(f"Party {country_code}-{party_id} is not a party of this connection")


def require_reportable_party(connection: Connection, country_code: str, party_id: str) -> None:
    """A hub reports on the parties behind it: never on ours, nor on another connection's."""
    if OwnParty.objects.filter(
        country_code__iexact=country_code, party_id__iexact=party_id
    ).exists():
        raise PartyMismatch(f"Party {country_code}-{party_id} is one of our own parties")
    held_elsewhere = (
        ConnectionParty.objects.filter(
            country_code__iexact=country_code, party_id__iexact=party_id, released_at__isnull=True
        )
        .exclude(connection=connection)
        .exclude(connection__status=Connection.Status.CLOSED)
    )
    if held_elsewhere.exists():
        raise PartyMismatch(f"Party {country_code}-{party_id} belongs to another connection")


def require_same_key(url_value: str, body: dict, field: str) -> None:
    """The body's key field must equal the URL's (case-insensitive: CiString)."""
    body_value = body.get(field)
    if body_value is not None and str(body_value).upper() != url_value.upper():
        raise InvalidParameters(
            f"{field} in the body ({body_value}) differs from the URL ({url_value})"
        )
