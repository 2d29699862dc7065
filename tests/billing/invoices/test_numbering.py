"""Numbers: assigned when a document is issued, per issuer, kind and year, without gaps or
duplicates however many issue at once."""

import threading
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection, transaction

from billing.invoices import services, tasks
from billing.invoices.models import Document, DocumentLine, NumberCounter
from billing.invoices.snapshot import DocumentKind
from tests.billing.invoices.conftest import driver_account_for, issuer_for
from tests.support.invoice_snapshots import domestic_driver

ISSUERS = 8
DOCUMENTS_EACH = 200


def draft(account, line) -> Document:
    return services.document_draft_create(
        kind=DocumentKind.INVOICE,
        account=account,
        currency="EUR",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        draft_lines=[services.DraftLine(line=line, ledger=DocumentLine.Ledger.DRIVER, cdr_id=None)],
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_every_number_once(own_parties, monkeypatch):
    """8 threads, each with its own database connection, issue 200 invoices each at once.

    The e-invoice check and the PDF are left out (tests of their own cover them; here they
    would only make the run 50 times longer): this is about the counter row's lock.
    """
    monkeypatch.setattr(services, "einvoice_findings", lambda snapshot: [])
    monkeypatch.setattr(tasks.document_deliver_task, "delay_on_commit", lambda *args: None)
    account = driver_account_for(issuer_for(own_parties["EMSP"]))
    line = domestic_driver().lines[0]
    errors = []
    start = threading.Barrier(ISSUERS)

    def issue_many():
        try:
            start.wait()
            for _ in range(DOCUMENTS_EACH):
                with transaction.atomic():
                    services.document_issue(document_id=draft(account, line).pk)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_many) for _ in range(ISSUERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(Document.objects.values_list("number", flat=True))
    year = Document.objects.values_list("issue_date", flat=True)[0].year
    expected = [f"INV-{year}-{n:06d}" for n in range(1, ISSUERS * DOCUMENTS_EACH + 1)]
    assert sorted(numbers) == expected
    assert NumberCounter.objects.get().last_number == ISSUERS * DOCUMENTS_EACH


def test_each_kind_counts_on_its_own_and_a_year_starts_at_one(driver_account):
    line = domestic_driver().lines[0]
    with time_machine.travel(datetime(2026, 12, 31, 22, 0, tzinfo=UTC)):
        invoice = services.document_issue(document_id=draft(driver_account, line).pk)
        note = services.invoice_cancel(document_id=invoice.pk)
        second = services.document_issue(document_id=draft(driver_account, line).pk)
    # 23:30 UTC is already the new year in Amsterdam, where the issuer is.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)):
        new_year = services.document_issue(document_id=draft(driver_account, line).pk)

    assert (invoice.number, second.number) == ("INV-2026-000001", "INV-2026-000002")
    assert note.number == "CN-2026-000001"
    assert new_year.number == "INV-2027-000001"
    assert new_year.issue_date == date(2027, 1, 1)


def test_a_failed_issue_gives_its_number_back(driver_account):
    line = domestic_driver().lines[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_issue(document_id=draft(driver_account, line).pk)
        raise RuntimeError("the issuing transaction fails after the number was taken")

    issued = services.document_issue(document_id=draft(driver_account, line).pk)
    assert issued.number.endswith("-000001")
