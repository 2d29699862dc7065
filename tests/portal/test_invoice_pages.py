"""The staff invoice pages: finding a document, reading it (lines, VAT, corrections, why a draft
is held), its PDF as stored, cancelling it by a credit note, and starting a run for a period."""

import hashlib
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.invoices import services
from billing.invoices.models import Document, DocumentFile, DocumentLine, InvoiceRun
from billing.invoices.snapshot import DocumentKind
from ocpi.modules.cdrs import services as cdrs
from portal.staff.roles import FINANCE, SUPPORT
from tests.support.invoice_snapshots import domestic_driver
from tests.support.invoices import cdr_document, driver_account_for, issuer_for
from tests.support.portal_factories import staff_member

OCTOBER = services.period_parse("2026-10")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def account(own_parties):
    return driver_account_for(issuer_for(own_parties["EMSP"]))


@pytest.fixture
def invoice(account, partner, django_capture_on_commit_callbacks):
    """An invoice issued by the real services for two priced CDRs, its PDF stored on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        for cdr_id in ("CDR1", "CDR2"):
            cdrs.store_from_partner(connection=partner, document=cdr_document(cdr_id))
    with django_capture_on_commit_callbacks(execute=True):
        [issued] = services.account_bill(account=account, period=OCTOBER).documents
    assert issued.status == Document.Status.ISSUED, issued.findings
    return issued


def _client(client, role):
    client.force_login(staff_member(role))
    return client


def test_the_list_finds_documents_by_kind_number_and_account(client, invoice, account):
    _client(client, SUPPORT)
    url = reverse("staff:invoices")

    def listed(**filters) -> bool:
        return invoice.number in client.get(url, filters).content.decode()

    assert listed() and listed(number=invoice.number[-3:]) and listed(account=account.name)
    assert listed(kind="INVOICE", status="ISSUED")
    assert not listed(kind="CREDIT_NOTE") and not listed(period_from="2026-11-01")
    # Nonsense in the filters is ignored, never an error.
    assert client.get(url, {"period_from": "yesterday", "kind": "X"}).status_code == 200


def test_the_detail_shows_lines_vat_summary_pdf_and_email_state(client, invoice):
    _client(client, SUPPORT)
    page = client.get(reverse("staff:invoice", args=[invoice.pk])).content.decode()
    assert "CDR1" in page and "CDR2" in page
    rate = invoice.lines.first().tax_rate
    assert "VAT summary" in page and f"{rate:.2f} %" in page
    assert "Sent" in page  # the e-mail went out after the commit
    assert reverse("staff:invoice-pdf", args=[invoice.pk]) in page


def test_the_pdf_is_the_stored_file_byte_for_byte(client, invoice):
    _client(client, SUPPORT)
    response = client.get(reverse("staff:invoice-pdf", args=[invoice.pk]))
    pdf = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf).hexdigest() == DocumentFile.objects.get(document=invoice).sha256


def test_a_draft_shows_the_rule_ids_that_hold_it_back_and_has_no_pdf(client, account):
    good = domestic_driver().lines[0]
    wrong = replace(good, tax=good.tax + Decimal("5.00"), gross=good.gross + Decimal("5.00"))
    draft = services.document_draft_create(
        kind=DocumentKind.INVOICE,
        account=account,
        currency="EUR",
        period_start=OCTOBER.start,
        period_end=OCTOBER.end,
        draft_lines=[
            services.DraftLine(line=wrong, ledger=DocumentLine.Ledger.DRIVER, cdr_id=None)
        ],
    )
    draft = services.document_issue(document_id=draft.pk)
    _client(client, SUPPORT)
    page = client.get(reverse("staff:invoice", args=[draft.pk])).content.decode()
    assert "Why this is still a draft" in page and "BR-S-09" in page
    assert client.get(reverse("staff:invoice-pdf", args=[draft.pk])).status_code == 404


def test_finance_cancels_after_confirming_and_the_credit_note_names_the_invoice(
    client, invoice, django_capture_on_commit_callbacks
):
    _client(client, FINANCE)
    detail = reverse("staff:invoice", args=[invoice.pk])
    cancel = reverse("staff:invoice-cancel", args=[invoice.pk])
    assert cancel in client.get(detail).content.decode()
    confirm = client.get(cancel).content.decode()
    assert (
        "cannot be taken back" in confirm
        and not Document.objects.filter(kind=DocumentKind.CREDIT_NOTE).exists()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel, {"reason": "Wrong address"})
    note = Document.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert response["Location"] == reverse("staff:invoice", args=[note.pk])
    assert note.status == Document.Status.ISSUED and note.corrects == invoice
    assert note.total_gross == invoice.total_gross
    page = client.get(response["Location"]).content.decode()
    assert invoice.number in page and note.number in page
    assert note.number in client.get(detail).content.decode()  # "corrected by"
    # Twice is refused on the form; a credit note is not cancelled at all.
    again = client.post(cancel, {"reason": "Again"})
    assert again.status_code == 400 and "credited in full" in again.content.decode()
    assert client.get(reverse("staff:invoice-cancel", args=[note.pk])).status_code == 404


def test_finance_starts_a_run_whose_accounts_are_queued_after_commit(
    client, account, django_capture_on_commit_callbacks
):
    _client(client, FINANCE)
    url = reverse("staff:invoice-run-start")
    bad = client.post(url, {"period": "October"})
    assert bad.status_code == 400 and "2026-W42" in bad.content.decode()
    assert not InvoiceRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"period": "2026-10"})
    assert response["Location"] == reverse("staff:invoice-runs")
    run = InvoiceRun.objects.get(period="2026-10")
    assert list(run.items.values_list("account_id", flat=True)) == [account.pk]
    assert len(queued) == 1
    page = client.get(response["Location"]).content.decode()
    assert "2026-10" in page and "Running" in page
