"""Writing CDRs: a partner CPO's CDR as it arrives, and our CPO's CDR when a session ends.

CDRs never change. The same CDR delivered twice is harmless (the second delivery finds the first);
a different CDR under an existing id is refused: corrections arrive as new, credit CDRs.
"""

from contextlib import nullcontext

from django.db import IntegrityError, transaction
from django.db import connection as database

from ocpi.models import Connection, OwnParty
from ocpi.modules.cdrs.declaration import CDRS
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.cdrs.serializers import CdrSerializer, LenientCdrSerializer, is_tolerated
from ocpi.modules.cdrs.signals import cdr_stored
from ocpi.objects import UpsertResult, object_key
from ocpi.sync.push import object_push
from ocpi.transport.exceptions import (
    InvalidParameters,
    describe_validation_errors,
    error_line,
    error_list,
)
from ocpi.transport.parties import require_partner_party
from ocpi.validation import check, require_own_party, require_storable


def validate_cdr(document, *, tolerant: bool) -> tuple[dict, list[str]]:
    """The validated CDR and the warnings to record, or InvalidParameters naming the fields.

    With `tolerant`, a CDR that breaks only rules nothing here relies on is accepted with those
    broken rules as warnings (a partner's CDR is money: better kept with a warning than lost).
    """
    require_storable(document)
    data, errors = check(CdrSerializer, document)
    if errors is None:
        return data, []
    broken = error_list(errors)
    if not tolerant or not all(is_tolerated(path) for path, _message in broken):
        raise InvalidParameters(describe_validation_errors(errors))
    data, lenient_errors = check(LenientCdrSerializer, document)
    if lenient_errors is not None:
        raise InvalidParameters(describe_validation_errors(lenient_errors))
    return data, [error_line(path, message) for path, message in broken]


def store_from_partner(*, connection: Connection, document: dict) -> UpsertResult:
    """Store a CDR a partner CPO sent (POST to our eMSP, or pulled from their CPO)."""
    data, warnings = validate_cdr(document, tolerant=True)
    require_partner_party(connection, data["country_code"], data["party_id"])
    if data.get("credit") and not _credited_cdr_exists(data):
        warnings.append(
            f"credit_reference_id: no CDR {data['credit_reference_id']} of "
            f"{data['country_code']}-{data['party_id']} is stored here"
        )
    return _insert(data=data, document=document, source=connection, warnings=warnings)


def cdr_create_own(*, party: OwnParty, document: dict) -> UpsertResult:
    """Store a CDR of our CPO and push it to the partners' CDR receivers."""
    data, _ = validate_cdr(document, tolerant=False)
    require_own_party(party, data)
    with transaction.atomic():
        result = _insert(data=data, document=document, source=None, warnings=[])
        if result.created:
            object_push(module=CDRS, party=party, method="POST", document=document, body=document)
    return result


def _insert(*, data: dict, document: dict, source, warnings: list[str]) -> UpsertResult:
    key = object_key(data["country_code"], data["party_id"], data["id"])
    # Alone, the INSERT commits by itself in one round trip; inside a caller's transaction, a
    # savepoint keeps that transaction usable when the id already exists.
    inserting = transaction.atomic() if database.in_atomic_block else nullcontext()
    try:
        with inserting:
            cdr = Cdr.objects.create(
                **key,
                **_columns(data, document),
                document=document,
                source=source,
                warnings=warnings,
            )
    except IntegrityError:
        existing = Cdr.objects.filter(**key).first()
        if existing is None:
            raise
        if existing.document != document:
            raise InvalidParameters(
                f"id: CDR {data['id']} of {data['country_code']}-{data['party_id']} exists "
                "with different content; CDRs cannot change, send a credit CDR instead"
            ) from None
        return UpsertResult(existing, created=False, applied=False)
    # Once committed (at once when the INSERT committed by itself).
    transaction.on_commit(lambda: cdr_stored.send(sender=Cdr, cdr=cdr), robust=True)
    return UpsertResult(cdr, created=True, applied=True)


def _columns(data: dict, document: dict) -> dict:
    token = data["cdr_token"]
    # evse_uid is one of the tolerated rules: it may be missing or malformed in a partner's CDR.
    evse_uid = document["cdr_location"].get("evse_uid")
    return {
        "last_updated": data["last_updated"],
        "start_date_time": data["start_date_time"],
        "end_date_time": data["end_date_time"],
        "session_id": (data.get("session_id") or "").upper(),
        "location_id": data["cdr_location"]["id"].upper(),
        "evse_uid": str(evse_uid).upper()[:36] if evse_uid else "",
        "token_country_code": token["country_code"].upper(),
        "token_party_id": token["party_id"].upper(),
        "token_uid": token["uid"].upper(),
        "contract_id": token["contract_id"].upper(),
        "currency": data["currency"].upper(),
        "total_cost_excl_vat": data["total_cost"]["excl_vat"],
        "total_cost_incl_vat": data["total_cost"].get("incl_vat"),
        "total_energy": data["total_energy"],
        "total_time": data["total_time"],
        "credit": bool(data.get("credit")),
        "credit_reference_id": (data.get("credit_reference_id") or "").upper(),
    }


def _credited_cdr_exists(data: dict) -> bool:
    return Cdr.objects.filter(
        **object_key(data["country_code"], data["party_id"], data["credit_reference_id"])
    ).exists()
