"""CDR pricing: every stored CDR priced with our engine, checked against the partner's price."""

import multiprocessing
import time
from collections import Counter
from datetime import datetime

from django.db import connection, connections, transaction

from billing import selectors
from billing.cdr_pricing import bulk
from billing.cdr_pricing.pricer import CdrPricer, UnpriceableCdr, fill_totals
from billing.models import DriverPrice, PricedCdr
from billing.selectors import CdrInput
from ocpi.modules.tariffs.models import Tariff

REPRICE_BATCH_SIZE = 2000


@transaction.atomic
def cdrs_price_store(*, pricer: CdrPricer, cdrs: list[CdrInput]) -> list[str]:
    """Price CDRs and replace what is stored for them (priced CDR, driver price); the verdicts."""
    priced, driver_prices = pricer.price(cdrs)
    bulk.upsert(PricedCdr, priced)
    # A CDR whose contract is gone, or that its contract cannot price, keeps no driver price.
    without_driver_price = {cdr.id for cdr in cdrs} - {row["cdr_id"] for row in driver_prices}
    DriverPrice.objects.filter(cdr__in=without_driver_price).delete()
    bulk.upsert(DriverPrice, driver_prices)
    return [row["verdict"] for row in priced]


def cdrs_price(*, cdr_ids: list[int]) -> list[str]:
    """Price stored CDRs (again), in one batch; the verdicts of those that exist."""
    cdrs = selectors.cdr_inputs(cdr_ids=cdr_ids)
    return cdrs_price_store(pricer=CdrPricer(), cdrs=cdrs) if cdrs else []


def cdr_price(*, cdr_id: int) -> PricedCdr | None:
    """Price one stored CDR (again); None if it no longer exists."""
    if not cdrs_price(cdr_ids=[cdr_id]):
        return None
    return PricedCdr.objects.get(pk=cdr_id)


def tariff_waiting_cdrs_price(*, tariff_pk: int) -> list[str]:
    """Price the CDRs of a tariff's party left UNPRICEABLE for want of a stored tariff that
    name it (in their charging periods, else through their stored connector); their verdicts.

    Called once a version of the tariff is committed; nothing happens if it is gone.
    """
    tariff = Tariff.objects.filter(pk=tariff_pk).first()
    if tariff is None:
        return []
    pricer = CdrPricer()
    queryset = selectors.cdrs_without_tariff(
        country_code=tariff.country_code, party_id=tariff.party_id
    )
    verdicts = []
    for batch in selectors.cdr_input_batches(queryset, REPRICE_BATCH_SIZE):
        pricer.load(batch)
        waiting = [cdr for cdr in batch if pricer.names_tariff(cdr, tariff.ocpi_id)]
        if waiting:
            verdicts += cdrs_price_store(pricer=pricer, cdrs=waiting)
    return verdicts


def cdrs_reprice(
    *,
    since: datetime,
    country_code: str | None = None,
    party_id: str | None = None,
    batch_size: int = REPRICE_BATCH_SIZE,
    workers: int = 1,
) -> dict:
    """Re-price every CDR that started at or after `since` (of one CPO party if given).

    Batches are read and written in bulk and each commits on its own; tariffs, zones and
    contracts are looked up once per process. With `workers` > 1 the CDRs are split by id into
    that many ranges, each re-priced by its own process with its own database connection
    (not inside a transaction: what a worker writes must be visible to the others' readers).
    Returns the counts per verdict.
    """
    started = time.perf_counter()
    queryset = selectors.cdrs_to_reprice(since=since, country_code=country_code, party_id=party_id)
    ranges = selectors.id_ranges(queryset, workers)
    if len(ranges) > 1 and not connection.in_atomic_block:
        connections.close_all()  # a forked process must not share its parent's connection
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            tasks = [(since, country_code, party_id, batch_size, *bounds) for bounds in ranges]
            verdicts = sum(pool.starmap(_reprice_id_range, tasks), Counter())
    else:
        verdicts = _reprice(queryset, batch_size)
    seconds = time.perf_counter() - started
    priced = sum(verdicts.values())
    return {
        "priced": priced,
        "match": verdicts["MATCH"],
        "mismatch": verdicts["MISMATCH"],
        "unpriceable": verdicts["UNPRICEABLE"],
        "seconds": round(seconds, 3),
        "cdrs_per_second": round(priced / seconds, 1) if seconds else 0.0,
    }


def _reprice(queryset, batch_size: int) -> Counter:
    pricer = CdrPricer()
    verdicts: Counter[str] = Counter()
    for batch in selectors.cdr_input_batches(queryset, batch_size):
        verdicts.update(cdrs_price_store(pricer=pricer, cdrs=batch))
    return verdicts


def _reprice_id_range(since, country_code, party_id, batch_size, first_id, last_id) -> Counter:
    """One worker process's share of a re-pricing run."""
    try:
        queryset = selectors.cdrs_to_reprice(
            since=since, country_code=country_code, party_id=party_id
        ).filter(id__range=(first_id, last_id))
        return _reprice(queryset, batch_size)
    finally:
        connections.close_all()


def cdr_document_price(document: dict, *, tz: str | None = None) -> dict:
    """Our CPO's CDR with its cost totals computed by our engine, before it is stored and sent.

    Tariffs: the CDR's own, else our stored tariff versions valid at its start. Time zone: `tz`,
    else the stored location's. Raises UnpriceableCdr when it cannot be priced.
    """
    pricer = CdrPricer()
    cdr = CdrInput(
        None, str(document.get("country_code", "")), str(document.get("party_id", "")), document
    )
    pricer.load([cdr])
    zone = tz or pricer.time_zone(cdr)
    return fill_totals(document, pricer.engine_price(document, pricer.choose_tariffs(cdr), zone))


__all__ = [
    "UnpriceableCdr",
    "cdr_document_price",
    "cdr_price",
    "cdrs_price",
    "cdrs_reprice",
    "tariff_waiting_cdrs_price",
]
