"""What staff and drivers do in the portal, in a real browser at desktop and phone width."""

import hashlib
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.disputes import Dispute
from billing.invoices.models import DocumentFile
from ocpi.modules.tokens.models import Token
from portal.staff.roles import FINANCE
from tests.support.browser import log_in
from tests.support.driver_seed import PASSWORD, invoice_driver, seed_driver
from tests.support.portal_factories import make_cdr, staff_member


@pytest.fixture
def finance_login(transactional_db):
    user = staff_member(FINANCE, "fiona")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def mismatch(transactional_db):
    """A CDR of this month (it just started) whose price is 1.50 above ours."""
    start = timezone.now() - timedelta(minutes=5)
    return make_cdr(start=start, cost="12.00", verdict="MISMATCH", our_cost="10.50")


@pytest.fixture
def media(settings, tmp_path):
    """Invoice PDFs the journeys render are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_staff_claim_a_price_mismatch_and_download_the_report(
    page, journey, finance_login, mismatch, own_parties, media
):
    steps = journey("staff")
    page.goto("/login/")
    steps.check("login")
    log_in(page, "fiona", PASSWORD)

    expect(page).to_have_url(re.compile(r"/staff/$"))
    steps.check("dashboard")

    page.locator("dl.figures .attention a").first.click()
    expect(page.get_by_role("heading", name="CDRs")).to_be_visible()
    steps.check("mismatches")

    page.get_by_role("link", name=re.compile(r"\(UTC")).first.click()
    expect(page.get_by_text("€1.50")).to_be_visible()
    steps.check("cdr")

    page.get_by_role("radio", name=re.compile("Claimed")).check()
    page.get_by_label("Note").fill("Their tariff says 0.35 per kWh; we claim the difference.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    steps.check("dispute")
    dispute = Dispute.objects.get(cdr=mismatch)
    assert dispute.resolution == Dispute.Resolution.CLAIMED and "0.35" in dispute.note

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.locator("svg.chart").first).to_be_visible()
    steps.check("report")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    assert text.splitlines()[-1].startswith("Total,EUR,1,10.000,12.00")

    # Billing issues a driver's invoice (after the report, whose totals it would change).
    issued_invoice = invoice_driver(seed_driver("dora"), own_party=own_parties["EMSP"])
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Invoices", exact=True
    ).click()
    page.get_by_role("link", name=issued_invoice.number).click()
    expect(page.get_by_role("heading", name="VAT summary")).to_be_visible()
    steps.check("invoice")
    page.get_by_role("link", name="Cancel with a credit note").click()
    steps.check("cancel")
    page.get_by_role("button", name="Issue the credit note").click()
    expect(page.get_by_text(re.compile(r"Credit note CN-\S+ issued\."))).to_be_visible()
    steps.check("credit-note")
    assert issued_invoice.corrections.get().total_gross == issued_invoice.total_gross


@pytest.fixture
def driver(transactional_db, own_parties, media):
    """Dora, her January sessions invoiced."""
    dora = seed_driver("dora", "NL-TME-C12345678-X")
    dora.invoice = invoice_driver(dora, own_party=own_parties["EMSP"])
    return dora


def test_a_driver_reads_a_receipt_and_the_report_blocks_a_lost_card_and_reads_german(
    page, journey, driver
):
    steps = journey("driver")
    page.goto("/login/")
    log_in(page, "dora", PASSWORD)

    expect(page.get_by_role("heading", name="Sessions in February 2026")).to_be_visible()
    steps.check("sessions")

    page.get_by_role("link", name="January 2026").click()
    expect(page.get_by_text("€31.75").first).to_be_visible()
    page.get_by_role("link", name="05/01/2026, 18:30 (UTC+01:00)").click()
    expect(page.get_by_role("heading", name="How the price is made")).to_be_visible()
    expect(page.get_by_text("€17.73").first).to_be_visible()
    steps.check("receipt")

    page.get_by_role("link", name="Energy report", exact=True).click()
    expect(page.locator("svg.chart title").first).to_have_text("Energy per month in 2026")
    expect(page.locator("table.report-months tfoot")).to_contain_text("€44.15")
    steps.check("report")

    page.get_by_role("link", name="Cards and apps").click()
    steps.check("cards")
    page.get_by_role("link", name="Block this card").click()
    expect(page.get_by_role("heading", name="Block this card?")).to_be_visible()
    steps.check("block")
    page.get_by_role("button", name="Yes, block the card").click()
    expect(page.get_by_text("The card is blocked.")).to_be_visible()
    steps.check("blocked")
    assert not Token.objects.get(pk=driver.tokens[0].pk).valid

    page.get_by_role("link", name="Invoices", exact=True).click()
    expect(page.get_by_text(driver.invoice.number, exact=True)).to_be_visible()
    steps.check("invoices")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download PDF")).click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == DocumentFile.objects.get(pk=driver.invoice.pk).sha256
    page.get_by_role("link", name="Cards and apps").click()

    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name="Karten und Apps")).to_be_visible()
    expect(page.get_by_text("Gesperrt").first).to_be_visible()
    steps.check("german")


def test_finance_checks_a_partner_invoice_against_its_cdrs(page, journey, finance_login, partner):
    """A partner's March invoice of two CDRs (one priced differently by us): the list, the
    invoice, recording the total its PDF states, and the verdict."""
    start = timezone.now().replace(day=1, hour=9, minute=0) - timedelta(days=40)
    for cost, our_cost, verdict in (("12.40", "12.40", "MATCH"), ("8.10", "7.60", "MISMATCH")):
        make_cdr(
            start=start, source=partner, party=("DE", "ABC"), location_id="KOELN-RHEINUFER-1",
            cost=cost, cost_incl_vat=str(Decimal(cost) * Decimal("1.19")), our_cost=our_cost,
            verdict=verdict, invoice_reference="RHEINCHARGE-2026-10-0042",
        )  # fmt: skip
    make_cdr(start=timezone.now(), source=partner, party=("DE", "ABC"), cost="3.00")
    steps = journey("partner-invoices")
    page.goto("/login/")
    log_in(page, "fiona", PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partner invoices").click()
    expect(page.get_by_text("Invoice not received")).to_be_visible()
    steps.check("list")

    page.get_by_role("link", name="RHEINCHARGE-2026-10-0042").click()
    expect(page.get_by_role("heading", name=re.compile("Partner invoice"))).to_be_visible()
    steps.check("invoice")

    page.get_by_label("Their total excl. VAT").fill("20.50")
    page.get_by_label("Received on").fill(timezone.now().date().isoformat())
    page.get_by_role("button", name="Record the invoice as received").click()
    expect(page.get_by_text("Matches: their invoice states the sum of its CDRs")).to_be_visible()
    steps.check("matches")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[-1].startswith("Total,,,,EUR,20.000,20.50,24.40,20.00,")
