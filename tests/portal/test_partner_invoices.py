"""Partner invoices: a partner CPO's CDRs grouped by the invoice they name, the same totals on
the page and in the CSV, the invoice recorded as received and checked to the cent, and a fixed
number of queries however many CDRs there are."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.partner_invoices import (
    NOT_INVOICED,
    PartnerInvoice,
    Status,
    invoice_group_rows,
    invoice_groups,
)
from ocpi.modules.cdrs import services as cdrs
from portal.staff.roles import FINANCE, SUPPORT
from tests.support.connections import make_connection
from tests.support.portal_factories import make_cdr, staff_member
from tests.support.priced_cdrs import cdr as priced_cdr
from tests.support.priced_cdrs import tariff

MARCH = datetime(2026, 3, 10, 9, tzinfo=UTC)
INVOICE_URL = "/staff/partner-invoices/DE-ABC/RC-2026-03/"


@pytest.fixture
def finance_client(client, db):
    client.force_login(staff_member(FINANCE))
    return client


@pytest.fixture
def support_client(client, db):
    client.force_login(staff_member(SUPPORT))
    return client


def partner_cdr(partner, **fields):
    """A CDR of the partner's CPO DE-ABC, priced by billing (a match unless said otherwise)."""
    return make_cdr(source=partner, party=("DE", "ABC"), **{"start": MARCH, **fields})


@pytest.fixture
def march_invoice(partner):
    """Three CDRs the partner bills on its invoice RC-2026-03 (one names it in lower case, as a
    CiString may), one mismatch among them; one CDR not invoiced yet."""
    partner_cdr(
        partner, energy="10", cost="4.10", cost_incl_vat="4.88", invoice_reference="RC-2026-03"
    )
    partner_cdr(
        partner, start=MARCH + timedelta(days=1), energy="20.5", cost="8.205",
        cost_incl_vat="9.76", invoice_reference="rc-2026-03",
    )  # fmt: skip
    partner_cdr(
        partner, start=MARCH + timedelta(days=2), energy="5", cost="3.00", cost_incl_vat="3.57",
        our_cost="2.50", verdict="MISMATCH", invoice_reference="RC-2026-03",
    )  # fmt: skip
    partner_cdr(partner, start=MARCH + timedelta(days=20), cost="1.00", cost_incl_vat="1.19")


def groups(**filters) -> dict:
    return {
        (group.party, group.reference): group
        for group in invoice_groups(invoice_group_rows(**filters))
    }


def test_cdrs_are_grouped_per_party_and_invoice_with_one_group_not_yet_invoiced(
    partner, march_invoice
):
    make_cdr(start=MARCH, invoice_reference="RC-2026-03")  # our own CPO's: not a partner's
    other = make_connection("Other", "other-token", [("FR", "XYZ", "CPO")])
    make_cdr(start=MARCH, source=other, party=("FR", "XYZ"), invoice_reference="RC-2026-03")

    found = groups()
    # Newest first: the group whose latest CDR started last.
    assert list(found) == [
        ("DE-ABC", NOT_INVOICED),
        ("DE-ABC", "RC-2026-03"),
        ("FR-XYZ", "RC-2026-03"),
    ]
    march = found["DE-ABC", "RC-2026-03"]
    totals = march.totals
    assert (march.partner, totals.cdrs, totals.energy_kwh) == ("Partner", 3, Decimal("35.5"))
    assert (totals.theirs_excl_vat, totals.theirs_incl_vat) == (Decimal("15.305"), Decimal("18.21"))
    assert totals.ours_excl_vat == Decimal("14.805")
    assert (totals.difference_excl_vat, totals.mismatches) == (Decimal("0.5"), 1)
    assert march.status == Status.AWAITING
    assert found["DE-ABC", NOT_INVOICED].status == Status.NOT_INVOICED
    assert set(groups(connection_id=other.pk)) == {("FR-XYZ", "RC-2026-03")}


def test_a_null_or_empty_reference_is_no_invoice(partner):
    partner_cdr(partner, invoice_reference="")
    explicit_null = partner_cdr(partner)
    explicit_null.document["invoice_reference_id"] = None
    explicit_null.save()
    [group] = groups().values()
    assert (group.reference, group.totals.cdrs) == (NOT_INVOICED, 2)


def test_the_month_is_that_of_the_groups_latest_cdr_on_the_locations_clock(partner):
    # 23:30 UTC on 31 March is 1 April in Amsterdam: the invoice's latest CDR is an April one.
    partner_cdr(partner, invoice_reference="RC-A")
    partner_cdr(partner, start=datetime(2026, 3, 31, 23, 30, tzinfo=UTC), invoice_reference="RC-A")
    partner_cdr(partner, invoice_reference="RC-B")
    assert set(groups(month="2026-04")) == {("DE-ABC", "RC-A")}
    assert set(groups(month="2026-03")) == {("DE-ABC", "RC-B")}
    assert groups(month="2026-04")["DE-ABC", "RC-A"].totals.cdrs == 2


def test_cdrs_received_and_priced_for_real_are_grouped_by_the_reference_they_name(
    partner, django_capture_on_commit_callbacks
):
    """Through the CDR receiver and billing's pricing on commit: a match and a mismatch."""
    right = priced_cdr("CDR1", embedded=[tariff()], tariff_id=None)
    dear = priced_cdr("CDR2", embedded=[tariff()], tariff_id=None, total_cost=(5.00, 5.50))
    for document in (right, dear):
        document["invoice_reference_id"] = "RC-2025-03"
        with django_capture_on_commit_callbacks(execute=True):
            cdrs.store_from_partner(connection=partner, document=document)

    [group] = groups().values()
    assert (group.reference, group.totals.cdrs, group.totals.mismatches) == ("RC-2025-03", 2, 1)
    assert (group.totals.theirs_excl_vat, group.totals.ours_excl_vat) == (
        Decimal("9.00"),
        Decimal("8.00"),
    )
    assert (group.totals.theirs_incl_vat, group.totals.ours_incl_vat) == (
        Decimal("9.90"),
        Decimal("8.80"),
    )


def test_the_list_shows_each_group_with_its_figures_and_links(support_client, march_invoice):
    page = support_client.get("/staff/partner-invoices/").content.decode()
    assert 'href="/staff/partner-invoices/DE-ABC/RC-2026-03/"' in page
    assert 'href="/staff/partner-invoices/DE-ABC/"' in page  # not yet invoiced
    assert "€15.31" in page and "€18.21" in page and "€14.81" in page  # 15.305, 14.805 half-up
    assert "Invoice not received" in page and "Not yet invoiced" in page
    assert "March 2026" in page


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_csv_has_the_pages_cdrs_and_totals(support_client, march_invoice):
    response = support_client.get(INVOICE_URL)
    page = response.content.decode()
    shown = response.context["page"].object_list
    assert [cdr.total_cost_excl_vat for cdr in shown] == [
        Decimal("4.10"),
        Decimal("8.205"),
        Decimal("3.00"),
    ]
    footer = page.split("<tfoot>")[1]
    assert "35.500 kWh" in footer and "€15.31" in footer and "€14.81" in footer

    rows = _csv(support_client.get(INVOICE_URL + "cdrs.csv"))
    assert [row[0] for row in rows[1:-1]] == [cdr.ocpi_id for cdr in shown]
    assert rows[1][1] == "2026-03-10T10:00+01:00"  # on the location's clock
    assert rows[2][6] == "8.21"  # 8.205 half-up, as the page rounds it
    assert rows[-1] == [
        "Total", "", "", "", "EUR", "35.500", "15.31", "18.21", "14.81", "17.91", "1 mismatch",
    ]  # fmt: skip

    german = _csv(support_client.get(INVOICE_URL + "cdrs.csv", HTTP_ACCEPT_LANGUAGE="de"))
    assert german[-1][5:9] == ["35,500", "15,31", "18,21", "14,81"]


def test_the_not_yet_invoiced_cdrs_have_a_page_and_a_csv_but_nothing_to_record(
    finance_client, march_invoice
):
    page = finance_client.get("/staff/partner-invoices/DE-ABC/").content.decode()
    assert "Not yet invoiced" in page and "Record the invoice as received" not in page
    assert _csv(finance_client.get("/staff/partner-invoices/DE-ABC/cdrs.csv"))[-1][6] == "1.00"
    response = finance_client.post("/staff/partner-invoices/DE-ABC/", _invoice_form("1.00"))
    assert response.status_code == 404
    assert not PartnerInvoice.objects.exists()


def test_an_unknown_invoice_or_party_is_not_found(support_client, march_invoice):
    assert support_client.get("/staff/partner-invoices/DE-ABC/RC-1999-01/").status_code == 404
    assert support_client.get("/staff/partner-invoices/DEABC/RC-2026-03/").status_code == 404
    assert support_client.get("/staff/partner-invoices/FR-XYZ/").status_code == 404


def _invoice_form(excl_vat: str, incl_vat: str = "", currency: str = "EUR") -> dict:
    return {
        "stated_excl_vat": excl_vat,
        "stated_incl_vat": incl_vat,
        "currency": currency,
        "received_on": "2026-04-03",
        "note": "PDF by mail",
    }


def test_an_invoice_that_states_the_sum_of_its_cdrs_to_the_cent_matches(
    finance_client, march_invoice
):
    # The CDRs add up to 15.305 excl. and 18.21 incl. VAT: 15.31 is that sum to the cent.
    response = finance_client.post(INVOICE_URL, _invoice_form("15.31", "18.21"))
    assert response.status_code == 302
    page = finance_client.get(response["Location"]).content.decode()
    assert "Matches: their invoice states the sum of its CDRs, to the cent." in page
    assert "Recorded by finance" in page
    invoice = PartnerInvoice.objects.get()
    assert (invoice.reference, invoice.stated_excl_vat, invoice.received_on) == (
        "RC-2026-03",
        Decimal("15.31"),
        date(2026, 4, 3),
    )
    assert invoice.connection.name == "Partner"
    # Its total matches, but our engine prices one CDR differently.
    assert groups()["DE-ABC", "RC-2026-03"].status == Status.MISMATCHES


def test_an_invoice_that_states_another_total_says_by_how_much(finance_client, march_invoice):
    finance_client.post(INVOICE_URL, _invoice_form("16.51", "18.20"))
    page = finance_client.get(INVOICE_URL).content.decode()
    assert "Their invoice states €1.20 more excl. VAT than its CDRs add up to." in page
    assert "Their invoice states €0.01 less incl. VAT than its CDRs add up to." in page
    assert "Matches" not in page
    assert groups()["DE-ABC", "RC-2026-03"].status == Status.DIFFERS
    list_page = finance_client.get("/staff/partner-invoices/").content.decode()
    assert "Total differs" in list_page


def test_a_corrected_invoice_replaces_what_was_recorded(finance_client, partner):
    partner_cdr(partner, cost="2.00", invoice_reference="RC-1")
    finance_client.post("/staff/partner-invoices/DE-ABC/RC-1/", _invoice_form("200"))
    page = finance_client.get("/staff/partner-invoices/DE-ABC/RC-1/").content.decode()
    assert 'name="stated_excl_vat" value="200"' in page  # as typed, not 2E+2
    finance_client.post("/staff/partner-invoices/DE-ABC/RC-1/", _invoice_form("2.00"))
    assert PartnerInvoice.objects.get().stated_excl_vat == Decimal("2.00")
    assert groups()["DE-ABC", "RC-1"].status == Status.RECONCILED


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (_invoice_form("-15.31"), "An invoice total cannot be negative."),
        (_invoice_form("15.31", "-1"), "An invoice total cannot be negative."),
        (_invoice_form("fifteen"), "Enter the amount as a number, such as 1234.56."),
        (_invoice_form("15.31", currency="USD"), "The CDRs of this invoice are in EUR, not USD."),
        ({**_invoice_form("15.31"), "received_on": "2999-01-01"}, "cannot be in the future"),
        ({**_invoice_form("15.31"), "received_on": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_in_words(finance_client, march_invoice, form, error):
    response = finance_client.post(INVOICE_URL, form)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not PartnerInvoice.objects.exists()


def test_an_invoice_whose_cdrs_are_in_two_currencies_is_refused_in_words(finance_client, partner):
    partner_cdr(partner, cost="2.00", invoice_reference="RC-MIXED")
    partner_cdr(partner, cost="2.00", currency="CHF", invoice_reference="RC-MIXED")
    response = finance_client.post("/staff/partner-invoices/DE-ABC/RC-MIXED/", _invoice_form("4"))
    assert response.status_code == 400
    assert "the CDRs of this invoice are in CHF, EUR; an invoice states its total in one." in (
        response.content.decode()
    )
    assert not PartnerInvoice.objects.exists()


def test_a_german_reader_types_a_decimal_comma(finance_client, march_invoice):
    response = finance_client.post(
        INVOICE_URL, _invoice_form("15,31", "18,21"), HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 302
    assert PartnerInvoice.objects.get().stated_incl_vat == Decimal("18.21")


def test_support_reads_the_invoice_but_is_offered_no_form(support_client, march_invoice):
    page = support_client.get(INVOICE_URL).content.decode()
    assert "Record the invoice as received" not in page
    assert "Finance records the invoice when it arrives." in page


def test_the_dashboard_and_the_navigation_link_to_the_partner_invoices(
    support_client, march_invoice
):
    page = support_client.get("/staff/").content.decode()
    assert page.count('href="/staff/partner-invoices/') >= 2  # navigation and the partner's card


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/staff/partner-invoices/",
        "/staff/partner-invoices/?month=2026-03",
        INVOICE_URL,
        INVOICE_URL + "cdrs.csv",
    ],
)
def test_pages_make_as_many_queries_for_many_cdrs_as_for_few(support_client, partner, url):
    def add(n: int, offset: int):
        for i in range(n):
            partner_cdr(
                partner,
                start=MARCH + timedelta(hours=i + offset),
                location_id=f"LOC{i + offset}",
                verdict=("MATCH", "MISMATCH", "UNPRICEABLE", None)[i % 4],
                our_cost="4.00",
                invoice_reference=("RC-2026-03", f"RC-{i + offset}", None)[i % 3],
            )
        PartnerInvoice.objects.create(
            connection=partner, country_code="DE", party_id="ABC", reference=f"RC-{offset + 1}",
            currency="EUR", stated_excl_vat=Decimal(5), received_on=date(2026, 4, 1),
            recorded_at=MARCH,
        )  # fmt: skip

    add(4, 0)
    few = _queries(support_client, url)
    add(40, 100)
    assert _queries(support_client, url) == few


def test_the_admin_lists_recorded_invoices_read_only(client, finance_client, march_invoice):
    finance_client.post(INVOICE_URL, _invoice_form("15.31"))
    admin = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(admin)
    assert "RC-2026-03" in client.get("/admin/billing/partnerinvoice/").content.decode()
    assert client.get("/admin/billing/partnerinvoice/add/").status_code == 403
