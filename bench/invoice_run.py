"""An invoice run of N driver accounts with 20 priced CDRs each in one month, printed as JSON.

    .venv/bin/python bench/invoice_run.py [--accounts 1000] [--workers 2]

Needs the database of bench/run.sh (our parties and the partner DE-ABC seeded) and a Celery
broker (CELERY_BROKER_URL). Three phases, timed one after the other:

1. seeding (not measured): the accounts and contracts are bulk-created; 20 template CDRs of the
   partner CPO are stored as the CDR receiver stores them, copied in bulk to every account, and
   all are priced by the batch pricer that `reprice` uses;
2. issuing: `manage.py invoice_run --period <last month> --workers <N>`, the real command, with
   N processes billing the accounts at once (2 by default, one per core of the benchmark
   machine); each issued invoice queues its rendering and e-mail on commit. Meanwhile the
   tables the run fills are analyzed every 15 s, as autovacuum does in production;
3. rendering: a Celery worker with 2 processes (as production runs it) takes those tasks:
   the PDF/A-3 with its e-invoice, stored, and the e-mail (Django's in-memory mail
   backend: nothing leaves the machine). Timed from the moment the worker is ready (its
   start-up is reported apart) until every issued invoice has its stored PDF.
"""

import argparse
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from billing.invoices.models import BillingAccount, Document, DocumentFile, Issuer  # noqa: E402
from billing.models import DriverContract  # noqa: E402
from billing.services import cdrs_price  # noqa: E402
from ocpi.models import Connection, OwnParty  # noqa: E402
from ocpi.modules.cdrs import services as cdrs  # noqa: E402
from ocpi.modules.cdrs.models import Cdr  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402

CDRS_PER_ACCOUNT = 20
PRICING_BATCH = 2000
RENDER_TIMEOUT_S = 4 * 3600
PYTHON = sys.executable
CONTRACT = "NL-TME-B{:08d}"  # no real contract id looks like this


def last_month() -> date:
    return datetime.now(UTC).date().replace(day=1) - timedelta(days=1)


def template_cdr_document(index: int, month: date) -> dict:
    """Session `index` of the month at the partner CPO DE-ABC (in Germany), its tariff
    embedded: a flat fee, energy and time."""
    start = datetime(month.year, month.month, 1 + index, 10, 0, tzinfo=UTC)
    end = start + timedelta(minutes=90)
    energy = 10 + index % 7
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    tariff = {
        "country_code": "DE",
        "party_id": "ABC",
        "id": "T1",
        "currency": "EUR",
        "elements": [
            {
                "price_components": [
                    {"type": "FLAT", "price": 0.50, "vat": 19.0, "step_size": 1},
                    {"type": "ENERGY", "price": 0.39, "vat": 19.0, "step_size": 1},
                    {"type": "TIME", "price": 1.20, "vat": 19.0, "step_size": 60},
                ]
            }
        ],
        "last_updated": "2024-01-01T00:00:00Z",
    }
    cost = round(0.50 + energy * 0.39 + 1.5 * 1.20, 4)
    return {
        "country_code": "DE",
        "party_id": "ABC",
        "id": f"BINV-TEMPLATE-{index}",
        "start_date_time": start.strftime(stamp),
        "end_date_time": end.strftime(stamp),
        "cdr_token": {
            "country_code": "NL",
            "party_id": "TME",
            "uid": "TEMPLATE",
            "type": "RFID",
            "contract_id": "NL-TME-BTEMPLATE",
        },
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": "LOC1",
            "name": "Marktplatz",
            "address": "Hauptstrasse 1",
            "city": "Berlin",
            "postal_code": "10115",
            "country": "DEU",
            "coordinates": {"latitude": "52.520008", "longitude": "13.404954"},
            "evse_uid": "E1-1",
            "evse_id": "DE*ABC*E1*1",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_3_PHASE",
        },
        "currency": "EUR",
        "tariffs": [tariff],
        "charging_periods": [
            {
                "start_date_time": start.strftime(stamp),
                "tariff_id": "T1",
                "dimensions": [
                    {"type": "ENERGY", "volume": energy},
                    {"type": "TIME", "volume": 1.5},
                ],
            }
        ],
        "total_cost": {"excl_vat": cost, "incl_vat": round(cost * 1.19, 4)},
        "total_energy": energy,
        "total_time": 1.5,
        "last_updated": end.strftime(stamp),
    }


def seed(accounts: int, month: date) -> None:
    emsp = OwnParty.objects.get(role="EMSP")
    issuer = Issuer.objects.create(
        own_party=emsp,
        name=f"{emsp.name} B.V.",
        street="Stationsplein 1",
        postcode="1012 AB",
        city="Amsterdam",
        country="NL",
        vat_id="NL123456789B01",
        registration="KvK 12345678",
        email="billing@example.com",
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
    )
    contracts = DriverContract.objects.bulk_create(
        DriverContract(
            contract_id=CONTRACT.format(number),
            name=f"Driver {number}",
            markup_percent=Decimal("10"),
            session_fee=Decimal("0.50"),
            vat_rate=Decimal("21"),
        )
        for number in range(accounts)
    )
    BillingAccount.objects.bulk_create(
        BillingAccount(
            kind=BillingAccount.Kind.DRIVER,
            issuer=issuer,
            contract=contract,
            name=contract.name,
            street="Keizersgracht 10",
            postcode="1015 CN",
            city="Amsterdam",
            country="NL",
            email=f"driver{number}@example.com",
        )
        for number, contract in enumerate(contracts)
    )
    partner = Connection.objects.get(name="Bench partner")
    # The templates stay, billed to no one: their contract has no account.
    templates = [
        cdrs.store_from_partner(
            connection=partner, document=template_cdr_document(i, month)
        ).instance
        for i in range(CDRS_PER_ACCOUNT)
    ]
    # Storing them queued their pricing; the measured worker is to render invoices only.
    celery_app.control.purge()
    columns = [field.attname for field in Cdr._meta.concrete_fields if not field.primary_key]
    copies = []
    for number in range(accounts):
        contract_id = CONTRACT.format(number)
        token_uid = f"B{number:08d}"
        for template in templates:
            copy = Cdr(**{column: getattr(template, column) for column in columns})
            copy.ocpi_id = template.ocpi_id.replace("TEMPLATE", f"{number:07d}")
            copy.contract_id, copy.token_uid = contract_id, token_uid
            copy.document = {
                **template.document,
                "id": copy.ocpi_id,
                "cdr_token": {
                    **template.document["cdr_token"],
                    "uid": token_uid,
                    "contract_id": contract_id,
                },
            }
            copies.append(copy)
    created = Cdr.objects.bulk_create(copies, batch_size=PRICING_BATCH)
    ids = [cdr.pk for cdr in created]
    for first in range(0, len(ids), PRICING_BATCH):
        cdrs_price(cdr_ids=ids[first : first + PRICING_BATCH])


def children_cpu_s() -> float:
    """CPU seconds of the finished child processes (and theirs): the command and its workers,
    the Celery worker and its processes, start-ups included; PostgreSQL's are not."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# The tables the run fills: as they grow from empty, the planner needs to know they did, or it
# plans the query of CDRs not billed yet as a scan of every line billed so far, per account.
GROWING_TABLES = "invoices_document, invoices_documentline, invoices_invoicerunitem"
ANALYZE_EVERY_S = 15


@contextlib.contextmanager
def statistics_kept():
    """ANALYZE the tables the run fills every ANALYZE_EVERY_S seconds meanwhile: autovacuum's
    work in production, where it is on (it may be off on a benchmark machine's PostgreSQL)."""
    stop = threading.Event()

    def analyze() -> None:
        try:
            while not stop.wait(ANALYZE_EVERY_S):
                with connection.cursor() as cursor:
                    cursor.execute(f"ANALYZE {GROWING_TABLES}")
        finally:
            connection.close()

    thread = threading.Thread(target=analyze, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def issue(month: date, workers: int, env: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    with statistics_kept():
        finished = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "invoice_run",
                "--period",
                f"{month:%Y-%m}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return time.perf_counter() - start, json.loads(finished.stdout.strip().splitlines()[-1])


def render(issued: int, env: dict) -> tuple[float, float]:
    """Seconds the worker took to start (until it says it is ready), then to render them all."""
    start = time.perf_counter()
    worker = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "portal", "worker", "-c", "2", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready_at: list[float] = []

    def watch_log() -> None:  # drains the worker's log; notes when it is ready
        for line in worker.stdout:
            if not ready_at and line.rstrip().endswith(" ready."):
                ready_at.append(time.perf_counter())

    threading.Thread(target=watch_log, daemon=True).start()
    try:
        while DocumentFile.objects.count() < issued:
            if worker.poll() is not None:
                raise RuntimeError(f"the Celery worker stopped (exit {worker.returncode})")
            if time.perf_counter() - start > RENDER_TIMEOUT_S:
                raise RuntimeError("rendering did not finish in time")
            time.sleep(0.2)
        done = time.perf_counter()
        rendering_from = ready_at[0] if ready_at else start
        return rendering_from - start, done - rendering_from
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="processes issuing at once")
    arguments = parser.parse_args()
    accounts, workers = arguments.accounts, arguments.workers
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.exit("CELERY_BROKER_URL: the rendering tasks need a broker")
    month = last_month()
    seed(accounts, month)
    env = {
        **os.environ,
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-media-"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    cpu_before = children_cpu_s()
    issue_s, summary = issue(month, workers, env)
    issue_cpu_s = children_cpu_s() - cpu_before
    issued = Document.objects.filter(status=Document.Status.ISSUED).count()
    startup_s, render_s = render(issued, env)
    render_cpu_s = children_cpu_s() - cpu_before - issue_cpu_s
    per_invoice_s = (issue_s + render_s) / issued if issued else 0
    print(
        json.dumps(
            {
                "accounts": accounts,
                "cdrs_per_account": CDRS_PER_ACCOUNT,
                "period": f"{month:%Y-%m}",
                "issued": issued,
                "held_back": len(summary.get("held_back", [])),
                "failed": summary.get("failed"),
                "issue_workers": workers,
                "issue_s": round(issue_s, 1),
                "issue_per_s": round(issued / issue_s, 1),
                "worker_startup_s": round(startup_s, 1),
                "render_s": round(render_s, 1),
                "issue_cpu_ms_per_invoice": round(1000 * issue_cpu_s / issued) if issued else 0,
                "render_cpu_ms_per_invoice": round(1000 * render_cpu_s / issued) if issued else 0,
                "render_per_s": round(issued / render_s, 1),
                "documents_per_s": round(1 / per_invoice_s, 1) if issued else 0,
                "extrapolated_10000_min": round(10000 * per_invoice_s / 60, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
