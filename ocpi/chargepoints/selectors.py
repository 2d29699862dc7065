"""Reads about our CPO's charging infrastructure that commands and charging profiles share."""

from ocpi.models import Connection, OwnParty
from ocpi.modules.locations.selectors import find_connector, find_evse, own_locations
from ocpi.modules.sessions.models import Session
from ocpi.objects import object_key


def own_session(*, party: OwnParty, session_id: str):
    """One of our CPO's sessions (never a partner's with the same codes), or None."""
    return Session.objects.filter(
        **object_key(party.country_code, party.party_id, session_id), source__isnull=True
    ).first()


def session_belongs_to(session, connection: Connection) -> bool:
    """Whether the session's token was issued by one of the connection's eMSP parties."""
    token = session.document.get("cdr_token") or {}
    return connection.owns_party(token.get("country_code", ""), token.get("party_id", ""))


def own_location(*, party: OwnParty, location_id: str):
    """One of our CPO's locations, or None."""
    return own_locations(party=party).filter(ocpi_id=location_id.upper()).first()


def unknown_location_part(
    *, party: OwnParty, location_id: str, evse_uid: str | None, connector_id: str | None
) -> str | None:
    """Why a command's location, EVSE or connector cannot be found, or None if all exist."""
    location = own_location(party=party, location_id=location_id)
    if location is None:
        return f"Unknown location {location_id}"
    if not evse_uid:
        return None
    evse = find_evse(location.document, evse_uid)
    if evse is None:
        return f"Unknown EVSE {evse_uid} at location {location_id}"
    if connector_id and find_connector(evse, connector_id) is None:
        return f"Unknown connector {connector_id} of EVSE {evse_uid}"
    return None
