"""Several workers billing one run at once: each account billed by one of them, each invoice
issued once, the numbers without gaps."""

import json
import os
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from billing.invoices import services
from billing.invoices.models import Document, InvoiceRun, InvoiceRunItem, VatRate
from tests.support.invoices import cdr_document, driver_account_for, issuer_for

PROJECT_DIR = Path(__file__).resolve().parents[3]
ACCOUNTS = 8
WORKERS = 2


@pytest.fixture
def drivers(own_parties, store_cdr):
    """ACCOUNTS driver accounts, each with a CDR of October 2026."""
    # A test before this one may have emptied the tables, the seeded VAT rates with them.
    VatRate.objects.get_or_create(
        country="DE", valid_from=date(2024, 1, 1), defaults={"rate": Decimal("19")}
    )
    issuer = issuer_for(own_parties["EMSP"])
    accounts = []
    for number in range(ACCOUNTS):
        contract_id = f"NL-TME-C{number:08d}"
        accounts.append(driver_account_for(issuer, contract_id=contract_id))
        store_cdr(cdr_document(f"CDR{number}", contract_id=contract_id))
    return accounts


def assert_each_account_billed_once(accounts) -> None:
    assert [Document.objects.filter(account=a).count() for a in accounts] == [1] * len(accounts)
    year = Document.objects.first().issue_date.year
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == [f"INV-{year}-{n:06d}" for n in range(1, len(accounts) + 1)]
    assert set(InvoiceRunItem.objects.values_list("status", flat=True)) == {"DONE"}
    assert InvoiceRun.objects.get().status == InvoiceRun.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_run_bill_each_account_once(drivers):
    run = services.invoice_run_start(period="2026-10")
    billed, errors = [], []
    start = threading.Barrier(WORKERS)

    def work():
        try:
            start.wait()
            billed.append(services.invoice_run_work(run_id=run.pk))
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(billed) == ACCOUNTS
    assert all(count > 0 for count in billed), f"one worker billed all: {billed}"
    assert_each_account_billed_once(drivers)


@pytest.mark.django_db(transaction=True)
def test_the_command_bills_with_several_processes(drivers, tmp_path):
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path)}

    finished = subprocess.run(
        [sys.executable, "manage.py", "invoice_run", "--period", "2026-10", "--workers", "2"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert finished.returncode == 0, finished.stderr
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    assert (summary["done"], summary["documents_issued"]) == (ACCOUNTS, ACCOUNTS)
    assert f"{ACCOUNTS}/{ACCOUNTS} accounts" in finished.stderr
    assert_each_account_billed_once(drivers)


def test_a_dry_run_is_one_process(db):
    with pytest.raises(CommandError, match="--workers"):
        call_command("invoice_run", "--period", "2026-10", "--dry-run", "--workers", "2")
    with pytest.raises(CommandError, match="--workers"):
        call_command("invoice_run", "--period", "2026-10", "--workers", "0")
    assert not InvoiceRun.objects.exists()


def test_workers_need_the_run_committed(db):
    # Inside a transaction (as this test is) other processes would not see the run.
    with pytest.raises(ValueError, match="workers"):
        services.invoice_run(period="2026-10", workers=2)


@pytest.mark.django_db(transaction=True)
def test_workers_need_a_database_that_locks_rows(monkeypatch):
    # SQLite (`make run`) cannot lock an account's item for one worker.
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)
    with pytest.raises(ValueError, match="workers"):
        services.invoice_run(period="2026-10", workers=2)
    with pytest.raises(CommandError, match=r"--workers: .*SQLite"):
        call_command("invoice_run", "--period", "2026-10", "--workers", "2")
    assert not InvoiceRun.objects.exists()
