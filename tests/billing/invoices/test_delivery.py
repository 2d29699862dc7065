"""After issuing: the PDF rendered once, kept with its SHA-256 and e-mailed; a document whose
e-invoice breaks a business rule is not issued at all."""

import hashlib
from dataclasses import replace
from decimal import Decimal

from django.core import mail

from billing.invoices import delivery, services
from billing.invoices.models import Document, DocumentFile, DocumentLine, NumberCounter
from billing.invoices.snapshot import DocumentKind
from tests.billing.invoices.conftest import cdr_document
from tests.support.invoice_snapshots import domestic_driver

OCTOBER = services.period_parse("2026-10")


def test_the_pdf_is_rendered_stored_and_mailed_once_after_commit(
    driver_account, store_cdr, django_capture_on_commit_callbacks
):
    store_cdr(cdr_document("CDR1"))
    with django_capture_on_commit_callbacks(execute=True):
        [invoice] = services.account_bill(account=driver_account, period=OCTOBER).documents

    stored = DocumentFile.objects.get(document=invoice)
    pdf = stored.pdf.read()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == stored.sha256
    assert invoice.number not in stored.pdf.name  # an unguessable name
    [message] = mail.outbox
    assert message.to == ["eva@example.com"] and invoice.number in message.subject
    [(filename, attached, mimetype)] = message.attachments
    assert (filename, attached, mimetype) == (f"{invoice.number}.pdf", pdf, "application/pdf")

    delivery.document_deliver(document_id=invoice.pk)  # a retried task
    assert len(mail.outbox) == 1
    assert DocumentFile.objects.get(document=invoice).sha256 == stored.sha256


def test_a_business_rule_error_keeps_the_document_a_draft(driver_account):
    good = domestic_driver().lines[0]
    # VAT that is not the rate times the net amount (BR-S-09 and BR-CO-17 of EN 16931).
    wrong = replace(good, tax=good.tax + Decimal("5.00"), gross=good.gross + Decimal("5.00"))
    draft = services.document_draft_create(
        kind=DocumentKind.INVOICE,
        account=driver_account,
        currency="EUR",
        period_start=OCTOBER.start,
        period_end=OCTOBER.end,
        draft_lines=[
            services.DraftLine(line=wrong, ledger=DocumentLine.Ledger.DRIVER, cdr_id=None)
        ],
    )

    result = services.document_issue(document_id=draft.pk)

    assert result.status == Document.Status.DRAFT and result.number == ""
    assert {"BR-CO-17", "BR-S-09"} <= {finding["rule_id"] for finding in result.findings}
    assert not NumberCounter.objects.filter(last_number__gt=0).exists()
