"""Reads for billing documents: what is billed, what is left to bill, and who may see what."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from billing.invoices.models import BillingAccount, Document, DocumentLine, InvoiceRunItem, Issuer
from billing.models import DriverContract
from ocpi.modules.cdrs.models import Cdr

ZERO = Decimal(0)


def _billed(ledger: str):
    """A non-credit line bills the CDR, unless a credit note cancelled it in full."""
    return Exists(
        DocumentLine.objects.filter(cdr=OuterRef("pk"), ledger=ledger, credit=False).exclude(
            Exists(DocumentLine.objects.filter(credits_line=OuterRef("pk"), full_credit=True))
        )
    )


def _with_remaining(rows: list[DocumentLine]) -> list[DocumentLine]:
    """Each line with what it still bills (`remaining_net`, `remaining_tax`) after the credit
    lines against it, and whether one of them cancelled it (`fully_credited`)."""
    credited: dict[int, list] = defaultdict(lambda: [ZERO, ZERO, False])
    credits = DocumentLine.objects.filter(credits_line__in=[row.pk for row in rows]).values_list(
        "credits_line_id", "net", "tax", "full_credit"
    )
    for line_id, net, tax, full in credits:
        credited[line_id][0] += net
        credited[line_id][1] += tax
        credited[line_id][2] |= full
    for row in rows:
        net, tax, full = credited[row.pk]
        row.remaining_net, row.remaining_tax, row.fully_credited = (
            row.net - net,
            row.tax - tax,
            full,
        )
    return rows


def lines_with_remaining(*, document: Document) -> list[DocumentLine]:
    return _with_remaining(list(document.lines.filter(credit=False).order_by("position")))


def active_lines(*, account: BillingAccount, ledger: str) -> list[DocumentLine]:
    """The issued lines that bill the account's CDRs now (not cancelled in full)."""
    rows = (
        DocumentLine.objects.filter(
            document__account=account,
            document__status=Document.Status.ISSUED,
            ledger=ledger,
            credit=False,
            cdr__isnull=False,
        )
        .exclude(Exists(DocumentLine.objects.filter(credits_line=OuterRef("pk"), full_credit=True)))
        .select_related("document", "cdr__driver_price", "cdr__priced")
        .order_by("document_id", "position")
    )
    return _with_remaining(list(rows))


def driver_cdrs_to_bill(*, contract: DriverContract, before: datetime) -> QuerySet[Cdr]:
    """The contract's CDRs (not credit CDRs) that ended before `before` and are not billed."""
    return (
        Cdr.objects.filter(contract_id=contract.contract_id, credit=False, end_date_time__lt=before)
        .exclude(_billed(DocumentLine.Ledger.DRIVER))
        .select_related("driver_price", "priced")
        .order_by("start_date_time", "pk")
    )


def credit_cdr_amounts(*, cdrs: list[Cdr], amount: str) -> dict[tuple[str, str, str], Decimal]:
    """Per CDR (country code, party id, id): the sum of `amount` (a column path, e.g.
    "driver_price__excl_vat") over the credit CDRs that credit it (negative amounts)."""
    if not cdrs:
        return {}
    rows = (
        Cdr.objects.filter(
            credit=True,
            country_code__in={cdr.country_code for cdr in cdrs},
            party_id__in={cdr.party_id for cdr in cdrs},
            credit_reference_id__in={cdr.ocpi_id for cdr in cdrs},
            **{f"{amount}__isnull": False},
        )
        .values_list("country_code", "party_id", "credit_reference_id")
        .annotate(total=Sum(amount))
    )
    return {(cc, pid, credited): total for cc, pid, credited, total in rows}


def unreplaced_full_credit_ids(*, cdrs: list[Cdr], ledger: str) -> dict[int, int]:
    """Per CDR id: the credit line that cancelled the CDR's last line in full and is not billed
    again yet (CDRs without one are left out)."""
    rows = (
        DocumentLine.objects.filter(
            cdr__in=[cdr.pk for cdr in cdrs], ledger=ledger, credit=True, full_credit=True
        )
        .filter(replaced_by__isnull=True)
        .order_by("pk")
        .values_list("cdr_id", "pk")
    )
    return dict(rows)  # in pk order: the last, newest, line of a CDR wins


def own_cdrs_for_statement(*, issuer: Issuer, reference: str) -> QuerySet[Cdr]:
    """Our CPO's CDRs stamped with a statement's reference, not on a statement yet."""
    party = issuer.own_party
    return (
        Cdr.objects.filter(
            source=None,
            country_code=party.country_code,
            party_id=party.party_id,
            credit=False,
            document__invoice_reference_id=reference,
        )
        .exclude(_billed(DocumentLine.Ledger.PARTNER))
        .select_related("priced")
        .order_by("start_date_time", "pk")
    )


def partner_cdrs_to_settle(*, account: BillingAccount, before: datetime) -> QuerySet[Cdr]:
    """A partner CPO's CDRs that ended before `before` and are on no statement yet."""
    return (
        Cdr.objects.filter(
            source=account.connection_id,
            country_code=account.country_code,
            party_id=account.party_id,
            credit=False,
            end_date_time__lt=before,
        )
        .exclude(_billed(DocumentLine.Ledger.PARTNER))
        .select_related("priced")
        .order_by("start_date_time", "pk")
    )


def accounts_due(*, frequency: str, account_id: int | None = None) -> QuerySet[BillingAccount]:
    """Active accounts billed at this frequency (partner statements are monthly); or the one
    asked for."""
    if account_id is not None:
        return BillingAccount.objects.filter(pk=account_id)
    accounts = BillingAccount.objects.filter(active=True, frequency=frequency)
    if frequency != BillingAccount.Frequency.MONTHLY:
        accounts = accounts.filter(kind=BillingAccount.Kind.DRIVER)
    return accounts.order_by("pk")


def cdr_billed_balance(*, cdr: Cdr, ledger: str = DocumentLine.Ledger.DRIVER) -> Decimal:
    """What issued documents bill for a CDR: invoiced minus credited, excl. VAT."""
    rows = DocumentLine.objects.filter(
        cdr=cdr, ledger=ledger, document__status=Document.Status.ISSUED
    )
    invoiced = rows.filter(credit=False).aggregate(total=Sum("net"))["total"] or ZERO
    credited = rows.filter(credit=True).aggregate(total=Sum("net"))["total"] or ZERO
    return invoiced - credited


def driver_documents(*, user) -> QuerySet[Document]:
    """The issued invoices and credit notes of the user's driver contracts, newest first."""
    return (
        Document.objects.filter(account__contract__user=user, status=Document.Status.ISSUED)
        .select_related("file", "corrects")
        .order_by("-issue_date", "-pk")
    )


def driver_document_get(*, user, document_id: int) -> Document:
    """One of the user's issued documents; Document.DoesNotExist for anyone else's."""
    return driver_documents(user=user).get(pk=document_id)


def invoice_run_summary(*, run) -> dict:
    """A run's progress: accounts done, failed and pending, documents issued, CDRs held back."""
    items = list(run.items.values("status", "documents_issued", "held_back", "error"))
    by_status = {status: 0 for status in InvoiceRunItem.Status.values}
    for item in items:
        by_status[item["status"]] += 1
    return {
        "run": run.pk,
        "period": run.period,
        "status": run.status,
        "accounts": len(items),
        "done": by_status[InvoiceRunItem.Status.DONE],
        "failed": by_status[InvoiceRunItem.Status.FAILED],
        "pending": by_status[InvoiceRunItem.Status.PENDING],
        "documents_issued": sum(item["documents_issued"] for item in items),
        "held_back": [cdr for item in items for cdr in item["held_back"]],
        "errors": [item["error"] for item in items if item["error"]],
    }


def invoice_run_counts(*, run) -> dict:
    """A run's accounts done, failed and pending, and documents issued: one query, for a
    progress bar (invoice_run_summary also lists every CDR held back)."""
    status = InvoiceRunItem.Status
    return run.items.aggregate(
        done=Count("pk", filter=Q(status=status.DONE)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        pending=Count("pk", filter=Q(status=status.PENDING)),
        documents_issued=Coalesce(Sum("documents_issued"), 0),
    )


def documents_undelivered(*, issued_before: datetime) -> QuerySet[Document]:
    """Issued documents whose PDF is missing or whose e-mail was not sent, issued before
    `issued_before` (their own task may still be at it): what a crash or an outage left."""
    return (
        Document.objects.filter(status=Document.Status.ISSUED, issued_at__lt=issued_before)
        .filter(Q(file__isnull=True) | (Q(file__emailed_at__isnull=True) & ~Q(account__email="")))
        .order_by("pk")
    )


def driver_issuer(*, contract_id: str) -> Issuer | None:
    """The issuer of a driver's invoices: our eMSP party named by the contract id (an eMAID,
    "NL-TME-C12345678-X"), else our first eMSP party with an issuer; None if there is none."""
    issuers = Issuer.objects.filter(own_party__role="EMSP").order_by("pk")
    country, _dash, rest = contract_id.upper().replace("*", "-").partition("-")
    named = issuers.filter(own_party__country_code=country, own_party__party_id=rest[:3]).first()
    return named or issuers.first()
