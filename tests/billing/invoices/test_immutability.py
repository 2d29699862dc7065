"""An issued document, its lines and its stored PDF never change: the model refuses it, and
so does PostgreSQL for any SQL at all."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction

from billing.invoices import services
from billing.invoices.models import Document, DocumentFile, DocumentLine, ImmutableDocument
from tests.billing.invoices.conftest import cdr_document
from tests.support.invoice_snapshots import domestic_driver


@pytest.fixture
def issued(driver_account, store_cdr) -> Document:
    store_cdr(cdr_document("CDR1"))
    [invoice] = services.account_bill(
        account=driver_account, period=services.period_parse("2026-10")
    ).documents
    assert invoice.status == Document.Status.ISSUED
    return Document.objects.get(pk=invoice.pk)


def refused(statement: str, *params) -> None:
    with (
        pytest.raises(DatabaseError, match=r"issued|kept"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_the_model_refuses_to_save_or_delete_an_issued_document(issued):
    issued.total_net = 0
    with pytest.raises(ImmutableDocument):
        issued.save()
    with pytest.raises(ImmutableDocument):
        issued.delete()
    line = issued.lines.get()
    line.net = 0
    with pytest.raises(ImmutableDocument):
        line.save()
    with pytest.raises(ImmutableDocument):
        line.delete()


def test_bulk_updates_and_deletes_through_the_orm_are_refused(issued):
    for attempt in (
        lambda: Document.objects.filter(pk=issued.pk).update(total_net=0),
        lambda: Document.objects.filter(pk=issued.pk).update(status=Document.Status.DRAFT),
        lambda: Document.objects.filter(pk=issued.pk).delete(),
        lambda: DocumentLine.objects.filter(document=issued).update(net=0, gross=0),
        lambda: DocumentLine.objects.filter(document=issued).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert Document.objects.get(pk=issued.pk).snapshot == issued.snapshot


def test_raw_sql_cannot_change_or_delete_an_issued_document_or_its_lines(issued):
    refused("UPDATE invoices_document SET number = 'X' WHERE id = %s", issued.pk)
    refused("UPDATE invoices_document SET snapshot = '{}' WHERE id = %s", issued.pk)
    refused("DELETE FROM invoices_document WHERE id = %s", issued.pk)
    refused(
        "UPDATE invoices_documentline SET net = 0, gross = tax WHERE document_id = %s", issued.pk
    )
    refused("DELETE FROM invoices_documentline WHERE document_id = %s", issued.pk)
    line = issued.lines.get()
    refused(
        "INSERT INTO invoices_documentline (document_id, position, ledger, credit, full_credit,"
        " net, tax, gross, tax_rate, tax_category, content, created_at)"
        " VALUES (%s, 2, 'DRIVER', false, false, 1, 0, 1, 0, 'S', %s, now())",
        issued.pk,
        '{"a": 1}',
    )
    assert issued.lines.get().net == line.net


def test_the_stored_pdf_is_kept_but_its_mail_state_may_change(issued):
    pdf = b"%PDF-1.7 test"
    stored = DocumentFile(document=issued, sha256=hashlib.sha256(pdf).hexdigest())
    stored.pdf.save("x.pdf", ContentFile(pdf), save=False)
    stored.save()

    refused("UPDATE invoices_documentfile SET sha256 = 'x' WHERE document_id = %s", issued.pk)
    refused("UPDATE invoices_documentfile SET pdf = 'other.pdf' WHERE document_id = %s", issued.pk)
    refused("DELETE FROM invoices_documentfile WHERE document_id = %s", issued.pk)
    with pytest.raises(ImmutableDocument):
        stored.delete()
    DocumentFile.objects.filter(pk=stored.pk).update(email_attempts=1)


def test_a_draft_may_still_change_and_go(driver_account):
    draft = services.document_draft_create(
        kind="INVOICE",
        account=driver_account,
        currency="EUR",
        period_start=domestic_driver().period_start,
        period_end=domestic_driver().period_end,
        draft_lines=[
            services.DraftLine(
                line=domestic_driver().lines[0], ledger=DocumentLine.Ledger.DRIVER, cdr_id=None
            )
        ],
    )
    draft.currency = "EUR"
    draft.save()
    draft.lines.update(position=5)
    draft.delete()
    assert not Document.objects.filter(pk=draft.pk).exists()
