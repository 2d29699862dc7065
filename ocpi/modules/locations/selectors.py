"""Reads of stored locations: our own for the sender interface, partners' for everyone else."""

from django.db.models import QuerySet

from ocpi.models import OwnParty
from ocpi.modules.locations.models import Location
from ocpi.objects import object_key


def own_locations(*, party: OwnParty) -> QuerySet[Location]:
    """The locations our CPO party publishes (never a partner's, even with the same codes)."""
    return Location.objects.filter(
        country_code=party.country_code.upper(),
        party_id=party.party_id.upper(),
        source__isnull=True,
    )


def own_location(*, party: OwnParty, location_id: str) -> Location | None:
    """One of our CPO's locations, or None."""
    return own_locations(party=party).filter(ocpi_id=location_id.upper()).first()


def location_get(*, country_code: str, party_id: str, location_id: str) -> Location | None:
    return Location.objects.filter(**object_key(country_code, party_id, location_id)).first()


def location_time_zone(*, country_code: str, party_id: str, location_id: str) -> str | None:
    """The IANA time zone of a stored location (tariff restrictions are in local time)."""
    return (
        Location.objects.filter(**object_key(country_code, party_id, location_id))
        .values_list("time_zone", flat=True)
        .first()
    )


def find_evse(location_document: dict, evse_uid: str) -> dict | None:
    """The EVSE with this uid inside a location document (uids compare case-insensitively)."""
    for evse in location_document.get("evses") or []:
        if str(evse.get("uid", "")).upper() == evse_uid.upper():
            return evse
    return None


def find_connector(evse_document: dict, connector_id: str) -> dict | None:
    for connector in evse_document.get("connectors") or []:
        if str(connector.get("id", "")).upper() == connector_id.upper():
            return connector
    return None


def location_part(
    location_document: dict, evse_uid: str, connector_id: str | None = None
) -> dict | None:
    """The EVSE, or the Connector of an EVSE, a request names inside a location document."""
    evse = find_evse(location_document, evse_uid)
    if evse is None or connector_id is None:
        return evse
    return find_connector(evse, connector_id)


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
