"""Energy and revenue reports: months on the location's clock, totals equal on page, CSV and
PDF, and a fixed number of queries however many CDRs there are."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from billing.reports import BY_DRIVER, BY_LOCATION, BY_MONTH, BY_PARTNER, energy_revenue_report
from portal.staff.roles import SUPPORT
from tests.support.portal_factories import make_cdr, staff_member


@pytest.fixture
def support_client(client, db):
    client.force_login(staff_member(SUPPORT))
    return client


def test_a_session_counts_in_the_month_of_its_start_on_the_locations_clock(db):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam, still January in New York.
    late = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    make_cdr(start=late, energy="10", time_zone="Europe/Amsterdam")
    make_cdr(start=late, energy="20", time_zone="America/New_York")
    make_cdr(start=late, energy="40", verdict=None)  # never priced: the UTC month
    rows = {row.key: row.energy_kwh for row in energy_revenue_report(by=BY_MONTH).rows}
    assert rows == {"2026-01": Decimal("60"), "2026-02": Decimal("10")}


def test_reports_per_location_partner_and_driver_sum_to_the_same_totals(db, partner):
    start = datetime(2026, 3, 10, 12, tzinfo=UTC)
    make_cdr(start=start, energy="12.5", cost="6.10", location_id="LOC1")
    make_cdr(start=start, energy="7.5", cost="3.05", location_id="LOC2", contract_id="NL-X-2")
    make_cdr(start=start, energy="5", cost="-2.00", source=partner, party=("DE", "ABC"))
    totals = {
        by: [(t.currency, t.sessions, t.energy_kwh, t.revenue) for t in report.totals]
        for by in (BY_MONTH, BY_LOCATION, BY_PARTNER, BY_DRIVER)
        for report in [energy_revenue_report(by=by)]
    }
    assert all(value == totals[BY_MONTH] for value in totals.values())
    assert totals[BY_MONTH] == [("EUR", 3, Decimal("25"), Decimal("7.15"))]
    partners = {row.label: row.revenue for row in energy_revenue_report(by=BY_PARTNER).rows}
    assert partners == {"Our own parties": Decimal("9.15"), "Partner": Decimal("-2.00")}


def test_the_period_is_a_range_of_local_months(db):
    for month in (1, 2, 3):
        make_cdr(start=datetime(2026, month, 15, tzinfo=UTC))
    report = energy_revenue_report(by=BY_MONTH, month_from="2026-02", month_to="2026-03")
    assert [row.key for row in report.rows] == ["2026-02", "2026-03"]


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM: spreadsheets then read UTF-8
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_csv_has_the_pages_rows_and_totals_in_the_readers_number_format(support_client):
    make_cdr(start=datetime(2026, 4, 1, 8, tzinfo=UTC), energy="10.0005", cost="1.005")
    make_cdr(start=datetime(2026, 4, 2, 8, tzinfo=UTC), energy="2.25", cost="2.5")
    page = support_client.get("/staff/reports/?by=month").content.decode()
    assert "12.250 kWh" in page and "€3.51" in page  # 3.505 rounded half-up

    english = _csv(support_client.get("/staff/reports.csv?by=month"))
    assert english[-1] == ["Total", "EUR", "2", "12.250", "3.51"]

    german = support_client.get("/staff/reports.csv?by=month", HTTP_ACCEPT_LANGUAGE="de")
    assert german.content.decode("utf-8").splitlines()[1].count(";") == 4
    assert _csv(german)[-1][1:] == ["EUR", "2", "12,250", "3,51"]


def test_the_report_page_shows_charts_and_a_table(support_client):
    make_cdr(start=datetime(2026, 5, 1, tzinfo=UTC), energy="30")
    page = support_client.get("/staff/reports/?by=location").content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # energy and revenue
    assert "<table" in page and "LOC1" in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        "/staff/cdrs/?verdict=MATCH",
        "/staff/reports/?by=month",
        "/staff/reports/?by=location",
        "/staff/reports/?by=partner",
        "/staff/reports/?by=driver",
        "/staff/reports.csv?by=driver",
    ],
)
def test_pages_make_as_many_queries_for_many_cdrs_as_for_few(support_client, partner, url):
    def add(n: int, offset: int):
        for i in range(n):
            make_cdr(
                start=datetime.now(UTC) - timedelta(days=(i + offset) % 90),
                location_id=f"LOC{i + offset}",
                contract_id=f"NL-TME-C{i + offset:08d}-X",
                source=partner if i % 2 else None,
                party=("DE", "ABC") if i % 2 else ("NL", "TMC"),
                verdict=("MATCH", "MISMATCH", "UNPRICEABLE")[i % 3],
                our_cost="4.00",
            )

    add(3, 0)
    few = _queries(support_client, url)
    add(30, 100)
    assert _queries(support_client, url) == few


def test_a_long_report_lists_its_largest_rows_and_totals_them_all(support_client, monkeypatch):
    monkeypatch.setattr("portal.staff.views.TABLE_ROWS", 2)
    for n, energy in enumerate(("30", "20", "10")):
        make_cdr(start=datetime(2026, 6, 1, tzinfo=UTC), energy=energy, location_id=f"LOC{n}")
    response = support_client.get("/staff/reports/?by=location")
    labels = [row.label for row in response.context["rows"]]
    assert labels == ["LOC0 (NL-TMC)", "LOC1 (NL-TMC)"]
    page = response.content.decode()
    assert "LOC2" not in page.split("<table")[1]  # listed in the CSV only
    assert "60.000 kWh" in page  # the total of all three
    assert "the first 2 of 3" in page
    assert "LOC2" in support_client.get("/staff/reports.csv?by=location").content.decode()


def test_chart_labels_are_shortened_to_their_bar_and_the_tooltip_keeps_them_whole():
    from billing.charts import Bar, bar_chart_svg

    long = "Demo driver (NL-TME-C25988000-T)"
    svg = bar_chart_svg([Bar(long, Decimal(5)) for _ in range(8)], title="Energy", unit="kWh")
    labels = re.findall(r'text-anchor="middle" fill="#555555">([^<]*)<', svg)
    assert len(labels) == 8
    assert all(
        label.endswith("\N{HORIZONTAL ELLIPSIS}") and len(label) < len(long) for label in labels
    )
    assert svg.count(f"<title>{long}: 5 kWh</title>") == 8


def test_a_seeded_months_totals_are_the_same_on_the_page_in_the_csv_and_in_the_pdf(
    support_client,
):
    make_cdr(start=datetime(2026, 6, 3, 9, tzinfo=UTC), energy="21.4005", cost="7.125")
    make_cdr(start=datetime(2026, 6, 20, 18, tzinfo=UTC), energy="3.6", cost="1.1")
    query = "?by=month&month_from=2026-06&month_to=2026-06"

    page = support_client.get(f"/staff/reports/{query}").content.decode()
    table = _csv(support_client.get(f"/staff/reports.csv{query}"))
    pdf = support_client.get(f"/staff/reports.pdf{query}")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)

    assert pdf["Content-Type"] == "application/pdf"
    assert table[-1] == ["Total", "EUR", "2", "25.000", "8.23"]  # money: 8.225 rounded half-up
    for shown in ("25.000 kWh", "€8.23"):
        assert shown in page and shown in text
