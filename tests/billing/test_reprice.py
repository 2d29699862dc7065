"""`manage.py reprice` and its benchmark entry point."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import DriverContract, DriverPrice, PricedCdr
from billing.services import cdrs_reprice
from ocpi.modules.cdrs import services as cdrs
from ocpi.modules.tariffs import services as tariffs
from tests.support.connections import make_connection
from tests.support.priced_cdrs import CONTRACT_ID, cdr, energy_tariff, tariff


def reprice(*arguments) -> dict:
    out = StringIO()
    call_command("reprice", *arguments, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def stored(partner):
    """Four CDRs of DE-ABC since March (match, mismatch, unpriceable, match), one before."""
    tariffs.store_from_partner(connection=partner, document=energy_tariff(0.30))
    for document in [
        cdr("MATCH", total_cost=(6.00, 7.20)),
        cdr("MISMATCH", total_cost=(7.00, 8.40)),
        cdr("UNPRICEABLE", tariff_id="UNKNOWN"),
        cdr("EMBEDDED", embedded=[tariff()], tariff_id=None),
        cdr("FEBRUARY", start="2025-02-01T10:00:00Z", end="2025-02-01T12:00:00Z"),
    ]:
        cdrs.store_from_partner(connection=partner, document=document)
    return partner


def test_reprice_counts_the_verdicts_of_the_cdrs_since_the_date(stored):
    counts = reprice("--since", "2025-03-01")

    assert {k: counts[k] for k in ("priced", "match", "mismatch", "unpriceable")} == {
        "priced": 4,
        "match": 2,
        "mismatch": 1,
        "unpriceable": 1,
    }
    assert counts["seconds"] >= 0 and "cdrs_per_second" in counts
    assert PricedCdr.objects.filter(cdr__ocpi_id="FEBRUARY").exists() is False


def test_reprice_again_gives_the_same_result(stored):
    DriverContract.objects.create(contract_id=CONTRACT_ID, name="Alice", vat_rate=Decimal(21))
    first = reprice("--since", "2025-03-01T00:00:00Z")
    rows = list(PricedCdr.objects.order_by("cdr").values("cdr", "verdict", "total_cost_excl_vat"))

    second = reprice("--since", "2025-03-01T00:00:00Z")

    assert {k: v for k, v in first.items() if k not in ("seconds", "cdrs_per_second")} == {
        k: v for k, v in second.items() if k not in ("seconds", "cdrs_per_second")
    }
    assert (
        list(PricedCdr.objects.order_by("cdr").values("cdr", "verdict", "total_cost_excl_vat"))
        == rows
    )
    # MARKUP needs a cost: ours, else the partner's total_cost (the unpriceable CDR)
    assert DriverPrice.objects.count() == 4


def test_reprice_of_one_party(stored):
    other = make_connection("Other CPO", "other-token", [("FR", "XYZ", "CPO")])
    cdrs.store_from_partner(
        connection=other,
        document={**cdr("FRENCH", embedded=[tariff()]), "country_code": "FR", "party_id": "XYZ"},
    )

    assert reprice("--since", "2025-03-01", "--party", "fr-xyz")["priced"] == 1
    assert reprice("--since", "2025-03-01", "--party", "DE-ABC")["priced"] == 4


@pytest.mark.django_db(transaction=True)
def test_reprice_shares_the_work_between_processes(stored):
    PricedCdr.objects.all().delete()  # priced on commit already: start again from nothing

    counts = cdrs_reprice(since=cdr()["start_date_time"], workers=3)

    assert (counts["priced"], counts["match"], counts["mismatch"]) == (4, 2, 1)
    assert PricedCdr.objects.count() == 4


def test_reprice_refuses_a_bad_date_or_party(db):
    with pytest.raises(CommandError, match="--since"):
        reprice("--since", "March")
    with pytest.raises(CommandError, match="--party"):
        reprice("--since", "2025-03-01", "--party", "DEABC")


def test_reprice_and_its_benchmark_refuse_fewer_than_one_worker(stored):
    with pytest.raises(CommandError, match="--workers"):
        reprice("--since", "2025-03-01", "--workers", "0")
    with pytest.raises(CommandError, match="--workers"):
        call_command("reprice_bench", "--cdrs", "1", "--workers", "-1", stdout=StringIO())


def test_reprice_makes_no_query_per_cdr(partner):
    tariffs.store_from_partner(connection=partner, document=energy_tariff(0.30))
    DriverContract.objects.create(contract_id=CONTRACT_ID, name="Alice")

    def queries_to_reprice(count: int) -> int:
        for number in range(count):
            cdrs.store_from_partner(connection=partner, document=cdr(f"CDR{count}-{number}"))
        with CaptureQueriesContext(connection) as queries:
            assert cdrs_reprice(since=cdr()["start_date_time"], batch_size=100)["priced"] >= count
        return len(queries)

    assert queries_to_reprice(5) == queries_to_reprice(60)


def test_reprice_bench_seeds_and_reprices(db):
    out = StringIO()
    call_command("reprice_bench", "--cdrs", "40", stdout=out)

    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["cdrs"] == result["priced"] == 40
    # one in ten is overcharged, the rest match; the stored tariff has two versions
    assert (result["match"], result["mismatch"], result["unpriceable"]) == (36, 4, 0)
    assert DriverPrice.objects.count() == 20
