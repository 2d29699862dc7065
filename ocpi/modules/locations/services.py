"""Writes of locations: a partner's (receiver interface, pull sync) and our CPO's own (pushed).

A Location row holds the whole document; an EVSE or a Connector is edited inside it, under a row
lock, or for a partner's PATCH (the frequent write) as long as no one else wrote the row between
its read and its write (`edit_object`). `last_updated` cascades upwards: a changed Connector
raises its EVSE's and its Location's `last_updated` to at least its own, a changed EVSE its
Location's.

Stale updates: a PUT or PATCH whose `last_updated` is older than the stored object it targets
changes nothing and is still answered with success (the sender's newer state is already here;
an error would make it retry a write that must not happen).
"""

from django.db import transaction

from ocpi.models import Connection, OwnParty
from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.locations.models import Location
from ocpi.modules.locations.selectors import find_connector, find_evse
from ocpi.modules.locations.serializers import (
    ConnectorSerializer,
    EvseSerializer,
    LocationSerializer,
)
from ocpi.objects import UpsertResult, edit_object, object_key, upsert_object
from ocpi.sync.push import object_push
from ocpi.timestamps import now_timestamp
from ocpi.transport.exceptions import InvalidParameters, UnknownLocation
from ocpi.transport.parties import require_partner_party
from ocpi.types import STATUSES
from ocpi.validation import (
    checked_patch,
    checked_put,
    ocpi_time,
    require_own_party,
    validate_document,
    validate_patch,
)


def store_from_partner(*, connection: Connection, document: dict) -> UpsertResult:
    """A complete Location from a partner (its PUT, or pulled from its sender interface)."""
    validate_document(LocationSerializer, document)
    require_partner_party(connection, document["country_code"], document["party_id"])
    return _store_location(document, source=connection)


def location_put_from_partner(
    *,
    connection: Connection,
    country_code: str,
    party_id: str,
    location_id: str,
    evse_uid: str | None = None,
    connector_id: str | None = None,
    document: dict,
) -> bool:
    """PUT of a Location, an EVSE or a Connector; False when it was stale and changed nothing."""
    require_partner_party(connection, country_code, party_id)
    if evse_uid is None:
        checked_put(document, country_code=country_code, party_id=party_id, id=location_id)
        return store_from_partner(connection=connection, document=document).applied
    if connector_id is None:
        validate_document(EvseSerializer, document)
        checked_put(document, uid=evse_uid)
    else:
        validate_document(ConnectorSerializer, document)
        checked_put(document, id=connector_id)
    with transaction.atomic():
        location = _locked_location(country_code, party_id, location_id)
        if connector_id is None:
            applied = _put_evse(location.document, document)
        else:
            applied = _put_connector(_evse_of(location, evse_uid), document)
        if applied:
            _save(location, raised_to=document["last_updated"])
    return applied


def location_patch_from_partner(
    *,
    connection: Connection,
    country_code: str,
    party_id: str,
    location_id: str,
    evse_uid: str | None = None,
    connector_id: str | None = None,
    patch: dict,
) -> bool:
    """PATCH of a Location, an EVSE or a Connector; False when it was stale and changed nothing.

    Members sent as null are left unchanged (null is an absent field); lists are replaced.
    """
    require_partner_party(connection, country_code, party_id)
    if evse_uid is None:
        validate_patch(LocationSerializer, patch)
        changes = checked_patch(patch, country_code=country_code, party_id=party_id, id=location_id)
    elif connector_id is None:
        validate_patch(EvseSerializer, patch)
        changes = checked_patch(patch, uid=evse_uid)
    else:
        validate_patch(ConnectorSerializer, patch)
        changes = checked_patch(patch, id=connector_id)

    def patched(location: Location) -> tuple[str, ...]:
        if evse_uid is None:
            target = location.document
        elif connector_id is None:
            target = _evse_of(location, evse_uid)
        else:
            target = _connector_of(_evse_of(location, evse_uid), connector_id)
        if _is_newer(target, changes["last_updated"]):
            return ()
        target.update(changes)
        return _edited(location, raised_to=changes["last_updated"], evse_uid=evse_uid)

    location, applied = edit_object(
        Location.objects.filter(**object_key(country_code, party_id, location_id)), patched
    )
    if location is None:
        raise _unknown_location(country_code, party_id, location_id)
    return applied


def location_save_own(*, party: OwnParty, document: dict) -> UpsertResult:
    """Create or replace one of our CPO's locations and push it to every partner."""
    validate_document(LocationSerializer, document)
    require_own_party(party, document)
    with transaction.atomic():
        result = _store_location(document, source=None)
        if result.applied:
            object_push(
                module=LOCATIONS, party=party, method="PUT", document=document, body=document
            )
    return result


def evse_status_set_own(
    *, party: OwnParty, location_id: str, evse_uid: str, status: str
) -> Location:
    """Our CPO's EVSE changed status: store it (cascading last_updated) and push a PATCH.

    The same status again changes nothing and pushes nothing (charge points repeat themselves).
    """
    if status not in STATUSES:
        raise InvalidParameters(f"status: {status!r} is not an EVSE status")
    now = now_timestamp()
    with transaction.atomic():
        location = _locked_location(party.country_code, party.party_id, location_id, own=True)
        evse = _evse_of(location, evse_uid)
        if evse.get("status") == status:
            return location
        evse["status"] = status
        evse["last_updated"] = now
        _save(location, raised_to=now)
        object_push(
            module=LOCATIONS,
            party=party,
            method="PATCH",
            document=location.document,
            body={"status": status, "last_updated": now},
            parts=(evse["uid"],),
        )
    return location


def _store_location(document: dict, *, source: Connection | None) -> UpsertResult:
    return upsert_object(
        Location,
        country_code=document["country_code"],
        party_id=document["party_id"],
        object_id=document["id"],
        document=document,
        source=source,
        extra={"time_zone": document["time_zone"]},
    )


def _locked_location(
    country_code: str, party_id: str, location_id: str, *, own: bool = False
) -> Location:
    queryset = Location.objects.select_for_update().filter(
        **object_key(country_code, party_id, location_id)
    )
    if own:
        queryset = queryset.filter(source__isnull=True)
    location = queryset.first()
    if location is None:
        raise _unknown_location(country_code, party_id, location_id)
    return location


def _unknown_location(country_code: str, party_id: str, location_id: str) -> UnknownLocation:
    return UnknownLocation(f"Unknown location {country_code}-{party_id} {location_id}")


def _evse_of(location: Location, evse_uid: str) -> dict:
    evse = find_evse(location.document, evse_uid)
    if evse is None:
        raise UnknownLocation(f"Unknown EVSE {evse_uid} at location {location.ocpi_id}")
    return evse


def _connector_of(evse: dict, connector_id: str) -> dict:
    connector = find_connector(evse, connector_id)
    if connector is None:
        raise UnknownLocation(f"Unknown connector {connector_id} at EVSE {evse.get('uid')}")
    return connector


def _put_evse(location_document: dict, evse: dict) -> bool:
    evses = location_document.get("evses") or []
    location_document["evses"] = evses
    return _replace_or_append(evses, evse, find_evse(location_document, evse["uid"]))


def _put_connector(evse: dict, connector: dict) -> bool:
    connectors = evse.get("connectors") or []
    evse["connectors"] = connectors
    if not _replace_or_append(connectors, connector, find_connector(evse, connector["id"])):
        return False
    _raise_last_updated(evse, connector["last_updated"])
    return True


def _replace_or_append(items: list[dict], new: dict, current: dict | None) -> bool:
    if current is None:
        items.append(new)
        return True
    if _is_newer(current, new["last_updated"]):
        return False
    items[items.index(current)] = new
    return True


def _save(location: Location, *, raised_to: str) -> None:
    """Store an edited document (read under a row lock)."""
    location.save(update_fields=[*_edited(location, raised_to=raised_to), "updated_at"])


def _edited(location: Location, *, raised_to: str, evse_uid: str | None = None) -> tuple[str, ...]:
    """The columns of an edited document brought in line with it, and their names; its EVSE (for
    a connector PATCH) and the Location itself get a last_updated of at least the change's."""
    document = location.document
    if evse_uid is not None:
        _raise_last_updated(find_evse(document, evse_uid), raised_to)
    _raise_last_updated(document, raised_to)
    location.last_updated = ocpi_time(document["last_updated"])
    location.time_zone = document.get("time_zone") or ""
    return ("document", "last_updated", "time_zone")


def _raise_last_updated(parent: dict, child_last_updated: str) -> None:
    if ocpi_time(child_last_updated) > ocpi_time(parent.get("last_updated")):
        parent["last_updated"] = child_last_updated


def _is_newer(stored: dict, last_updated: str) -> bool:
    return ocpi_time(stored.get("last_updated")) > ocpi_time(last_updated)
