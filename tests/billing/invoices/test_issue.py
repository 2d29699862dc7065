"""A driver's invoice: one line per CDR, VAT of the charging country, numbered when issued."""

import time
from decimal import Decimal

from billing.invoices import services
from billing.invoices.models import Document
from billing.invoices.snapshot import snapshot_from_json
from tests.billing.invoices.conftest import cdr_document


def test_a_run_issues_the_drivers_invoice_with_a_line_per_cdr(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1", country="DEU", energy=20.0))
    store_cdr(cdr_document("CDR2", country="NLD", energy=10.0, start="2026-10-20T08:00:00Z"))

    started = time.perf_counter()
    result = services.account_bill(account=driver_account, period=services.period_parse("2026-10"))
    print("seconds", time.perf_counter() - started)

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
