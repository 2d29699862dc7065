"""Settlement statements: what an eMSP owes our CPO for exactly the CDRs stamped with the
statement's reference, and what our eMSP owes a CPO with disputed CDRs set apart."""

import csv
import io
from decimal import Decimal

import pytest

from billing.invoices import annex, services
from billing.invoices.models import BillingAccount, Document
from billing.invoices.snapshot import DocumentKind, TaxCategory, snapshot_from_json
from ocpi.modules.cdrs.services import cdr_create_own
from tests.billing.invoices.conftest import cdr_document

OCTOBER = services.period_parse("2026-10")


def partner_account(issuer, partner, party, **fields) -> BillingAccount:
    defaults = {
        "name": "ABC Mobility GmbH",
        "street": "Unter den Linden 1",
        "postcode": "10117",
        "city": "Berlin",
        "country": "DE",
        "vat_id": "DE123456789",
        "email": "finance@abc.example",
    }
    return BillingAccount.objects.create(
        kind=BillingAccount.Kind.PARTNER,
        issuer=issuer,
        connection=partner,
        country_code=party[0],
        party_id=party[1],
        **{**defaults, **fields},
    )


@pytest.fixture
def own_cdr(own_parties, django_capture_on_commit_callbacks):
    """Store a CDR of our CPO (NL-TMC) stamped as the charge point back end stamps it."""

    def create(cdr_id, *, emsp=("DE", "ABE"), start="2026-10-14T10:00:00Z"):
        document = cdr_document(cdr_id, party=("NL", "TMC"), emsp=emsp, start=start)
        document["invoice_reference_id"] = services.cdr_statement_reference(
            cpo="NL-TMC", document=document, time_zone="Europe/Amsterdam"
        )
        with django_capture_on_commit_callbacks(execute=True):
            cdr_create_own(party=own_parties["CPO"], document=document)
        return document

    return create


def test_the_reference_names_cpo_emsp_and_the_local_month_the_session_ended(own_cdr):
    # Ends 31 October 23:30 UTC: 1 November in Amsterdam.
    late = own_cdr("LATE", start="2026-10-31T22:00:00Z")
    assert late["invoice_reference_id"] == "NL-TMC-DE-ABE-2026-11"
    assert len(late["invoice_reference_id"]) <= 39


def test_our_cpo_statement_lists_exactly_the_cdrs_stamped_with_its_reference(
    cpo_issuer, partner, own_cdr
):
    account = partner_account(cpo_issuer, partner, ("DE", "ABE"))
    own_cdr("OCT1")
    own_cdr("OCT2", start="2026-10-20T10:00:00Z")
    own_cdr("NOV1", start="2026-11-02T10:00:00Z")
    own_cdr("OTHER", emsp=("FR", "XYZ"))

    result = services.statements_create(
        account=account, period="2026-10", period_start=OCTOBER.start, period_end=OCTOBER.end
    )

    [statement] = result.documents
    assert statement.kind == DocumentKind.STATEMENT
    assert statement.status == Document.Status.ISSUED, statement.findings
    assert statement.statement_reference == "NL-TMC-DE-ABE-2026-10"
    snapshot = snapshot_from_json(statement.snapshot)
    assert [line.cdr_id for line in snapshot.lines] == ["OCT1", "OCT2"]
    rows = list(csv.DictReader(io.StringIO(annex.document_csv(statement).lstrip("\ufeff"))))
    assert [row["cdr_id"] for row in rows] == ["OCT1", "OCT2"]
    # An eMSP in Germany with a VAT id: reverse charge from our CPO in the Netherlands.
    assert {line.tax_category for line in snapshot.lines} == {TaxCategory.REVERSE_CHARGE}
    assert snapshot.total_net == Decimal("12.00") == snapshot.total_gross

    # Billed once: the next run for the month finds nothing left.
    again = services.statements_create(
        account=account, period="2026-10", period_start=OCTOBER.start, period_end=OCTOBER.end
    )
    assert again.documents == []


def test_our_emsp_statement_pays_the_undisputed_and_lists_the_disputed(
    emsp_issuer, partner, store_cdr
):
    account = partner_account(emsp_issuer, partner, ("DE", "ABC"))
    store_cdr(cdr_document("AGREED"))  # 20 kWh x 0.30 = 6.00, as the CPO says
    overcharged = cdr_document("OVER", start="2026-10-15T10:00:00Z")
    overcharged["total_cost"] = {"excl_vat": 7.5, "incl_vat": 7.5}
    store_cdr(overcharged)

    result = services.statements_create(
        account=account, period="2026-10", period_start=OCTOBER.start, period_end=OCTOBER.end
    )

    [statement] = result.documents
    assert statement.kind == DocumentKind.SELF_BILLED
    assert statement.status == Document.Status.ISSUED, statement.findings
    snapshot = snapshot_from_json(statement.snapshot)
    assert snapshot.seller.ocpi_party == "DE-ABC" and snapshot.buyer.ocpi_party == "NL-TME"
    assert [line.cdr_id for line in snapshot.lines] == ["AGREED"]
    assert snapshot.total_net == Decimal("6.00")
    # A German CPO supplying our eMSP in the Netherlands: reverse charge.
    assert snapshot.lines[0].tax_category == TaxCategory.REVERSE_CHARGE
    assert statement.disputed == [
        {"cdr_id": "OVER", "claimed": "7.50", "ours": "6.00", "difference": "1.50"}
    ]
    assert any("OVER" in note and "1.50" in note for note in snapshot.notes)
    assert result.held_back == []  # the disputed CDR is on the statement, as disputed
    disputed_rows = [
        row
        for row in csv.DictReader(io.StringIO(annex.document_csv(statement).lstrip("\ufeff")))
        if row["status"] == "disputed"
    ]
    assert [(row["cdr_id"], row["difference"]) for row in disputed_rows] == [("OVER", "1.50")]


def test_a_credit_cdr_after_the_statement_is_credited_against_it(emsp_issuer, partner, store_cdr):
    account = partner_account(emsp_issuer, partner, ("DE", "ABC"))
    store_cdr(cdr_document("AGREED"))
    [statement] = services.statements_create(
        account=account, period="2026-10", period_start=OCTOBER.start, period_end=OCTOBER.end
    ).documents
    store_cdr(
        cdr_document(
            "AGREED-CREDIT",
            credit=True,
            credit_reference_id="AGREED",
            total_cost={"excl_vat": -6.0, "incl_vat": -6.0},
            start="2026-11-03T10:00:00Z",
        )
    )

    november = services.period_parse("2026-11")
    [note] = services.statements_create(
        account=account, period="2026-11", period_start=november.start, period_end=november.end
    ).documents

    assert note.kind == DocumentKind.CREDIT_NOTE and note.corrects == statement
    assert note.total_net == statement.total_net == Decimal("6.00")
    assert snapshot_from_json(note.snapshot).seller.ocpi_party == "DE-ABC"  # still the CPO
