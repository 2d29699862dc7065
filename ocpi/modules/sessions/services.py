"""Writing sessions: a partner CPO's sessions as they arrive, and our CPO's as they progress.

A PUT replaces a session; a PATCH changes the fields it carries and appends its
`charging_periods` to the stored ones (mod_sessions, PATCH method).
"""

from django.db import transaction

from ocpi.models import Connection, OwnParty
from ocpi.modules.sessions.declaration import SESSIONS
from ocpi.modules.sessions.models import Session
from ocpi.modules.sessions.serializers import SessionSerializer
from ocpi.objects import UpsertResult, edit_object, merge_patch, object_key, upsert_object
from ocpi.sync.push import object_push
from ocpi.timestamps import now_timestamp
from ocpi.transport.exceptions import UnknownObject
from ocpi.transport.parties import require_partner_party
from ocpi.validation import (
    checked_patch,
    checked_put,
    ocpi_time,
    require_own_party,
    validate_document,
)


def store_from_partner(*, connection: Connection, document: dict) -> UpsertResult:
    """Store a complete session a partner CPO sent (PUT to our eMSP, or pulled)."""
    data = validate_document(SessionSerializer, document)
    require_partner_party(connection, data["country_code"], data["party_id"])
    return _upsert(data, document, source=connection)


def session_put_from_partner(
    *, connection: Connection, country_code: str, party_id: str, session_id: str, document: dict
) -> UpsertResult:
    require_partner_party(connection, country_code, party_id)
    checked_put(document, country_code=country_code, party_id=party_id, id=session_id)
    return store_from_partner(connection=connection, document=document)


def session_patch_from_partner(
    *, connection: Connection, country_code: str, party_id: str, session_id: str, patch: dict
) -> UpsertResult:
    require_partner_party(connection, country_code, party_id)
    return _patch(country_code, party_id, session_id, patch, source=connection)


def session_save_own(*, party: OwnParty, document: dict) -> UpsertResult:
    """Create or replace a session of our CPO and push it (PUT) to the partners' receivers."""
    data = validate_document(SessionSerializer, document)
    require_own_party(party, data)
    with transaction.atomic():
        result = _upsert(data, document, source=None)
        if result.applied:
            object_push(
                module=SESSIONS, party=party, method="PUT", document=document, body=document
            )
    return result


def session_patch_own(*, party: OwnParty, session_id: str, patch: dict) -> UpsertResult:
    """Update a session of our CPO (new charging periods, kwh, status...) and push the PATCH.

    Without `last_updated` in the patch, the change is stamped now.
    """
    patch = {"last_updated": _now(), **patch}
    with transaction.atomic():
        result = _patch(party.country_code, party.party_id, session_id, patch, source=None)
        if result.applied:
            object_push(
                module=SESSIONS,
                party=party,
                method="PATCH",
                document=result.instance.document,
                body=patch,
            )
    return result


def _patch(country_code, party_id, session_id, patch, *, source) -> UpsertResult:
    patch = checked_patch(patch, country_code=country_code, party_id=party_id, id=session_id)

    def patched(session: Session) -> tuple[str, ...]:
        document = merge_patch(session.document, patch, append_lists=("charging_periods",))
        data = validate_document(SessionSerializer, document)
        last_updated = ocpi_time(document.get("last_updated"))
        if session.last_updated > last_updated:
            return ()  # stale: the stored session is newer
        values = {"document": document, "last_updated": last_updated, "source": source}
        values |= _columns(data)
        for name, value in values.items():
            setattr(session, name, value)
        return tuple(values)

    session, applied = edit_object(
        Session.objects.filter(**object_key(country_code, party_id, session_id)), patched
    )
    if session is None:
        raise UnknownObject(f"Session {session_id} of {country_code}-{party_id} is not known")
    return UpsertResult(session, created=False, applied=applied)


def _upsert(data: dict, document: dict, *, source: Connection | None) -> UpsertResult:
    return upsert_object(
        Session,
        country_code=data["country_code"],
        party_id=data["party_id"],
        object_id=data["id"],
        document=document,
        source=source,
        extra=_columns(data),
    )


def _columns(data: dict) -> dict:
    """The indexed columns of a validated session beside its key and last_updated."""
    token = data["cdr_token"]
    return {
        "status": data["status"],
        "start_date_time": data["start_date_time"],
        "end_date_time": data.get("end_date_time"),
        "location_id": data["location_id"].upper(),
        "evse_uid": data["evse_uid"].upper(),
        "kwh": data["kwh"],
        "token_country_code": token["country_code"].upper(),
        "token_party_id": token["party_id"].upper(),
        "token_uid": token["uid"].upper(),
        "contract_id": token["contract_id"].upper(),
    }


def _now() -> str:
    return now_timestamp(milliseconds=True)
