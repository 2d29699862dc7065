"""The driver space: a driver sees their own sessions, receipts, totals, report and cards, in
their language, and nobody else's."""

import csv
import hashlib
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.invoices.models import BillingAccount, DocumentFile
from billing.invoices.services import invoice_cancel
from tests.support.driver_seed import PASSWORD, invoice_driver, seed_driver, session
from tests.support.invoices import issuer_for
from tests.support.portal_factories import staff_member


@pytest.fixture
def dora(db):
    return seed_driver("dora", "NL-TME-C12345678-X")


@pytest.fixture
def eve(db):
    return seed_driver("eve", "NL-TME-C87654321-Y")


@pytest.fixture
def media(settings, tmp_path):
    """Rendered invoice PDFs are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def dora_client(client, dora):
    client.force_login(dora.user)
    return client


def test_the_old_driver_page_leads_to_the_driver_space(dora_client):
    response = dora_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("driver:sessions")


def test_sessions_count_in_the_month_of_the_locations_clock_with_the_months_total(dora_client):
    page = dora_client.get("/me/?month=2026-01").content.decode()
    # 23:30 UTC on 31 December is 00:30 on 1 January in Delft: a January session.
    assert "01/01/2026, 00:30 (UTC+01:00)" in page
    assert "05/01/2026, 18:30 (UTC+01:00)" in page
    assert "Marktplein" in page and "Stationsweg" in page
    assert "49.75 kWh" in page  # 12.5 + 30 + 7.25
    assert "€31.75" in page  # 8.41 + 17.73 + 5.61
    assert "03/02/2026" not in page  # February's session is on February's page
    assert "February 2026" in page  # in the monthly totals


def test_the_receipt_shows_where_when_and_the_price_components(dora_client, dora):
    cdr = dora.cdrs[1]
    page = dora_client.get(reverse("driver:receipt", args=[cdr.pk])).content.decode()
    assert "Stationsweg" in page and "Stationsweg 4, 2611 AB Delft" in page
    assert "05/01/2026, 18:30 (UTC+01:00)" in page and "05/01/2026, 20:00 (UTC+01:00)" in page
    assert "30.000 kWh" in page and "1 h 30 min" in page
    # The operator's charges (energy 30 kWh at €0.40, a start fee), our fee, VAT, the total.
    assert "€0.40/kWh" in page and "€12.00" in page and "€1.00" in page
    assert "€13.00" in page  # the operator's price
    assert "€1.65" in page  # 14.65 - 13.00: the markup and session fee
    assert "VAT 21%" in page and "€3.08" in page  # 17.73 - 14.65
    assert "€14.65" in page and "€17.73" in page


def test_the_receipt_in_german_has_german_numbers_and_words(dora_client, dora):
    url = reverse("driver:receipt", args=[dora.cdrs[1].pk])
    page = dora_client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Quittung" in page
    assert "17,73\xa0€" in page
    assert "MwSt. 21\xa0%" in page
    assert "05.01.26, 18:30 (UTC+01:00)" in page


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM: spreadsheets then read UTF-8
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_report_and_its_csv_have_the_same_totals_for_a_month(dora_client):
    page = dora_client.get("/me/report/?year=2026").content.decode()
    assert "<svg" in page and "Energy per month in 2026" in page
    january = re.search(r"January 2026</a></td>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'class="num">([^<]*)</td>', january)
    assert cells == ["3", "49.8 kWh", "€31.75"]
    assert "Marktplein, Markt 1, Utrecht" in page

    rows = _csv(dora_client.get("/me/report/2026.csv"))
    assert rows[0][:4] == ["Month", "Currency", "Sessions", "Energy (kWh)"]
    assert rows[1] == ["2026-01", "EUR", "3", "49.750", "26.24", "5.51", "31.75"]
    assert rows[2] == ["2026-02", "EUR", "1", "20.000", "10.25", "2.15", "12.40"]
    assert rows[3] == ["Total", "EUR", "4", "69.750", "36.49", "7.66", "44.15"]


@pytest.mark.parametrize("language", ["de", "nl", "fr"])
def test_the_csv_uses_semicolons_and_decimal_commas_where_the_reader_does(dora_client, language):
    response = dora_client.get("/me/report/2026.csv", HTTP_ACCEPT_LANGUAGE=language)
    assert response.content.decode("utf-8").splitlines()[1].count(";") == 6
    assert _csv(response)[1][1:] == ["EUR", "3", "49,750", "26,24", "5,51", "31,75"]


def test_a_driver_reaches_none_of_another_drivers_data(dora_client, eve, own_parties, media):
    eve_invoice = invoice_driver(eve, own_party=own_parties["EMSP"])
    urls = [
        reverse("driver:receipt", args=[eve.cdrs[0].pk]),
        reverse("driver:card-block", args=[eve.tokens[0].pk]),
        reverse("driver:invoice-pdf", args=[eve_invoice.pk]),
        f"/invoices/{eve_invoice.pk}.pdf",
    ]
    for url in urls:
        assert dora_client.get(url).status_code == 404, url
        assert dora_client.post(url).status_code == 404, url
    eve.tokens[0].refresh_from_db()
    assert eve.tokens[0].valid
    # Pages that list data show only the driver's own.
    pages = ["/me/?month=2026-01", "/me/report/?year=2026", "/me/cards/", "/me/details/"]
    for url in [*pages, "/me/invoices/"]:
        page = dora_client.get(url).content.decode()
        assert "EVE" not in page and "NL-TME-C87654321-Y" not in page, url
        assert eve_invoice.number not in page, url
    assert _csv(dora_client.get("/me/report/2026.csv"))[-1][2] == "4"


def test_every_driver_url_needs_a_login(client, dora):
    for url in [
        reverse("driver:sessions"),
        reverse("driver:receipt", args=[dora.cdrs[0].pk]),
        reverse("driver:report"),
        reverse("driver:report-csv", args=[2026]),
        reverse("driver:cards"),
        reverse("driver:card-block", args=[dora.tokens[0].pk]),
        reverse("driver:profile"),
        reverse("driver:invoices"),
        reverse("driver:invoice-pdf", args=[1]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_billing_details_and_language_are_saved_and_applied_at_login(client, dora, own_parties):
    issuer = issuer_for(own_parties["EMSP"])
    client.force_login(dora.user)
    response = client.post(
        "/me/details/",
        {
            "language": "nl",
            "name": "Dora Driver",
            "street": "Stationsweg 4",
            "postcode": "2611 AB",
            "city": "Delft",
            "country": "nl",
            "vat_id": "",
            "email": "dora@example.org",
        },
    )
    assert response.status_code == 302
    # They are the billing account of the driver's contract, created with our eMSP as issuer.
    account = BillingAccount.objects.get(contract=dora.contract)
    assert (account.name, account.country, account.language) == ("Dora Driver", "NL", "nl")
    assert (account.kind, account.issuer, account.email) == ("DRIVER", issuer, "dora@example.org")
    dora.user.refresh_from_db()
    assert dora.user.email == "dora@example.org"

    client.logout()
    client.cookies.clear()
    answer = client.post("/login/", {"username": "dora", "password": PASSWORD}, follow=True)
    page = answer.content.decode()
    assert '<html lang="nl">' in page and "Mijn laden" in page


def test_details_saved_again_change_the_account_invoices_are_addressed_to(
    dora_client, dora, own_parties, media
):
    invoice = invoice_driver(dora, own_party=own_parties["EMSP"])
    details = {
        "language": "de", "name": "Dora GmbH", "street": "Hauptstr. 1", "postcode": "10115",
        "city": "Berlin", "country": "DE", "vat_id": "DE123456789", "email": "rechnung@dora.de",
    }  # fmt: skip
    page = dora_client.get("/me/details/").content.decode()
    assert 'value="Oude Delft 1"' in page  # the account's details, as invoices print them

    assert dora_client.post("/me/details/", details).status_code == 302
    [account] = BillingAccount.objects.filter(contract=dora.contract)
    assert account == invoice.account
    assert (account.city, account.vat_id, account.email) == (
        "Berlin",
        "DE123456789",
        details["email"],
    )


def test_without_a_contract_or_an_issuer_the_form_says_why(client, dora):
    details = {
        "language": "en", "name": "Dora", "street": "Stationsweg 4", "postcode": "2611 AB",
        "city": "Delft", "country": "NL", "vat_id": "", "email": "dora@example.org",
    }  # fmt: skip
    client.force_login(dora.user)
    answer = client.post("/me/details/", details)
    assert answer.status_code == 400 and "Invoicing is not set up yet" in answer.content.decode()
    client.force_login(get_user_model().objects.create_user("ned"))
    answer = client.post("/me/details/", details)
    assert answer.status_code == 400 and "no contract to bill yet" in answer.content.decode()
    assert not BillingAccount.objects.exists()


def test_a_bad_country_is_answered_on_the_form(dora_client):
    response = dora_client.post("/me/details/", {"language": "en", "country": "N1"})
    assert response.status_code == 400
    assert "Two letters, e.g. NL, DE, FR." in response.content.decode()


def test_the_cards_page_lists_the_drivers_cards_with_their_state(dora_client, dora):
    page = dora_client.get("/me/cards/").content.decode()
    assert "04DORA0001" in page and "04DORA0002" in page
    assert "Blocked" in page and "Block this card" in page


def test_staff_have_no_driver_space(client, db):
    client.force_login(staff_member("support"))
    assert client.get("/me/").status_code == 302


def test_an_unpriced_session_says_so(dora_client, dora):
    cdr = dora.cdrs[0]
    cdr.driver_price.delete()
    page = dora_client.get("/me/?month=2026-01").content.decode()
    assert "being priced" in page and "One session is still being priced." in page
    receipt = dora_client.get(reverse("driver:receipt", args=[cdr.pk])).content.decode()
    assert "This session is still being priced." in receipt


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    month=st.text(max_size=12) | st.from_regex(r"\A\d{4}-\d{2}\Z"),
    year=st.text(max_size=8),
    csv_year=st.integers(min_value=0, max_value=10**9),
)
def test_any_month_or_year_in_the_address_gets_a_page_never_an_error(
    dora_client, month, year, csv_year
):
    assert dora_client.get("/me/", {"month": month}).status_code == 200
    assert dora_client.get("/me/report/", {"year": year}).status_code == 200
    assert dora_client.get(f"/me/report/{csv_year}.csv").status_code in (200, 404)


def test_until_saved_the_proposed_language_is_the_one_being_read(dora_client):
    page = dora_client.get("/me/details/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<option value="fr" selected>' in page


def test_driver_pages_make_as_many_queries_for_many_sessions_as_for_few(dora_client, dora):
    pages = ["/me/?month=2026-01", "/me/report/?year=2026", "/me/report/2026.csv", "/me/cards/"]

    def queries() -> list[int]:
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert dora_client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for number in range(10, 30):
        session(
            dora.contract,
            number=number,
            start=datetime(2026, 1, 2, 9, tzinfo=UTC) + timedelta(hours=number),
            energy="10",
            station_cost="5.00",
            excl_vat="5.85",
            incl_vat="7.08",
            location=(f"LOC{number}", f"Place {number}", "Street 1", "Town"),
        )
    assert queries() == few


def test_invoices_and_credit_notes_are_listed_with_what_they_correct_and_their_pdfs(
    dora_client, dora, own_parties, media
):
    invoice = invoice_driver(dora, own_party=own_parties["EMSP"])
    note = invoice_cancel(document_id=invoice.pk)

    page = dora_client.get(reverse("driver:invoices")).content.decode()
    assert invoice.number in page and f"Credit note for {invoice.number}" in page
    assert 'aria-current="page">Invoices<' in page

    response = dora_client.get(reverse("driver:invoice-pdf", args=[note.pk]))
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert DocumentFile.objects.get(document=note).sha256 == hashlib.sha256(pdf).hexdigest()
    old = dora_client.get(f"/invoices/{note.pk}.pdf")
    assert b"".join(old.streaming_content) == pdf
