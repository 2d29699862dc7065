"""Reads for CDR pricing: what a batch of CDRs needs, each in one query, never one per CDR."""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import NamedTuple

import orjson
from django.db.models import Max, Min, QuerySet, TextField
from django.db.models.functions import Cast

from billing.models import DriverContract, PricedCdr
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.tariffs.models import TariffVersion

# (country_code, party_id, id), upper-cased as OCPI objects are stored.
ObjectKey = tuple[str, str, str]


class CdrInput(NamedTuple):
    """What pricing reads of a stored CDR."""

    id: int
    country_code: str
    party_id: str
    document: dict


def _json_loads(text: str):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # numbers beyond a double's range: the json module's inf
        return json.loads(text)


def _with_keys(queryset: QuerySet, keys: set[ObjectKey], prefix: str = "") -> QuerySet:
    """Rows whose key columns are among `keys` (a superset: callers keep only exact keys)."""
    return queryset.filter(
        **{
            f"{prefix}country_code__in": {key[0] for key in keys},
            f"{prefix}party_id__in": {key[1] for key in keys},
            f"{prefix}ocpi_id__in": {key[2] for key in keys},
        }
    )


def location_documents(*, keys: Iterable[ObjectKey]) -> dict[ObjectKey, tuple[str, dict]]:
    """Stored locations by key: their time zone (column, else document) and document."""
    keys = set(keys)
    if not keys:
        return {}
    rows = _with_keys(Location.objects, keys).values_list(
        "country_code", "party_id", "ocpi_id", "time_zone", "document"
    )
    return {
        (cc, pid, oid): (zone or document.get("time_zone") or "", document)
        for cc, pid, oid, zone, document in rows
        if (cc, pid, oid) in keys
    }


def tariff_histories(*, keys: Iterable[ObjectKey]) -> dict[ObjectKey, list[tuple[datetime, dict]]]:
    """Every stored version of each tariff, oldest first, as (last_updated, document)."""
    keys = set(keys)
    if not keys:
        return {}
    histories: dict[ObjectKey, list[tuple[datetime, dict]]] = defaultdict(list)
    rows = (
        _with_keys(TariffVersion.objects, keys, prefix="tariff__")
        .order_by("last_updated")
        .values_list(
            "tariff__country_code",
            "tariff__party_id",
            "tariff__ocpi_id",
            "last_updated",
            "document",
        )
    )
    for cc, pid, oid, last_updated, document in rows:
        if (cc, pid, oid) in keys:
            histories[(cc, pid, oid)].append((last_updated, document))
    return dict(histories)


def driver_contracts(*, contract_ids: Iterable[str]) -> dict[str, DriverContract]:
    """Driver contracts by their (upper-cased) contract id."""
    contract_ids = set(contract_ids)
    if not contract_ids:
        return {}
    contracts = DriverContract.objects.filter(contract_id__in=contract_ids)
    return {contract.contract_id: contract for contract in contracts}


def cdr_inputs(*, cdr_ids: Iterable[int]) -> list[CdrInput]:
    """The CDRs with these ids, in id order.

    The document is read as JSON text and decoded here rather than by the database driver:
    orjson reads it several times faster than the json module, and decoding is a fair share of
    re-pricing's time (an integer beyond 64 bits, which no CDR states, is read as a float).
    """
    rows = (
        Cdr.objects.filter(pk__in=list(cdr_ids))
        .annotate(document_text=Cast("document", TextField()))
        .values_list("id", "country_code", "party_id", "document_text")
    )
    # Sorted here: ordered by the database, the rows would be sorted with their documents.
    cdrs = [CdrInput(cdr_id, cc, pid, _json_loads(document)) for cdr_id, cc, pid, document in rows]
    return sorted(cdrs, key=lambda cdr: cdr.id)


def cdrs_to_reprice(
    *, since: datetime, country_code: str | None = None, party_id: str | None = None
) -> QuerySet[Cdr]:
    """CDRs whose session started at or after `since`, optionally of one CPO party."""
    cdrs = Cdr.objects.filter(start_date_time__gte=since)
    if country_code:
        cdrs = cdrs.filter(country_code=country_code.upper(), party_id=party_id.upper())
    return cdrs


def cdrs_without_tariff(*, country_code: str, party_id: str) -> QuerySet[Cdr]:
    """A CPO party's CDRs priced UNPRICEABLE because no tariff was found for them."""
    return Cdr.objects.filter(
        country_code=country_code.upper(),
        party_id=party_id.upper(),
        priced__verdict=PricedCdr.Verdict.UNPRICEABLE,
        priced__tariff_source=PricedCdr.TariffSource.NONE,
    )


def id_ranges(queryset: QuerySet, parts: int) -> list[tuple[int, int]]:
    """The queryset's id span cut into at most `parts` ranges (first id, last id) of equal width."""
    span = queryset.aggregate(first=Min("id"), last=Max("id"))
    if span["first"] is None:
        return []
    first, last = span["first"], span["last"]
    width = (last - first) // parts + 1
    return [(start, min(start + width - 1, last)) for start in range(first, last + 1, width)]


def cdr_input_batches(queryset: QuerySet[Cdr], size: int) -> Iterator[list[CdrInput]]:
    """The CDRs in id order, `size` per query, and no cursor held open between batches.

    Their ids are read first, then each batch by primary key. Asking instead for the next
    `size` CDRs after the last id lets the database pick a plan (a party's rows, say, by their
    key index) that sorts every remaining CDR, documents and all, for each batch.
    """
    ids = list(queryset.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), size):
        yield cdr_inputs(cdr_ids=ids[start : start + size])
