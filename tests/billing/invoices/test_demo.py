"""`manage.py demo` then `manage.py invoice_run --period 2026-01`: the demo driver's invoice."""

import json
from io import StringIO

from django.core.management import call_command

from billing.invoices.models import Document
from billing.invoices.snapshot import DocumentKind, snapshot_from_json


def test_the_demo_driver_gets_an_invoice_for_january(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # CDRs are priced on commit
        call_command(
            "demo", "--locations", "25", "--tokens", "8", "--sessions", "6", stdout=StringIO()
        )
    out = StringIO()
    call_command("invoice_run", "--period", "2026-01", stdout=out)

    summary = json.loads(out.getvalue())
    assert summary["failed"] == 0, summary["errors"]
    [invoice] = Document.objects.filter(kind=DocumentKind.INVOICE)
    assert invoice.status == Document.Status.ISSUED
    snapshot = snapshot_from_json(invoice.snapshot)
    assert [line.cdr_id for line in snapshot.lines] == ["DEMO-SESSION-0001", "DEMO-SESSION-0004"]
    assert snapshot.buyer.name == "Demo Driver" and snapshot.seller.ocpi_party == "NL-TME"
    assert all(line.tax_rate == 21 for line in snapshot.lines)

    # Loading the demo again changes nothing, so the next run has nothing to bill.
    call_command("demo", "--locations", "25", "--tokens", "8", "--sessions", "6", stdout=StringIO())
    call_command("invoice_run", "--period", "2026-02", stdout=StringIO())
    assert Document.objects.count() == 1
