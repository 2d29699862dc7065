"""Writes of tariffs: a partner's (receiver interface, pull sync) and our CPO's own (pushed).

Every version received is kept (TariffVersion) so that billing prices a CDR with the tariff that
was valid when its session started; DELETE only marks the tariff deleted. A PUT older than the
stored tariff does not replace it (success, nothing changes) but still joins the history.
"""

from django.db import transaction
from django.utils import timezone

from ocpi.models import Connection, OwnParty
from ocpi.modules.tariffs.declaration import TARIFFS
from ocpi.modules.tariffs.models import Tariff, TariffVersion
from ocpi.modules.tariffs.serializers import TariffSerializer
from ocpi.modules.tariffs.signals import tariff_stored
from ocpi.objects import UpsertResult, object_key, upsert_object
from ocpi.sync.push import object_push
from ocpi.transport.exceptions import UnknownObject
from ocpi.transport.parties import require_partner_party
from ocpi.validation import checked_put, ocpi_time, require_own_party, validate_document


def store_from_partner(*, connection: Connection, document: dict) -> UpsertResult:
    """A complete Tariff from a partner (its PUT, or pulled from its sender interface)."""
    validate_document(TariffSerializer, document)
    require_partner_party(connection, document["country_code"], document["party_id"])
    return _store_tariff(document, source=connection)


def tariff_put_from_partner(
    *, connection: Connection, country_code: str, party_id: str, tariff_id: str, document: dict
) -> UpsertResult:
    require_partner_party(connection, country_code, party_id)
    checked_put(document, country_code=country_code, party_id=party_id, id=tariff_id)
    return store_from_partner(connection=connection, document=document)


def tariff_delete_from_partner(
    *, connection: Connection, country_code: str, party_id: str, tariff_id: str
) -> Tariff:
    require_partner_party(connection, country_code, party_id)
    return _mark_deleted(country_code, party_id, tariff_id)


def tariff_save_own(*, party: OwnParty, document: dict) -> UpsertResult:
    """Create or replace one of our CPO's tariffs and push it to every partner."""
    validate_document(TariffSerializer, document)
    require_own_party(party, document)
    with transaction.atomic():
        result = _store_tariff(document, source=None)
        if result.applied:
            object_push(module=TARIFFS, party=party, method="PUT", document=document, body=document)
    return result


def tariff_delete_own(*, party: OwnParty, tariff_id: str) -> Tariff:
    """Withdraw one of our CPO's tariffs (its history stays) and push the DELETE."""
    with transaction.atomic():
        tariff = _mark_deleted(party.country_code, party.party_id, tariff_id, own=True)
        object_push(module=TARIFFS, party=party, method="DELETE", document=tariff.document, body={})
    return tariff


@transaction.atomic
def _store_tariff(document: dict, *, source: Connection | None) -> UpsertResult:
    result = upsert_object(
        Tariff,
        country_code=document["country_code"],
        party_id=document["party_id"],
        object_id=document["id"],
        document=document,
        source=source,
        extra={"deleted_at": None},
    )
    # The tariff row is locked by the upsert until this transaction ends.
    TariffVersion.objects.update_or_create(
        tariff=result.instance,
        last_updated=ocpi_time(document["last_updated"]),
        defaults={"document": document},
    )
    # Even a version older than the stored tariff is news for the CDRs of its time.
    tariff = result.instance
    transaction.on_commit(lambda: tariff_stored.send(sender=Tariff, tariff=tariff), robust=True)
    return result


def _mark_deleted(country_code: str, party_id: str, tariff_id: str, *, own: bool = False):
    with transaction.atomic():
        tariffs = Tariff.objects.select_for_update().filter(
            **object_key(country_code, party_id, tariff_id)
        )
        if own:
            tariffs = tariffs.filter(source__isnull=True)
        tariff = tariffs.first()
        if tariff is None:
            raise UnknownObject(f"Unknown tariff {country_code}-{party_id} {tariff_id}")
        # A repeated DELETE (a retry) succeeds and keeps the first deletion time.
        if tariff.deleted_at is None:
            tariff.deleted_at = timezone.now()
            tariff.save(update_fields=["deleted_at", "updated_at"])
    return tariff
