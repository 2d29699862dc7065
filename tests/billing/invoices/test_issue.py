"""A driver's invoice: one line per CDR, VAT of the charging country, numbered when issued."""

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from billing.invoices import services
from billing.invoices.einvoice import NSMAP, cii_xml, fatal, validate_cii
from billing.invoices.models import Document
from billing.invoices.snapshot import snapshot_from_json
from tests.support.invoices import cdr_document, driver_account_for


def test_a_run_issues_the_drivers_invoice_with_a_line_per_cdr(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1", country="DEU", energy=20.0))
    store_cdr(cdr_document("CDR2", country="NLD", energy=10.0, start="2026-10-20T08:00:00Z"))

    result = services.account_bill(account=driver_account, period=services.period_parse("2026-10"))

    [invoice] = result.documents
    assert invoice.status == Document.Status.ISSUED, invoice.findings
    snapshot = snapshot_from_json(invoice.snapshot)
    assert snapshot.number.startswith("INV-")
    first, second = snapshot.lines
    assert first.cdr_id == "CDR1" and first.tax_rate == Decimal("19")
    assert second.cdr_id == "CDR2" and second.tax_rate == Decimal("21")
    # 20 kWh x 0.30 = 6.00, + 10 % + 0.50 session fee = 7.10 net
    assert first.net == Decimal("7.10")
    assert first.net + first.tax == first.gross
    assert sum(s.net for s in first.sub_lines) == first.net
    # AFIR order: per kWh first, then per minute, per session; the fee is the session part.
    assert [(s.dimension, s.unit) for s in first.sub_lines] == [("ENERGY", "KWH"), ("FLAT", "C62")]
    assert first.sub_lines[0].quantity == Decimal("20.000")
    assert first.sub_lines[1].net == Decimal("0.50")
    # Where and when, in the charging location's time zone.
    assert first.evse_id == "DE*ABC*E1"
    assert first.location_address == "Hauptstrasse 1, 10115 Berlin, DEU"
    assert first.cpo_party == "DE-ABC"
    assert first.start.isoformat() == "2026-10-14T12:00:00+02:00"
    assert first.energy_kwh == Decimal("20.000")
    assert snapshot.buyer_reference == "NL-TME-C00000001"
    assert snapshot.rules_version and snapshot.template_version


def test_a_cdr_with_signed_meter_data_carries_it_onto_its_line(driver_account, store_cdr):
    signed = {
        "encoding_method": "OCMF",
        "encoding_method_version": 1,
        "public_key": "3059301306072A8648CE3D020106082A8648CE3D030107034200",
        "signed_values": [
            {"nature": "Start", "plain_data": 'OCMF|{"RD":[{"RV":1200.5}]}', "signed_data": "A1"},
            {"nature": "End", "plain_data": 'OCMF|{"RD":[{"RV":1220.5}]}', "signed_data": "B2"},
        ],
        "url": "https://meter.example/verify",
    }
    store_cdr(cdr_document("CDR1", meter_id="MTR-0042", signed_data=signed))

    [invoice] = services.account_bill(
        account=driver_account, period=services.period_parse("2026-10")
    ).documents

    [line] = snapshot_from_json(invoice.snapshot).lines
    assert line.metering.meter_id == "MTR-0042"
    assert line.metering.start_value.endswith("1200.5}]}")
    assert line.metering.end_value.endswith("1220.5}]}")
    assert json.loads(line.metering.signed_data) == signed
    assert line.metering.encoding_method == "OCMF"


def test_issuing_reads_the_same_whatever_the_number_of_cdrs(emsp_issuer, store_cdr):
    """No statement per CDR (its VAT rate, a credit line it replaces): one per account."""
    first = driver_account_for(emsp_issuer, contract_id="NL-TME-C00000000")
    few = driver_account_for(emsp_issuer, contract_id="NL-TME-C00000001")
    many = driver_account_for(emsp_issuer, contract_id="NL-TME-C00000002")
    store_cdr(cdr_document("FIRST", contract_id="NL-TME-C00000000"))
    store_cdr(cdr_document("FEW1", contract_id="NL-TME-C00000001"))
    for day in range(10, 15):
        store_cdr(
            cdr_document(
                f"MANY{day}", contract_id="NL-TME-C00000002", start=f"2026-10-{day}T10:00:00Z"
            )
        )
    october = services.period_parse("2026-10")
    services.account_bill(account=first, period=october)  # the year's first number: its counter

    statements = []
    for account in (few, many):
        with CaptureQueriesContext(connection) as queries:
            [invoice] = services.account_bill(account=account, period=october).documents
        assert invoice.status == Document.Status.ISSUED, invoice.findings
        statements.append(len(queries))

    assert statements[0] == statements[1]


def test_the_issued_e_invoice_is_kept_with_its_number_and_checked(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1"))

    [invoice] = services.account_bill(
        account=driver_account, period=services.period_parse("2026-10")
    ).documents

    xml = invoice.einvoice_xml.encode()
    assert xml == cii_xml(snapshot_from_json(invoice.snapshot))
    assert etree.fromstring(xml).findtext("rsm:ExchangedDocument/ram:ID", namespaces=NSMAP) == (
        invoice.number
    )
    assert fatal(validate_cii(xml)) == []
