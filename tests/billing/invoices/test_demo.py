"""`manage.py demo` then `manage.py invoice_run --period …`: the demo driver's invoices."""

import json
from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.core.management import call_command

from billing.invoices.models import Document
from billing.invoices.snapshot import DocumentKind, snapshot_from_json
from ocpi.modules.cdrs.models import Cdr

# The demo charges over the months before "today"; this today makes them October to January.
TODAY = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
DEMO = ("demo", "--locations", "25", "--tokens", "8", "--sessions", "12")


def test_the_demo_driver_gets_an_invoice_for_each_month_it_charged(
    db, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(TODAY, tick=False),
        django_capture_on_commit_callbacks(execute=True),  # CDRs are priced on commit
    ):
        call_command(*DEMO, stdout=StringIO())
    # Charged at our CPO and roaming at Rhein Charge; its credit CDR is credited, not invoiced.
    driver_cdrs = set(
        Cdr.objects.filter(
            driver_price__contract__user__username="driver", credit=False
        ).values_list("ocpi_id", flat=True)
    )
    assert driver_cdrs

    summaries = []
    for period in ("2025-10", "2025-11", "2025-12", "2026-01"):
        out = StringIO()
        call_command("invoice_run", "--period", period, stdout=out)
        summaries.append(json.loads(out.getvalue()))

    assert all(summary["failed"] == 0 for summary in summaries), summaries
    invoices = Document.objects.filter(kind=DocumentKind.INVOICE)
    assert invoices and all(invoice.status == Document.Status.ISSUED for invoice in invoices)
    snapshots = [snapshot_from_json(invoice.snapshot) for invoice in invoices]
    invoiced = [line.cdr_id for snapshot in snapshots for line in snapshot.lines]
    assert sorted(invoiced) == sorted(driver_cdrs)  # each of the driver's CDRs, once
    for snapshot in snapshots:
        assert snapshot.buyer.name == "Demo Driver" and snapshot.seller.ocpi_party == "NL-TME"
        # VAT of the country the car charged in: the Netherlands at our CPO, Germany roaming.
        rates = {line.charging_country: line.tax_rate for line in snapshot.lines}
        assert set(rates.items()) <= {("NL", 21), ("DE", 19)}, rates

    # Loading the demo again changes nothing, so running a month again bills nothing.
    count = Document.objects.count()
    with time_machine.travel(TODAY, tick=False):
        call_command(*DEMO, stdout=StringIO())
    call_command("invoice_run", "--period", "2026-01", stdout=StringIO())
    assert Document.objects.count() == count
