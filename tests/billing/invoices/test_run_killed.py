"""A run killed with SIGKILL in the middle, then started again: each invoice issued once."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from billing.invoices.models import Document, InvoiceRunItem, VatRate
from tests.billing.invoices.conftest import cdr_document, driver_account_for, issuer_for

PROJECT_DIR = Path(__file__).resolve().parents[3]
ACCOUNTS = 10
WAIT_SECONDS = 120


def run_command(tmp_path) -> subprocess.Popen:
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path)}
    return subprocess.Popen(
        [sys.executable, "manage.py", "invoice_run", "--period", "2026-10"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def done_items() -> int:
    return InvoiceRunItem.objects.filter(status=InvoiceRunItem.Status.DONE).count()


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_midway_and_started_again_issues_each_invoice_once(
    own_parties, partner, store_cdr, tmp_path
):
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

    process = run_command(tmp_path)
    deadline = time.monotonic() + WAIT_SECONDS
    while done_items() == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_after = done_items()
    assert 0 < killed_after < ACCOUNTS, "the run was to be killed halfway"

    restarted = run_command(tmp_path)
    assert restarted.wait(timeout=WAIT_SECONDS) == 0

    assert [Document.objects.filter(account=a).count() for a in accounts] == [1] * ACCOUNTS
    numbers = sorted(Document.objects.values_list("number", flat=True))
    year = Document.objects.first().issue_date.year
    assert numbers == [f"INV-{year}-{n:06d}" for n in range(1, ACCOUNTS + 1)]
    assert done_items() == ACCOUNTS
