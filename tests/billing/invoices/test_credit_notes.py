"""Credit notes: staff cancelling an invoice, a re-price, a credit CDR from the CPO. For every
CDR, what was invoiced minus what was credited is what the driver owes now."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing import services as pricing
from billing.invoices import selectors, services
from billing.invoices.models import Document, DocumentLine
from billing.invoices.snapshot import DocumentKind, snapshot_from_json
from billing.models import DriverPrice
from billing.money import round_minor
from ocpi.modules.cdrs.models import Cdr
from tests.billing.invoices.conftest import cdr_document

OCTOBER = services.period_parse("2026-10")
NOVEMBER = services.period_parse("2026-11")


def bill(account, period=OCTOBER) -> list[Document]:
    return services.account_bill(account=account, period=period).documents


def reprice(account, cdr, *, markup: str) -> Decimal:
    contract = account.contract
    contract.markup_percent = Decimal(markup)
    contract.save()
    pricing.cdr_price(cdr_id=cdr.pk)
    return DriverPrice.objects.get(cdr=cdr).excl_vat


def test_staff_cancel_an_invoice_with_a_credit_note_that_names_it(driver_account, store_cdr):
    store_cdr(cdr_document("CDR1"))
    store_cdr(cdr_document("CDR2", start="2026-10-20T10:00:00Z"))
    [invoice] = bill(driver_account)

    note = services.invoice_cancel(document_id=invoice.pk, reason="Cancelled on request")

    assert note.kind == DocumentKind.CREDIT_NOTE and note.status == Document.Status.ISSUED
    credit = snapshot_from_json(note.snapshot)
    original = snapshot_from_json(invoice.snapshot)
    assert [(r.number, r.issue_date) for r in credit.references] == [
        (invoice.number, invoice.issue_date)
    ]
    assert (credit.total_net, credit.total_tax, credit.total_gross) == (
        original.total_net,
        original.total_tax,
        original.total_gross,
    )
    assert [line.cdr_id for line in credit.lines] == ["CDR1", "CDR2"]
    with pytest.raises(services.DocumentNotIssuable):
        services.invoice_cancel(document_id=invoice.pk)

    # The cancelled CDRs are billed anew by the next run, once.
    [again] = bill(driver_account, NOVEMBER)
    assert [line.cdr_id for line in snapshot_from_json(again.snapshot).lines] == ["CDR1", "CDR2"]
    assert bill(driver_account, NOVEMBER) == []


def test_a_lower_price_is_credited_by_the_difference(driver_account, store_cdr):
    cdr = store_cdr(cdr_document("CDR1"))  # 6.00 + 10 % + 0.50 = 7.10
    [invoice] = bill(driver_account)

    assert reprice(driver_account, cdr, markup="0") == Decimal("6.50")
    [note] = bill(driver_account, NOVEMBER)

    assert note.kind == DocumentKind.CREDIT_NOTE
    assert note.corrects == invoice
    [line] = snapshot_from_json(note.snapshot).lines
    assert (line.net, line.tax) == (Decimal("0.60"), Decimal("0.11"))  # 1.35 - 1.24 VAT
    assert selectors.cdr_billed_balance(cdr=cdr) == Decimal("6.50")


def test_a_higher_price_cancels_the_line_and_bills_it_again(driver_account, store_cdr):
    cdr = store_cdr(cdr_document("CDR1"))
    bill(driver_account)

    assert reprice(driver_account, cdr, markup="50") == Decimal("9.50")
    note, invoice = bill(driver_account, NOVEMBER)

    assert (note.kind, invoice.kind) == (DocumentKind.CREDIT_NOTE, DocumentKind.INVOICE)
    assert snapshot_from_json(invoice.snapshot).lines[0].net == Decimal("9.50")
    assert selectors.cdr_billed_balance(cdr=cdr) == Decimal("9.50")


def test_a_credit_cdr_from_the_cpo_credits_the_driver(driver_account, store_cdr):
    cdr = store_cdr(cdr_document("CDR1"))
    [invoice] = bill(driver_account)
    store_cdr(
        cdr_document(
            "CDR1-CREDIT",
            credit=True,
            credit_reference_id="CDR1",
            total_cost={"excl_vat": -6.0, "incl_vat": -6.0},
        )
    )

    [note] = bill(driver_account, NOVEMBER)

    assert note.corrects == invoice
    assert note.total_gross == invoice.total_gross
    assert selectors.cdr_billed_balance(cdr=cdr) == 0


def test_a_cdr_is_billed_once_even_when_a_second_line_is_forced(driver_account, store_cdr):
    cdr = store_cdr(cdr_document("CDR1"))
    [invoice] = bill(driver_account)
    assert bill(driver_account, NOVEMBER) == []

    line = invoice.lines.get()
    draft = services.document_draft_create(
        kind=DocumentKind.INVOICE,
        account=driver_account,
        currency="EUR",
        period_start=OCTOBER.start,
        period_end=OCTOBER.end,
        draft_lines=[],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentLine.objects.create(
            document=draft,
            position=1,
            ledger=DocumentLine.Ledger.DRIVER,
            cdr=cdr,
            net=line.net,
            tax=line.tax,
            gross=line.gross,
            tax_rate=line.tax_rate,
            tax_category=line.tax_category,
            content=line.content,
        )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    markups=st.lists(st.sampled_from(["0", "5", "10", "33", "100", "250"]), max_size=4),
    credit_cdr=st.booleans(),
)
def test_invoiced_minus_credited_is_the_current_driver_price(
    driver_account, store_cdr, markups, credit_cdr
):
    """Whatever sequence of re-prices, and a credit CDR from the CPO at the end or not, each
    run leaves the CDR billed at exactly what the driver owes now, excl. and incl. VAT."""
    contract = driver_account.contract
    contract.markup_percent = Decimal(10)
    contract.save()
    cdr_id = f"C{Document.objects.count()}-{len(markups)}-{'-'.join(markups)}"[:30]
    cdr = store_cdr(cdr_document(cdr_id))
    periods = iter(services.period_parse(f"2027-{month:02d}") for month in range(1, 13))
    bill(driver_account)

    def owed() -> Decimal:
        return services.driver_price_targets(
            [Cdr.objects.select_related("driver_price").get(pk=cdr.pk)]
        )[cdr.pk]

    def assert_billed_as_owed():
        rows = DocumentLine.objects.filter(cdr=cdr, document__status=Document.Status.ISSUED)
        invoiced, credited = rows.filter(credit=False), rows.filter(credit=True)
        price = owed()
        assert sum(r.net for r in invoiced) - sum(r.net for r in credited) == price
        rate = rows.first().tax_rate
        expected_tax = round_minor(price * rate / 100, "EUR")
        assert sum(r.tax for r in invoiced) - sum(r.tax for r in credited) == expected_tax

    assert_billed_as_owed()
    for markup in markups:
        reprice(driver_account, cdr, markup=markup)
        bill(driver_account, next(periods))
        assert_billed_as_owed()
    if credit_cdr:
        store_cdr(
            cdr_document(
                f"{cdr_id}-CR",
                credit=True,
                credit_reference_id=cdr_id,
                total_cost={"excl_vat": -6.0, "incl_vat": -6.0},
            )
        )
        bill(driver_account, next(periods))
        assert owed() == 0
        assert_billed_as_owed()
