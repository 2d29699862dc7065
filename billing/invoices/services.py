"""Writing billing documents: drafts, issuing (numbers), credit notes, statements and runs.

Issuing a document checks its e-invoice first: one fatal finding keeps it a draft, with the
rule ids stored for staff. Otherwise its number is taken from the counter row of its series
(issuer, kind, year), locked with SELECT ... FOR UPDATE inside the issuing transaction: numbers
are unique and without gaps, because a transaction that fails gives its number back.
Rendering the PDF and e-mailing it happen after the commit, in a task.
"""

import logging
import multiprocessing
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import monotonic
from zoneinfo import ZoneInfo

from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from billing.invoices import build, einvoice, lines, selectors, vat
from billing.invoices.models import (
    BillingAccount,
    Document,
    DocumentLine,
    InvoiceRun,
    InvoiceRunItem,
    Issuer,
    NumberCounter,
)
from billing.invoices.snapshot import (
    DocumentKind,
    Line,
    line_from_json,
    snapshot_to_json,
)
from billing.models import DriverContract
from billing.money import round_minor, round_ocpi
from billing.pricing import DEFAULT_OPTIONS, compile_tariff, price_cdr
from billing.pricing.values import parse_datetime
from ocpi.modules.cdrs.models import Cdr

logger = logging.getLogger(__name__)
ZERO = Decimal(0)
HUNDRED = Decimal(100)
DRAFT_NUMBER = "DRAFT"


class DocumentNotIssuable(Exception):
    """A document that cannot be issued (nothing on it, or already corrected in full)."""


# -- issuing ---------------------------------------------------------------------------------


def issue_day(issuer: Issuer) -> date:
    """Today where the issuer is: a document issued at 00:30 in Amsterdam has that date."""
    return timezone.now().astimezone(ZoneInfo(issuer.time_zone)).date()


def einvoice_findings(xml: bytes) -> list[einvoice.Finding]:
    """The fatal findings of the EN 16931 check of a document's e-invoice (CII XML)."""
    return einvoice.fatal(einvoice.validate_cii(xml))


def _number_take(*, issuer: Issuer, kind: str, year: int) -> str:
    """The next number of the series, under the counter row's lock until the commit."""
    series = NumberCounter.objects.select_for_update().filter(issuer=issuer, series=kind, year=year)
    counter = series.first()
    if counter is None:  # the series' first number
        NumberCounter.objects.get_or_create(issuer=issuer, series=kind, year=year)
        counter = series.get()
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return issuer.number_format(kind).format(year=year, number=counter.last_number)


@transaction.atomic
def document_issue(*, document_id: int) -> Document:
    """Issue a draft: checked, numbered, frozen; the PDF and e-mail follow after the commit.

    Returns the document: issued, or still a draft whose `findings` say why.
    """
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("issuer__own_party", "account__contract", "corrects")
        .get(pk=document_id)
    )
    if document.status == Document.Status.ISSUED:
        return document
    issue_date = issue_day(document.issuer)
    snapshot = build.document_snapshot(document, number=DRAFT_NUMBER, issue_date=issue_date)
    if not snapshot.lines:
        raise DocumentNotIssuable(f"{document} has no lines")
    # Checked and encoded before the number is taken: the counter stays locked, until the
    # commit, only for what needs the number.
    stored = snapshot_to_json(snapshot)
    xml_tree = einvoice.cii_tree(snapshot)
    fatal = einvoice_findings(einvoice.cii_bytes(xml_tree))
    if fatal:
        document.findings = [
            {"rule_id": f.rule_id, "message": f.message, "location": f.location} for f in fatal
        ]
        document.save(update_fields=["findings"])
        logger.warning("%s stays a draft: %s", document, [f.rule_id for f in fatal])
        return document
    number = _number_take(issuer=document.issuer, kind=document.kind, year=issue_date.year)
    stored["number"] = number
    einvoice.cii_number_set(xml_tree, number)
    document.einvoice_xml = einvoice.cii_bytes(xml_tree).decode()
    document.status = Document.Status.ISSUED
    document.number = number
    document.issue_date = issue_date
    document.snapshot = stored
    document.total_net = snapshot.total_net
    document.total_tax = snapshot.total_tax
    document.total_gross = snapshot.total_gross
    document.findings = []
    document.issued_at = timezone.now()
    document.save()
    from billing.invoices.tasks import document_deliver_task

    document_deliver_task.delay_on_commit(document.pk)
    return document


# -- drafts ----------------------------------------------------------------------------------


@dataclass
class DraftLine:
    """A line to put on a draft: its snapshot Line and what the database row keeps."""

    line: Line
    ledger: str
    cdr_id: int | None
    credit: bool = False
    credits_line_id: int | None = None
    full_credit: bool = False
    replaces_id: int | None = None


def document_draft_create(
    *,
    kind: str,
    account: BillingAccount,
    currency: str,
    period_start: date,
    period_end: date,
    draft_lines: list[DraftLine],
    corrects: Document | None = None,
    statement_reference: str = "",
    disputed: list | None = None,
    run_item: InvoiceRunItem | None = None,
) -> Document:
    """A draft with its lines, numbered 1..n in the given order."""
    document = Document.objects.create(
        kind=kind,
        issuer=account.issuer,
        account=account,
        currency=currency,
        period_start=period_start,
        period_end=period_end,
        corrects=corrects,
        statement_reference=statement_reference,
        disputed=disputed or [],
        run_item=run_item,
    )
    rows = []
    for position, draft in enumerate(draft_lines, 1):
        line = replace(draft.line, position=position)
        if line.net + line.tax != line.gross:
            raise ValueError(f"line {position}: gross {line.gross} is not net + tax")
        rows.append(
            DocumentLine(
                document=document,
                position=position,
                ledger=draft.ledger,
                cdr_id=draft.cdr_id,
                credit=draft.credit,
                credits_line_id=draft.credits_line_id,
                full_credit=draft.full_credit,
                replaces_id=draft.replaces_id,
                net=line.net,
                tax=line.tax,
                gross=line.gross,
                tax_rate=line.tax_rate,
                tax_category=line.tax_category,
                content=snapshot_to_json(line),
            )
        )
    DocumentLine.objects.bulk_create(rows)
    return document


# -- credit notes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    """Give back part or all of what an issued line still bills."""

    line: DocumentLine
    net: Decimal
    tax: Decimal
    full: bool  # the line is cancelled: its CDR is billed anew at its current price
    why: str


def credit_note_create(*, original: Document, credits: list[Credit]) -> Document:
    """Issue a credit note for lines of one issued document; it refers to that document."""
    if original.status != Document.Status.ISSUED:
        raise DocumentNotIssuable(f"{original} is not issued")
    draft_lines = []
    for credit in credits:
        line = lines.credit_line(
            position=0,
            line=line_from_json(credit.line.content),
            net=credit.net,
            tax=credit.tax,
            why=credit.why,
        )
        draft_lines.append(
            DraftLine(
                line=line,
                ledger=credit.line.ledger,
                cdr_id=credit.line.cdr_id,
                credit=True,
                credits_line_id=credit.line.pk,
                full_credit=credit.full,
            )
        )
    if not draft_lines:
        raise DocumentNotIssuable(f"nothing to credit on {original}")
    note = document_draft_create(
        kind=DocumentKind.CREDIT_NOTE,
        account=original.account,
        currency=original.currency,
        period_start=original.period_start,
        period_end=original.period_end,
        draft_lines=draft_lines,
        corrects=original,
    )
    return document_issue(document_id=note.pk)


@transaction.atomic
def invoice_cancel(*, document_id: int, reason: str = "Cancellation") -> Document:
    """Cancel an issued invoice or statement by a credit note for all it still bills.

    Its CDRs are then billed anew, at their current price, by the account's next run.
    """
    original = Document.objects.get(pk=document_id)
    account_lock(account_id=original.account_id)
    if original.kind == DocumentKind.CREDIT_NOTE:
        raise DocumentNotIssuable("A credit note is not cancelled; issue an invoice instead")
    credits = [
        Credit(line, line.remaining_net, line.remaining_tax, full=True, why=reason)
        for line in selectors.lines_with_remaining(document=original)
        if not line.fully_credited
    ]
    if not credits:
        raise DocumentNotIssuable(f"{original} is already credited in full")
    return credit_note_create(original=original, credits=credits)


def driver_price_targets(cdrs: list[Cdr]) -> dict[int, Decimal | None]:
    """What the driver owes now for each CDR (excl. VAT): its driver price, less what credit
    CDRs for it give back; None for a CDR without a driver price."""
    credited = selectors.credit_cdr_amounts(cdrs=cdrs, amount="driver_price__excl_vat")
    targets: dict[int, Decimal | None] = {}
    for cdr in cdrs:
        price = getattr(cdr, "driver_price", None)
        if price is None:
            targets[cdr.pk] = None
            continue
        given_back = credited.get((cdr.country_code, cdr.party_id, cdr.ocpi_id), ZERO)
        targets[cdr.pk] = round_minor(price.excl_vat + given_back, price.currency)
    return targets


def partner_price_targets(cdrs: list[Cdr], *, ours: bool) -> dict[int, Decimal]:
    """What a statement bills for each CDR now (excl. VAT): for our CPO's CDRs (`ours`), our
    price; for a partner CPO's, its price less what its credit CDRs for it give back."""
    credited = {} if ours else selectors.credit_cdr_amounts(cdrs=cdrs, amount="total_cost_excl_vat")
    targets = {}
    for cdr in cdrs:
        priced = getattr(cdr, "priced", None)
        amount = cdr.total_cost_excl_vat
        if ours and priced is not None and priced.total_cost_excl_vat is not None:
            amount = priced.total_cost_excl_vat
        given_back = credited.get((cdr.country_code, cdr.party_id, cdr.ocpi_id), ZERO)
        targets[cdr.pk] = round_minor(amount + given_back, cdr.currency)
    return targets


def corrections_create(*, billed: list[DocumentLine], targets: dict) -> list[Document]:
    """Credit notes for billed CDRs whose amount (`targets`, by CDR id) is now other than billed.

    Less: the difference is credited (with the VAT difference). More: the line is credited in
    full and the CDR billed anew by the next document. One credit note per corrected document.
    """
    by_document: dict[int, list[Credit]] = {}
    for line in billed:
        target = targets.get(line.cdr_id)
        if target is None or target == line.remaining_net:
            continue
        if 0 <= target < line.remaining_net:
            rule = vat.TaxRule(line.tax_category, line.tax_rate)
            _net, tax_now, _gross = rule.amounts(target, line.document.currency)
            credit = Credit(
                line,
                line.remaining_net - target,
                line.remaining_tax - tax_now,
                full=False,
                why="Price correction",
            )
        else:
            credit = Credit(
                line, line.remaining_net, line.remaining_tax, full=True, why="Price correction"
            )
        by_document.setdefault(line.document_id, []).append(credit)
    return [
        credit_note_create(original=Document.objects.get(pk=document_id), credits=credits)
        for document_id, credits in by_document.items()
    ]


def driver_credits_create(*, account: BillingAccount) -> list[Document]:
    """Credit notes for the account's invoiced CDRs whose driver price changed since (a
    re-price, or a credit CDR from the CPO)."""
    billed = selectors.active_lines(account=account, ledger=DocumentLine.Ledger.DRIVER)
    targets = driver_price_targets([line.cdr for line in billed])
    return corrections_create(billed=billed, targets=targets)


def partner_credits_create(*, account: BillingAccount) -> list[Document]:
    """Credit notes for the CDRs on a partner's statements whose price changed since (our CPO's
    CDRs re-priced; a partner CPO's credited by its credit CDRs)."""
    billed = selectors.active_lines(account=account, ledger=DocumentLine.Ledger.PARTNER)
    ours = account.issuer.own_party.role == "CPO"
    targets = partner_price_targets([line.cdr for line in billed], ours=ours)
    return corrections_create(billed=billed, targets=targets)


# -- driver invoices -------------------------------------------------------------------------


def driver_weights(cdr: Cdr, contract: DriverContract) -> dict[str, Decimal]:
    """The driver price's components (cost per OCPI cost total) the line is split by."""
    priced = getattr(cdr, "priced", None)
    if contract.method == DriverContract.Method.TARIFF and contract.tariff:
        document = {**cdr.document, "currency": contract.tariff.get("currency")}
        try:
            result = price_cdr(
                document,
                [compile_tariff(contract.tariff)],
                lines.cdr_time_zone(cdr.document, priced),
                DEFAULT_OPTIONS,
            )
        except Exception:  # a line without components is still a right line
            return {}
        return {
            total: round_ocpi(getattr(result, total).excl_vat)
            for *_rest, total, _volume in lines.COMPONENTS
        }
    factor = 1 + contract.markup_percent / HUNDRED
    weights = {
        total: cost * factor for total, cost in lines.component_costs(cdr.document, priced).items()
    }
    weights["total_fixed_cost"] += contract.session_fee
    return weights


def line_tax_rule(
    *,
    cdr: Cdr,
    seller_country: str,
    buyer_country: str,
    buyer_vat_id: str,
    rates: vat.VatRates | None = None,
) -> vat.TaxRule:
    """The VAT of a CDR's line: that of where and when (the local day it ended) it charged,
    or reverse charge. Raises vat.NoVatRate."""
    location = cdr.document.get("cdr_location") or {}
    zone = ZoneInfo(lines.cdr_time_zone(cdr.document, getattr(cdr, "priced", None)))
    return vat.tax_rule(
        charging_country=vat.country_alpha2(location.get("country")),
        on=cdr.end_date_time.astimezone(zone).date(),
        seller_country=seller_country,
        buyer_country=buyer_country,
        buyer_vat_id=buyer_vat_id,
        rates=rates,
    )


@dataclass
class AccountBilling:
    """What billing an account for a period did."""

    documents: list[Document] = field(default_factory=list)
    held_back: list[dict] = field(default_factory=list)


def _period_end_moment(issuer: Issuer, period_end: date) -> datetime:
    """The first moment after the period, where the issuer is."""
    return datetime.combine(period_end + timedelta(days=1), time(), ZoneInfo(issuer.time_zone))


def driver_invoices_create(
    *,
    account: BillingAccount,
    period_start: date,
    period_end: date,
    run_item: InvoiceRunItem | None = None,
) -> AccountBilling:
    """Issue the account's credit notes, then its invoice(s) for every CDR not billed yet that
    ended before the period's end (late CDRs of earlier periods too). Unpriceable CDRs, and
    CDRs whose VAT is unknown, are held back."""
    result = AccountBilling(documents=driver_credits_create(account=account))
    issuer, contract = account.issuer, account.contract
    per_currency: dict[str, list[DraftLine]] = {}
    cdrs = list(
        selectors.driver_cdrs_to_bill(
            contract=contract, before=_period_end_moment(issuer, period_end)
        )
    )
    targets = driver_price_targets(cdrs)
    rates = vat.VatRates()
    replaced = selectors.unreplaced_full_credit_ids(cdrs=cdrs, ledger=DocumentLine.Ledger.DRIVER)
    for cdr in cdrs:
        target = targets[cdr.pk]
        if target is None or target < 0:
            why = "no driver price" if target is None else "credited more than charged"
            reason = getattr(getattr(cdr, "priced", None), "reason", "")
            result.held_back.append(
                {"cdr_id": cdr.ocpi_id, "reason": f"{why}{': ' + reason if reason else ''}"}
            )
            continue
        currency = cdr.driver_price.currency
        try:
            rule = line_tax_rule(
                cdr=cdr,
                seller_country=issuer.country,
                buyer_country=account.country,
                buyer_vat_id=account.vat_id,
                rates=rates,
            )
        except vat.NoVatRate as error:
            result.held_back.append({"cdr_id": cdr.ocpi_id, "reason": str(error)})
            continue
        line = lines.cdr_line(
            position=0,
            cdr=cdr,
            priced=getattr(cdr, "priced", None),
            net=target,
            currency=currency,
            rule=rule,
            weights=driver_weights(cdr, contract),
            roaming=cdr.source_id is not None,
        )
        per_currency.setdefault(currency, []).append(
            DraftLine(
                line=line,
                ledger=DocumentLine.Ledger.DRIVER,
                cdr_id=cdr.pk,
                replaces_id=replaced.get(cdr.pk),
            )
        )
    per_session = account.frequency == BillingAccount.Frequency.PER_SESSION
    for currency, draft_lines in per_currency.items():
        groups = [[draft] for draft in draft_lines] if per_session else [draft_lines]
        for group in groups:
            draft = document_draft_create(
                kind=DocumentKind.INVOICE,
                account=account,
                currency=currency,
                period_start=period_start,
                period_end=period_end,
                draft_lines=group,
                run_item=run_item,
            )
            result.documents.append(document_issue(document_id=draft.pk))
    return result


# -- settlement statements -------------------------------------------------------------------


def statement_reference_id(*, cpo: str, emsp: str, period: str) -> str:
    """The `invoice_reference_id` our CPO stamps on a CDR for an eMSP: the statement it will
    be on, known when the CDR is created. cpo and emsp are "NL-TMC"; period "2026-10"."""
    return f"{cpo}-{emsp}-{period}".upper()


def cdr_statement_reference(*, cpo: str, document: dict, time_zone: str | None) -> str:
    """The statement reference of our CPO's CDR: its eMSP and the month the session ended in,
    in the charging location's time zone."""
    token = document.get("cdr_token") or {}
    end = parse_datetime(document.get("end_date_time"), "end_date_time")
    zone = time_zone or lines.cdr_time_zone(document, None)
    month = end.astimezone(ZoneInfo(zone)).strftime("%Y-%m")
    emsp = f"{token.get('country_code', '')}-{token.get('party_id', '')}"
    return statement_reference_id(cpo=cpo, emsp=emsp, period=month)


def statements_create(
    *,
    account: BillingAccount,
    period: str,
    period_start: date,
    period_end: date,
    run_item: InvoiceRunItem | None = None,
) -> AccountBilling:
    """A partner's statement for a month.

    Our CPO's (STATEMENT): what the eMSP owes us for the CDRs stamped with the statement's
    reference. Our eMSP's (SELF_BILLED): what we owe the CPO for its CDRs that ended before the
    period's end, at its price where ours agrees; those whose price differs (MISMATCH) are
    listed as disputed, with the difference, and left for a later statement.
    """
    result = AccountBilling(documents=partner_credits_create(account=account))
    issuer = account.issuer
    cpo_side = issuer.own_party.role == "CPO"
    if cpo_side:
        reference = statement_reference_id(
            cpo=issuer.own_party.code, emsp=account.party_code, period=period
        )
        cdrs = selectors.own_cdrs_for_statement(issuer=issuer, reference=reference)
        kind, seller_country = DocumentKind.STATEMENT, issuer.country
        buyer = (account.country, account.vat_id)
    else:
        reference = ""
        cdrs = selectors.partner_cdrs_to_settle(
            account=account, before=_period_end_moment(issuer, period_end)
        )
        kind, seller_country = DocumentKind.SELF_BILLED, account.country
        buyer = (issuer.country, issuer.vat_id)
    per_currency: dict[str, list[DraftLine]] = {}
    disputed: dict[str, list[dict]] = {}
    cdrs = list(cdrs)
    targets = partner_price_targets(cdrs, ours=cpo_side)
    rates = vat.VatRates()
    replaced = selectors.unreplaced_full_credit_ids(cdrs=cdrs, ledger=DocumentLine.Ledger.PARTNER)
    for cdr in cdrs:
        priced = getattr(cdr, "priced", None)
        currency = cdr.currency
        net = targets[cdr.pk]
        if net < 0:
            result.held_back.append({"cdr_id": cdr.ocpi_id, "reason": "credited more than charged"})
            continue
        # A partner CPO's CDR is paid at its price only where ours agrees.
        verdict = priced.verdict if priced is not None else "UNPRICEABLE"
        if not cpo_side and verdict == "UNPRICEABLE":
            reason = priced.reason if priced is not None else "not priced yet"
            result.held_back.append({"cdr_id": cdr.ocpi_id, "reason": f"unpriceable: {reason}"})
            continue
        if not cpo_side and verdict == "MISMATCH":
            disputed.setdefault(currency, []).append(
                {
                    "cdr_id": cdr.ocpi_id,
                    "claimed": str(round_minor(cdr.total_cost_excl_vat, currency)),
                    "ours": str(round_minor(priced.total_cost_excl_vat, currency)),
                    "difference": str(round_minor(priced.difference_excl_vat, currency)),
                }
            )
            continue
        try:
            rule = line_tax_rule(
                cdr=cdr,
                seller_country=seller_country,
                buyer_country=buyer[0],
                buyer_vat_id=buyer[1],
                rates=rates,
            )
        except vat.NoVatRate as error:
            result.held_back.append({"cdr_id": cdr.ocpi_id, "reason": str(error)})
            continue
        line = lines.cdr_line(
            position=0,
            cdr=cdr,
            priced=priced,
            net=net,
            currency=currency,
            rule=rule,
            weights=lines.component_costs(cdr.document, priced),
            roaming=not cpo_side,
        )
        per_currency.setdefault(currency, []).append(
            DraftLine(
                line=line,
                ledger=DocumentLine.Ledger.PARTNER,
                cdr_id=cdr.pk,
                replaces_id=replaced.get(cdr.pk),
            )
        )
    for currency, draft_lines in per_currency.items():
        draft = document_draft_create(
            kind=kind,
            account=account,
            currency=currency,
            period_start=period_start,
            period_end=period_end,
            draft_lines=draft_lines,
            statement_reference=reference,
            disputed=disputed.pop(currency, []),
            run_item=run_item,
        )
        result.documents.append(document_issue(document_id=draft.pk))
    for _currency, rows in disputed.items():
        result.held_back.extend({**row, "reason": "disputed: price differs"} for row in rows)
    return result


# -- runs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A billing period: a month (2026-10), an ISO week (2026-W42) or a day (2026-10-05)."""

    label: str
    start: date
    end: date  # the last day

    @property
    def frequency(self) -> str:
        if "W" in self.label:
            return BillingAccount.Frequency.WEEKLY
        if self.label.count("-") == 2:
            return BillingAccount.Frequency.PER_SESSION
        return BillingAccount.Frequency.MONTHLY


def period_parse(label: str) -> Period:
    """2026-10, 2026-W42 or 2026-10-05; ValueError naming the form otherwise."""
    label = label.strip().upper()
    try:
        if "-W" in label:
            year, week = label.split("-W")
            start = date.fromisocalendar(int(year), int(week), 1)
            return Period(label, start, start + timedelta(days=6))
        parts = [int(part) for part in label.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return Period(label, day, day)
        if len(parts) == 2:
            start = date(parts[0], parts[1], 1)
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            return Period(f"{start:%Y-%m}", start, following - timedelta(days=1))
    except ValueError:
        pass
    raise ValueError(f"period {label!r}: use a month (2026-10), a week (2026-W42) or a day")


def previous_periods(today: date) -> list[Period]:
    """The periods that ended yesterday or before and are due now: yesterday (per session),
    last week on Mondays, last month on the 1st."""
    yesterday = today - timedelta(days=1)
    due = [period_parse(yesterday.isoformat())]
    if today.isoweekday() == 1:
        year, week, _ = yesterday.isocalendar()
        due.append(period_parse(f"{year}-W{week:02d}"))
    if today.day == 1:
        due.append(period_parse(f"{yesterday:%Y-%m}"))
    return due


@transaction.atomic
def invoice_run_start(*, period: str, account_id: int | None = None) -> InvoiceRun:
    """The run of a period (and one account, if given): created with one item per account due,
    or the existing one, whose unfinished items are then done again."""
    parsed = period_parse(period)
    scope = f"account:{account_id}" if account_id else ""
    run, created = InvoiceRun.objects.get_or_create(
        period=parsed.label,
        scope=scope,
        defaults={"period_start": parsed.start, "period_end": parsed.end},
    )
    if created:
        accounts = selectors.accounts_due(frequency=parsed.frequency, account_id=account_id)
        InvoiceRunItem.objects.bulk_create(
            InvoiceRunItem(run=run, account=account) for account in accounts
        )
    elif run.status != InvoiceRun.Status.RUNNING:
        run.status, run.finished_at = InvoiceRun.Status.RUNNING, None
        run.save(update_fields=["status", "finished_at"])
        run.items.filter(status=InvoiceRunItem.Status.FAILED).update(
            status=InvoiceRunItem.Status.PENDING
        )
    return run


def account_lock(*, account_id: int) -> None:
    """Hold the account until the commit: what it is billed and credited is read and written
    by one transaction at a time (a run and a staff cancellation must not both credit a line)."""
    BillingAccount.objects.select_for_update().filter(pk=account_id).first()


@transaction.atomic
def account_bill(
    *, account: BillingAccount, period: Period, run_item: InvoiceRunItem | None = None
) -> AccountBilling:
    """Everything an account gets for a period, in one transaction holding the account; drafts
    a failed check left are built anew."""
    account_lock(account_id=account.pk)
    for draft in Document.objects.filter(account=account, status=Document.Status.DRAFT):
        draft.delete()
    if account.kind == BillingAccount.Kind.DRIVER:
        return driver_invoices_create(
            account=account, period_start=period.start, period_end=period.end, run_item=run_item
        )
    return statements_create(
        account=account,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        run_item=run_item,
    )


def _pending_items() -> QuerySet[InvoiceRunItem]:
    """Pending items, each locked by the transaction that takes it; those another transaction
    holds are passed over."""
    return (
        InvoiceRunItem.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("run", "account__issuer__own_party", "account__contract")
        .filter(status=InvoiceRunItem.Status.PENDING)
        .order_by("pk")
    )


def _item_bill(item: InvoiceRunItem) -> None:
    billing = account_bill(
        account=item.account, period=period_parse(item.run.period), run_item=item
    )
    drafts = [d for d in billing.documents if d.status == Document.Status.DRAFT]
    item.documents_issued = len(billing.documents) - len(drafts)
    item.held_back = billing.held_back
    item.status = InvoiceRunItem.Status.FAILED if drafts else InvoiceRunItem.Status.DONE
    item.error = "; ".join(f"{d}: {', '.join(f['rule_id'] for f in d.findings)}" for d in drafts)
    item.attempts += 1
    item.finished_at = timezone.now()
    item.save()


def _first_item_process(pending: QuerySet[InvoiceRunItem]) -> InvoiceRunItem | None:
    """Bill the account of the first item of `pending` that no one else holds, all in one
    transaction: a crash leaves the item pending and nothing issued, so doing it again issues
    each document once. None if there is no such item."""
    item_id = None
    try:
        with transaction.atomic():
            item = pending.first()
            if item is None:
                return None
            item_id = item.pk
            _item_bill(item)
    except Exception as error:
        if item_id is None:
            raise
        logger.exception("run item %s failed", item_id)
        InvoiceRunItem.objects.filter(pk=item_id).update(
            status=InvoiceRunItem.Status.FAILED, error=f"{type(error).__name__}: {error}"
        )
        item = InvoiceRunItem.objects.get(pk=item_id)
    return item


def invoice_run_item_process(*, item_id: int) -> InvoiceRunItem:
    """Bill one account of a run (see `_first_item_process`). An item done, failed, or being
    billed by another worker is left alone."""
    item = _first_item_process(_pending_items().filter(pk=item_id))
    if item is None:
        return InvoiceRunItem.objects.get(pk=item_id)
    invoice_run_finish_check(run_id=item.run_id)
    return item


def invoice_run_work(*, run_id: int) -> int:
    """Bill the run's pending accounts one after the other until none is left that another
    worker does not hold; any number of workers may do this at once, each account is billed
    by one of them. Returns how many this worker billed."""
    pending = _pending_items().filter(run_id=run_id)
    billed = 0
    while _first_item_process(pending) is not None:
        billed += 1
    invoice_run_finish_check(run_id=run_id)
    return billed


def invoice_run_finish_check(*, run_id: int) -> None:
    """Mark the run finished once no item is pending."""
    items = InvoiceRunItem.objects.filter(run_id=run_id)
    if items.filter(status=InvoiceRunItem.Status.PENDING).exists():
        return
    failed = items.filter(status=InvoiceRunItem.Status.FAILED).exists()
    InvoiceRun.objects.filter(pk=run_id, status=InvoiceRun.Status.RUNNING).update(
        status=InvoiceRun.Status.FAILED if failed else InvoiceRun.Status.DONE,
        finished_at=timezone.now(),
    )


DELIVERY_GRACE = timedelta(hours=1)


def runs_due_start(*, today: date | None = None) -> list[InvoiceRun]:
    """Start (or resume) the runs due today, their items processed by tasks; and deliver again
    what a crash or an outage left without its PDF or e-mail."""
    from billing.invoices.tasks import document_deliver_task, invoice_run_item_task

    undelivered = selectors.documents_undelivered(issued_before=timezone.now() - DELIVERY_GRACE)
    for document_id in undelivered.values_list("pk", flat=True):
        document_deliver_task.delay(document_id)

    runs = []
    for period in previous_periods(today or timezone.localdate()):
        run = invoice_run_start(period=period.label)
        for item_id in run.items.filter(status=InvoiceRunItem.Status.PENDING).values_list(
            "pk", flat=True
        ):
            invoice_run_item_task.delay(item_id)
        runs.append(run)
    return runs


class DryRunRollback(Exception):
    """Raised inside a dry run's transaction to roll back all it did."""


PROGRESS_INTERVAL_S = 0.5


def _work_in_process(run_id: int) -> None:
    """A forked worker: bills with a database connection of its own."""
    try:
        invoice_run_work(run_id=run_id)
    finally:
        connections.close_all()


def _workers_run(*, run: InvoiceRun, workers: int, report) -> None:
    """`invoice_run_work` in `workers` processes at once; `report()` every interval meanwhile."""
    # Forked children must not share the parent's connection: each opens its own.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_work_in_process, args=(run.pk,)) for _ in range(workers)]
    for process in processes:
        process.start()
    while any(process.is_alive() for process in processes):
        report()
        for process in processes:
            process.join(PROGRESS_INTERVAL_S / workers)
    failed = [process.exitcode for process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of {workers} workers stopped (exit codes {failed})")


def invoice_run_workers_refusal(*, workers: int, dry_run: bool) -> str:
    """Why a run cannot be billed by `workers` processes ("" if it can)."""
    if workers < 1:
        return f"workers: {workers} is not a number of processes"
    if workers == 1:
        return ""
    if dry_run:
        return "workers: a dry run bills in one transaction, so in one process"
    if transaction.get_connection().in_atomic_block:
        return "workers: other processes see the run only once it is committed"
    if not transaction.get_connection().features.has_select_for_update_skip_locked:
        return "workers: this database cannot hand each account to one worker only (SQLite)"
    return ""


def invoice_run(
    *,
    period: str,
    account_id: int | None = None,
    dry_run: bool = False,
    workers: int = 1,
    progress=None,
) -> dict:
    """Start (or resume) a run and bill its pending accounts: one by one in this process, or
    by `workers` processes at once (each account in its own transaction, by one of them).

    `progress(done, total, counts)` is called now and then (see selectors.invoice_run_counts).
    With `dry_run`, everything is done inside one transaction that is rolled back: the summary
    says what a run would issue and hold back, and nothing is numbered, stored or sent.
    """
    refusal = invoice_run_workers_refusal(workers=workers, dry_run=dry_run)
    if refusal:
        raise ValueError(refusal)
    summary: dict = {}
    try:
        with transaction.atomic() if dry_run else nullcontext():
            run = invoice_run_start(period=period, account_id=account_id)
            total = run.items.filter(status=InvoiceRunItem.Status.PENDING).count()

            def report() -> None:
                if progress is not None:
                    counts = selectors.invoice_run_counts(run=run)
                    progress(total - counts["pending"], total, counts)

            if workers > 1:
                _workers_run(run=run, workers=workers, report=report)
            else:
                pending = _pending_items().filter(run=run)
                reported = monotonic()
                while _first_item_process(pending) is not None:
                    if monotonic() - reported >= PROGRESS_INTERVAL_S:
                        report()
                        reported = monotonic()
                invoice_run_finish_check(run_id=run.pk)
            report()
            run.refresh_from_db()
            summary = selectors.invoice_run_summary(run=run)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        summary["dry_run"] = True
    return summary
