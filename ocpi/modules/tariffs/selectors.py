"""Reads of stored tariffs, including the version that was valid at a given moment."""

from datetime import datetime

from django.db.models import QuerySet

from ocpi.models import OwnParty
from ocpi.modules.tariffs.models import Tariff, TariffVersion
from ocpi.objects import object_key


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
