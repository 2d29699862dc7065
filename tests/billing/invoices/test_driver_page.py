"""The driver's invoice page: their own documents only, each PDF exactly as stored."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from billing.invoices import services
from billing.invoices.models import DocumentFile
from tests.support.invoices import cdr_document, driver_account_for


@pytest.fixture
def owner_invoice(emsp_issuer, store_cdr):
    owner = get_user_model().objects.create_user("eva", password="pw")
    account = driver_account_for(emsp_issuer, user=owner)
    store_cdr(cdr_document("CDR1"))
    [invoice] = services.account_bill(
        account=account, period=services.period_parse("2026-10")
    ).documents
    return owner, invoice


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_lists_and_downloads_the_same_bytes_each_time(owner_invoice):
    owner, invoice = owner_invoice
    client = client_for(owner)

    page = client.get("/invoices/", follow=True)
    assert page.redirect_chain == [("/me/invoices/", 301)]
    assert invoice.number in page.content.decode()

    first = b"".join(client.get(f"/invoices/{invoice.pk}.pdf").streaming_content)
    second = b"".join(client.get(f"/invoices/{invoice.pk}.pdf").streaming_content)
    assert first.startswith(b"%PDF") and first == second
    assert hashlib.sha256(first).hexdigest() == DocumentFile.objects.get(document=invoice).sha256


def test_another_driver_gets_a_404_and_sees_nothing(owner_invoice, emsp_issuer):
    _owner, invoice = owner_invoice
    other = get_user_model().objects.create_user("max", password="pw")
    driver_account_for(emsp_issuer, user=other, contract_id="NL-TME-C00000099")
    client = client_for(other)

    assert client.get(f"/invoices/{invoice.pk}.pdf").status_code == 404
    assert invoice.number not in client.get("/me/invoices/").content.decode()
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    assert client_for(staff).get(f"/invoices/{invoice.pk}.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(owner_invoice):
    _owner, invoice = owner_invoice
    response = Client().get(f"/invoices/{invoice.pk}.pdf")
    assert response.status_code == 302 and "/login/" in response["Location"]
