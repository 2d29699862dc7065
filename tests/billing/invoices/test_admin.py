"""Staff pages: an issued document is read-only and can only be cancelled by a credit note;
runs show their progress."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from billing.invoices import services
from billing.invoices.models import Document
from billing.invoices.snapshot import DocumentKind
from tests.billing.invoices.conftest import cdr_document


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_superuser("boss", password="pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def issued(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1"))
    services.invoice_run(period="2026-10")
    return Document.objects.get()


def test_an_issued_document_cannot_be_saved_or_deleted_by_staff(staff_client, issued):
    page = staff_client.get(f"/admin/invoices/document/{issued.pk}/change/")
    assert page.status_code == 200
    assert issued.number in page.content.decode()
    assert 'name="_save"' not in page.content.decode()

    assert staff_client.post(f"/admin/invoices/document/{issued.pk}/change/", {}).status_code == 403
    assert (
        staff_client.post(
            f"/admin/invoices/document/{issued.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert Document.objects.filter(pk=issued.pk).exists()


def test_staff_cancel_an_invoice_by_the_admin_action(staff_client, issued):
    response = staff_client.post(
        "/admin/invoices/document/",
        {"action": "cancel", "_selected_action": [issued.pk]},
        follow=True,
    )

    assert response.status_code == 200
    note = Document.objects.get(kind=DocumentKind.CREDIT_NOTE)
    assert note.corrects == issued and note.total_gross == issued.total_gross
    pdf = staff_client.get(f"/admin/invoices/document/{note.pk}/pdf/")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_the_runs_page_shows_progress(staff_client, issued):
    page = staff_client.get("/admin/invoices/invoicerun/")
    assert "1 done, 0 failed, 0 pending of 1 accounts; 1 documents" in page.content.decode()
