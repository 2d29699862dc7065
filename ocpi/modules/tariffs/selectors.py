"""Reads of stored tariffs, including the version that was valid at a given moment."""

from datetime import datetime

from django.db.models import QuerySet

from ocpi.models import OwnParty
from ocpi.modules.locations.selectors import connector_tariff_ids
from ocpi.modules.tariffs.models import Tariff, TariffVersion
from ocpi.objects import object_key
from ocpi.validation import ocpi_time


def own_tariffs(*, party: OwnParty) -> QuerySet[Tariff]:
    """The tariffs our CPO party offers (deleted ones are no longer offered)."""
    return Tariff.objects.filter(
        country_code=party.country_code.upper(),
        party_id=party.party_id.upper(),
        source__isnull=True,
        deleted_at__isnull=True,
    )


def current_tariffs(*, country_code: str, party_id: str, tariff_id: str) -> QuerySet[Tariff]:
    """The tariff with this key unless deleted (a queryset, so its document can be served as
    stored text)."""
    return Tariff.objects.filter(
        **object_key(country_code, party_id, tariff_id), deleted_at__isnull=True
    )


def tariff_versions_at(
    *, country_code: str, party_id: str, tariff_id: str, at: datetime
) -> dict | None:
    """The tariff document valid at `at`: the newest version with last_updated <= at, else the
    oldest version known (a CDR may start before the first version we received)."""
    key = object_key(country_code, party_id, tariff_id)
    versions = TariffVersion.objects.filter(
        **{f"tariff__{name}": value for name, value in key.items()}
    )
    version = (
        versions.filter(last_updated__lte=at).order_by("-last_updated").first()
        or versions.order_by("last_updated").first()
    )
    return version.document if version else None


def tariffs_for_cdr(*, cdr: dict) -> list[dict]:
    """The tariff documents that apply to a CDR, as they were when its session started.

    Tariff ids come from the CDR's own `tariffs`, else from the connector its `cdr_location`
    names. A tariff whose start_date_time/end_date_time excludes the session start is left out.
    """
    start = ocpi_time(cdr.get("start_date_time"))
    country_code, party_id = cdr["country_code"], cdr["party_id"]
    tariff_ids = [t["id"] for t in cdr.get("tariffs") or [] if t.get("id")]
    if not tariff_ids:
        where = cdr.get("cdr_location") or {}
        tariff_ids = connector_tariff_ids(
            country_code=country_code,
            party_id=party_id,
            location_id=str(where.get("id", "")),
            evse_uid=str(where.get("evse_uid", "")),
            connector_id=str(where.get("connector_id", "")),
        )
    found = []
    for tariff_id in tariff_ids:
        document = tariff_versions_at(
            country_code=country_code, party_id=party_id, tariff_id=tariff_id, at=start
        )
        if document is not None and _active_at(document, start):
            found.append(document)
    return found


def _active_at(document: dict, at: datetime) -> bool:
    starts, ends = document.get("start_date_time"), document.get("end_date_time")
    return (starts is None or ocpi_time(starts) <= at) and (ends is None or at < ocpi_time(ends))
