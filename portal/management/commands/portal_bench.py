"""`manage.py portal_bench`: server time of the staff pages on a large installation.

Seeds (into an empty database: it refuses one that has CDRs) 100,000 CDRs over twelve months
with billing's verdicts (partner CDRs before December naming their partner's monthly invoice),
10,000 driver contracts and 1,000 locations by default, then requests the dashboard, a filtered
CDR list, the monthly and per-location reports and the partner invoices in-process and prints
the median and 95th percentile of their server time and their query counts.
Not a test: run it by hand on a scratch database, e.g.

    createdb ocpi_portal_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocpi_portal_bench \\
        .venv/bin/python manage.py migrate -v0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocpi_portal_bench \\
        .venv/bin/python manage.py portal_bench
"""

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import DriverContract, PricedCdr
from ocpi.models import Connection, ConnectionParty
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location

BATCH = 5000
ZONES = ["Europe/Amsterdam", "Europe/Berlin", "Europe/Brussels"]
VERDICTS = ["MATCH"] * 90 + ["MISMATCH"] * 7 + ["UNPRICEABLE"] * 3
INVOICED_BEFORE = datetime(2026, 12, 1, tzinfo=UTC)  # partner CDRs of December: not invoiced yet


class Command(BaseCommand):
    help = "Seed a large installation and time the staff pages (p50 and p95 server time)."

    def add_arguments(self, parser):
        parser.add_argument("--cdrs", type=int, default=100_000)
        parser.add_argument("--drivers", type=int, default=10_000)
        parser.add_argument("--locations", type=int, default=1_000)
        parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, cdrs, drivers, locations, requests, seed, **options):
        if Cdr.objects.exists():
            raise CommandError("The database has CDRs already: run this on a scratch database.")
        started = time.monotonic()
        partners = self._seed(random.Random(seed), cdrs, drivers, locations)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after such an import
        self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s")
        user = get_user_model().objects.create_superuser("bench-staff", password="bench")
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        pages = {
            "dashboard": "/staff/",
            "CDR list, one partner's mismatches": (
                f"/staff/cdrs/?party={partners[0].pk}&verdict=MISMATCH"
            ),
            "CDR list, one month": "/staff/cdrs/?date_from=2026-03-01&date_to=2026-03-31",
            "report per month": "/staff/reports/?by=month",
            "report per location": "/staff/reports/?by=location",
            "partner invoices": "/staff/partner-invoices/",
            "partner invoices, one month": "/staff/partner-invoices/?month=2026-03",
            "partner invoice (one month's CDRs)": "/staff/partner-invoices/DE-B00/DE-B00-2026-03/",
        }
        self.stdout.write(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for name, url in pages.items():
            for _ in range(3):  # warm the caches the first requests fill
                client.get(url)
            times = []
            for _ in range(requests):
                begin = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            p95 = statistics.quantiles(times, n=20)[-1]
            self.stdout.write(
                f"{name:40} {statistics.median(times):8.1f} {p95:8.1f} {len(queries):8d}"
            )

    @transaction.atomic
    def _seed(self, rng: random.Random, cdr_count: int, drivers: int, location_count: int):
        partners = []
        for number in range(5):
            partner = Connection.objects.create(
                name=f"Bench partner {number}", status=Connection.Status.REGISTERED
            )
            ConnectionParty.objects.create(
                connection=partner, country_code="DE", party_id=f"B{number:02d}", role="CPO"
            )
            partners.append(partner)
        party_ids = {partner.pk: f"B{number:02d}" for number, partner in enumerate(partners)}
        now = timezone.now()
        Location.objects.bulk_create(
            [
                Location(
                    country_code="NL",
                    party_id="TMC",
                    ocpi_id=f"LOC{n:05d}",
                    last_updated=now,
                    time_zone=ZONES[n % 3],
                    document={
                        "id": f"LOC{n:05d}",
                        "name": f"Site {n}",
                        "city": "Utrecht",
                        "evses": [{"uid": f"E{n}-1", "status": "AVAILABLE"}],
                    },
                )
                for n in range(location_count)
            ],
            batch_size=BATCH,
        )
        DriverContract.objects.bulk_create(
            [
                DriverContract(contract_id=f"NL-TME-C{n:08d}-X", name=f"Driver {n}")
                for n in range(drivers)
            ],
            batch_size=BATCH,
        )
        first = datetime(2026, 1, 1, tzinfo=UTC)
        for offset in range(0, cdr_count, BATCH):
            batch, priced = [], []
            for n in range(offset, min(offset + BATCH, cdr_count)):
                start = first + timedelta(minutes=rng.randrange(365 * 24 * 60))
                partner = rng.choice([None, None, *partners])
                party_id = party_ids[partner.pk] if partner else "TMC"
                cost = Decimal(rng.randrange(100, 4000)) / 100
                document = {"id": f"CDR{n:08d}"}
                if partner and start < INVOICED_BEFORE:  # the partner's monthly invoice
                    document["invoice_reference_id"] = f"DE-{party_id}-{start:%Y-%m}"
                batch.append(
                    Cdr(
                        country_code="DE" if partner else "NL",
                        party_id=party_id,
                        ocpi_id=f"CDR{n:08d}",
                        last_updated=start,
                        document=document,
                        source=partner,
                        start_date_time=start,
                        end_date_time=start + timedelta(hours=1),
                        location_id=f"LOC{rng.randrange(location_count):05d}",
                        token_country_code="NL",
                        token_party_id="TME",
                        token_uid=f"T{n}",
                        contract_id=f"NL-TME-C{rng.randrange(drivers):08d}-X",
                        currency="EUR",
                        total_cost_excl_vat=cost,
                        total_energy=Decimal(rng.randrange(1, 80)),
                        total_time=Decimal(1),
                    )
                )
            created = Cdr.objects.bulk_create(batch)
            for cdr in created:
                verdict = rng.choice(VERDICTS)
                priced.append(
                    PricedCdr(
                        cdr=cdr,
                        verdict=verdict,
                        currency="EUR",
                        time_zone=ZONES[cdr.pk % 3],
                        tariff_source=PricedCdr.TariffSource.STORED,
                        total_cost_excl_vat=cdr.total_cost_excl_vat
                        - (Decimal("0.50") if verdict == "MISMATCH" else 0),
                        difference_excl_vat=Decimal("0.50") if verdict == "MISMATCH" else None,
                        priced_at=now,
                    )
                )
            PricedCdr.objects.bulk_create(priced)
        return partners
