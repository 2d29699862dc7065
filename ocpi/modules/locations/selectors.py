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
