"""Runs: every due account billed once per period, even when a run is stopped halfway and
started again; unpriceable CDRs held back and listed; the command with its dry run."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from billing.invoices import services
from billing.invoices.models import (
    BillingAccount,
    Document,
    DocumentFile,
    InvoiceRun,
    InvoiceRunItem,
)
from billing.models import DriverPrice
from tests.billing.invoices.conftest import cdr_document, driver_account_for


@pytest.fixture
def three_drivers(emsp_issuer, store_cdr):
    accounts = []
    for number in range(1, 4):
        contract_id = f"NL-TME-C0000000{number}"
        accounts.append(driver_account_for(emsp_issuer, contract_id=contract_id))
        store_cdr(cdr_document(f"CDR{number}", contract_id=contract_id))
    return accounts


def invoice_count(account) -> int:
    return Document.objects.filter(account=account, status=Document.Status.ISSUED).count()


def test_a_run_stopped_halfway_and_started_again_issues_each_invoice_once(
    three_drivers, monkeypatch
):
    real_bill = services.account_bill

    def dies_at_the_second_account(*, account, period, run_item=None):
        billed = real_bill(account=account, period=period, run_item=run_item)
        if account == three_drivers[1]:
            # As if the process were killed after issuing, before the item's commit.
            raise KeyboardInterrupt
        return billed

    monkeypatch.setattr(services, "account_bill", dies_at_the_second_account)
    with pytest.raises(KeyboardInterrupt):
        services.invoice_run(period="2026-10")
    assert [invoice_count(account) for account in three_drivers] == [1, 0, 0]
    run = InvoiceRun.objects.get()
    assert run.status == InvoiceRun.Status.RUNNING

    monkeypatch.setattr(services, "account_bill", real_bill)
    summary = services.invoice_run(period="2026-10")

    assert [invoice_count(account) for account in three_drivers] == [1, 1, 1]
    assert summary["done"] == 3 and summary["documents_issued"] == 3
    numbers = sorted(Document.objects.values_list("number", flat=True))
    year = Document.objects.first().issue_date.year
    assert numbers == [f"INV-{year}-{n:06d}" for n in (1, 2, 3)]

    # A third start of the finished run issues nothing.
    services.invoice_run(period="2026-10")
    assert Document.objects.count() == 3


def test_unpriceable_cdrs_are_held_back_and_listed(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1"))
    unpriced = store_cdr(cdr_document("CDR2", start="2026-10-20T10:00:00Z"))
    DriverPrice.objects.filter(cdr=unpriced).delete()

    summary = services.invoice_run(period="2026-10")

    assert summary["documents_issued"] == 1
    assert summary["held_back"] == [{"cdr_id": "CDR2", "reason": "no driver price"}]
    item = InvoiceRunItem.objects.get()
    assert item.status == InvoiceRunItem.Status.DONE and item.held_back == summary["held_back"]


def test_accounts_are_billed_at_their_frequency(emsp_issuer, store_cdr):
    monthly = driver_account_for(emsp_issuer, contract_id="NL-TME-C00000001")
    per_session = driver_account_for(
        emsp_issuer,
        contract_id="NL-TME-C00000002",
        frequency=BillingAccount.Frequency.PER_SESSION,
    )
    for number, contract in enumerate(["NL-TME-C00000001", "NL-TME-C00000002"] * 2):
        day = 14 + number
        store_cdr(
            cdr_document(f"CDR{number}", contract_id=contract, start=f"2026-10-{day}T10:00:00Z")
        )

    services.invoice_run(period="2026-10-31")
    assert (invoice_count(monthly), invoice_count(per_session)) == (0, 2)
    services.invoice_run(period="2026-10")
    assert (invoice_count(monthly), invoice_count(per_session)) == (1, 2)


def test_the_command_dry_run_changes_nothing(driver_account, store_cdr, capsys):
    store_cdr(cdr_document("CDR1"))

    call_command("invoice_run", "--period", "2026-10", "--dry-run")
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["documents_issued"] == 1
    assert not Document.objects.exists() and not InvoiceRun.objects.exists()

    call_command("invoice_run", "--period", "2026-10", "--account", str(driver_account.pk))
    output = capsys.readouterr()
    assert json.loads(output.out)["documents_issued"] == 1
    assert "1/1 accounts" in output.err
    assert Document.objects.get().total_net == Decimal("7.10")


def test_a_bad_period_is_named(db):
    with pytest.raises(Exception, match="--period"):
        call_command("invoice_run", "--period", "October")


def test_the_hourly_task_starts_the_due_runs_and_delivers_what_was_left(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1"))
    first_of_november = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)

    with time_machine.travel(first_of_november):
        runs = services.runs_due_start()

    assert "2026-10" in {run.period for run in runs}
    invoice = Document.objects.get()
    # Its delivery was to follow the commit, which a crash prevented: the next hour sees to it.
    assert not DocumentFile.objects.exists() and mail.outbox == []
    with time_machine.travel(first_of_november + timedelta(hours=2)):
        services.runs_due_start()
    assert DocumentFile.objects.get().document == invoice
    assert [message.subject for message in mail.outbox] == [f"Your invoice {invoice.number}"]
    assert Document.objects.count() == 1
