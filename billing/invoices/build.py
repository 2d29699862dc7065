"""A document's snapshot: its lines with the issuer's and the recipient's details of today.

Built when the document is issued (and once before, to check the e-invoice), then stored and
never built again: later changes to an address or a footer do not reach an issued document.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from billing.invoices.models import BillingAccount, Document, Issuer
from billing.invoices.snapshot import (
    DocumentKind,
    DocumentSnapshot,
    Party,
    PaymentDetails,
    Reference,
    TaxCategory,
    TaxSummary,
    line_from_json,
)
from billing.invoices.snapshot import Line as SnapshotLine
from billing.invoices.vat import REVERSE_CHARGE_NOTE

# The layout version the documents are issued with; the renderer picks its template by it.
TEMPLATE_VERSION = "1"
ZERO = Decimal(0)


def is_self_billed(document: Document) -> bool:
    """Written by us as the buyer (a self-billed statement, or a credit note correcting one):
    the partner is the seller."""
    corrected = document.corrects
    return DocumentKind.SELF_BILLED in (document.kind, corrected.kind if corrected else None)


def issuer_party(issuer: Issuer) -> Party:
    return Party(
        name=issuer.name,
        street=issuer.street,
        postcode=issuer.postcode,
        city=issuer.city,
        country=issuer.country,
        vat_id=issuer.vat_id,
        registration=issuer.registration,
        email=issuer.email,
        ocpi_party=issuer.own_party.code,
    )


def account_party(account: BillingAccount) -> Party:
    return Party(
        name=account.name,
        street=account.street,
        postcode=account.postcode,
        city=account.city,
        country=account.country,
        vat_id=account.vat_id,
        email=account.email,
        ocpi_party=account.party_code,
    )


def snapshot_lines(document: Document) -> tuple[SnapshotLine, ...]:
    """The document's lines as snapshot lines (each row keeps its Line as JSON)."""
    return tuple(line_from_json(line.content) for line in document.lines.order_by("position"))


def tax_summary(lines: tuple[SnapshotLine, ...]) -> tuple[TaxSummary, ...]:
    """One row per VAT category and rate: the sums of the lines' net and tax."""
    rows: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        key = (line.tax_category, line.tax_rate, line.exemption_reason, line.exemption_code)
        rows[key][0] += line.net
        rows[key][1] += line.tax
    return tuple(
        TaxSummary(category, rate, taxable, tax, reason, code)
        for (category, rate, reason, code), (taxable, tax) in sorted(
            rows.items(), key=lambda item: (item[0][0], -item[0][1])
        )
    )


def _notes(document: Document, lines) -> tuple[str, ...]:
    notes = []
    if document.kind == DocumentKind.CREDIT_NOTE and document.corrects is not None:
        original = document.corrects
        notes.append(f"Credit note for {original.number} of {original.issue_date.isoformat()}")
    if is_self_billed(document):
        notes.append("Self-billed: issued by the buyer on behalf of the seller")
    if document.statement_reference:
        notes.append(
            f"Statement reference (CDR invoice_reference_id): {document.statement_reference}"
        )
    if any(line.tax_category == TaxCategory.REVERSE_CHARGE for line in lines):
        notes.append(REVERSE_CHARGE_NOTE)
    for disputed in document.disputed:
        notes.append(
            f"Disputed, not included: CDR {disputed['cdr_id']}, claimed {disputed['claimed']}, "
            f"our price {disputed['ours']}, difference {disputed['difference']} "
            f"{document.currency}"
        )
    return tuple(notes)


def _payment(document: Document, issue_date: date) -> PaymentDetails:
    issuer, account = document.issuer, document.account
    if is_self_billed(document):
        return PaymentDetails(terms="Paid by the buyer by bank transfer")
    if document.kind == DocumentKind.CREDIT_NOTE:
        return PaymentDetails(
            iban=issuer.iban, bic=issuer.bic, terms="The amount is refunded or set off"
        )
    days = account.payment_terms_days or issuer.payment_terms_days
    return PaymentDetails(
        iban=issuer.iban,
        bic=issuer.bic,
        terms=f"Payable within {days} days",
        due_date=issue_date + timedelta(days=days),
    )


def document_snapshot(document: Document, *, number: str, issue_date: date) -> DocumentSnapshot:
    from billing.invoices.lines import RULES_VERSION

    lines = snapshot_lines(document)
    seller, buyer = issuer_party(document.issuer), account_party(document.account)
    if is_self_billed(document):
        seller, buyer = buyer, seller
    references = ()
    if document.corrects is not None:
        references = (Reference(document.corrects.number, document.corrects.issue_date),)
    buyer_reference = ""
    if document.account.contract_id:
        buyer_reference = document.account.contract.contract_id
    elif document.statement_reference:
        buyer_reference = document.statement_reference
    return DocumentSnapshot(
        kind=document.kind,
        number=number,
        issue_date=issue_date,
        period_start=document.period_start,
        period_end=document.period_end,
        currency=document.currency,
        language=document.account.language,
        seller=seller,
        buyer=buyer,
        lines=lines,
        tax_summary=tax_summary(lines),
        total_net=sum((line.net for line in lines), ZERO),
        total_tax=sum((line.tax for line in lines), ZERO),
        total_gross=sum((line.gross for line in lines), ZERO),
        payment=_payment(document, issue_date),
        references=references,
        notes=_notes(document, lines),
        footer=document.issuer.footer,
        buyer_reference=buyer_reference,
        rules_version=RULES_VERSION,
        template_version=TEMPLATE_VERSION,
    )
