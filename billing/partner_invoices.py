"""Partner invoices: a partner CPO's invoice checked against the CDRs it sent us (eMSP side).

A CPO names in each CDR's `invoice_reference_id` the invoice that will bill it. Its invoice
arrives by mail; finance records the total it states (`PartnerInvoice`) and the portal compares it
with what we received and priced: the sum of the CDRs' own `total_cost` (the partner's price) to
the cent, and our engine's price of the same CDRs (`PricedCdr`).

The reference is a CiString: references that differ only in case are one invoice, stored and
shown upper-cased. CDRs without a reference are the partner's CDRs not yet invoiced.
Every read here is a fixed number of queries, however many CDRs there are.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone

from billing.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, ZERO, round_minor
from billing.reports import cdrs_with_local_month
from ocpi.models import Connection
from ocpi.modules.cdrs.models import Cdr

NOT_INVOICED = ""  # the reference of the CDRs no invoice names yet


def _money(**options) -> models.DecimalField:
    return models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **options
    )


class PartnerInvoice(models.Model):
    """A partner CPO's invoice as received: the totals its document states, in words of ours."""

    connection = models.ForeignKey(
        Connection, null=True, on_delete=models.SET_NULL, related_name="partner_invoices"
    )
    country_code = models.CharField(max_length=2)
    party_id = models.CharField(max_length=3)
    reference = models.CharField(
        max_length=39, help_text="The CDRs' invoice_reference_id, upper-cased"
    )
    currency = models.CharField(max_length=3)
    stated_excl_vat = _money(help_text="The total excl. VAT on their document")
    stated_incl_vat = _money(null=True, blank=True, help_text="The total incl. VAT, if stated")
    received_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "reference"],
                name="partner_invoice_unique_reference",
            )
        ]

    def __str__(self):
        return f"{self.country_code}-{self.party_id} {self.reference}"


# Reads ----------------------------------------------------------------------------------------


def _reference():
    """The CDR's invoice_reference_id upper-cased; "" when absent, null or empty."""
    return Coalesce(
        Upper(KeyTextTransform("invoice_reference_id", "document")),
        Value(""),
        output_field=models.CharField(),
    )


def partner_cdrs(cdrs: QuerySet[Cdr] | None = None) -> QuerySet[Cdr]:
    """Partner CPOs' CDRs (ours are billed by our own statements) with their reference."""
    cdrs = Cdr.objects.all() if cdrs is None else cdrs
    return cdrs.exclude(source=None).annotate(reference=_reference())


class Status:
    NOT_INVOICED = "NOT_INVOICED"  # no invoice names these CDRs yet
    AWAITING = "AWAITING"  # named by an invoice we have not recorded as received
    DIFFERS = "DIFFERS"  # the invoice's total is not the sum of its CDRs
    MISMATCHES = "MISMATCHES"  # the total is, but our engine prices some CDRs differently
    RECONCILED = "RECONCILED"  # the total is the sum, and we price every CDR alike


@dataclass(frozen=True)
class Totals:
    """One currency's figures of a set of CDRs: theirs from the CDRs, ours from billing."""

    currency: str
    cdrs: int
    energy_kwh: Decimal
    theirs_excl_vat: Decimal
    theirs_incl_vat: Decimal | None  # None when a CDR states no amount incl. VAT
    ours_excl_vat: Decimal
    ours_incl_vat: Decimal
    unpriced: int  # CDRs our engine gave no price (not priced yet, or unpriceable)
    mismatches: int
    # Their price minus ours, over the CDRs we priced.
    difference_excl_vat: Decimal

    @property
    def differs(self) -> bool:
        """Whether the difference shows: a cent or more once rounded."""
        return round_minor(self.difference_excl_vat, self.currency) != 0


@dataclass(frozen=True)
class Check:
    """A recorded invoice's stated totals against the sum of its CDRs, to the cent."""

    excl_vat: Decimal  # stated minus the CDRs' sum, rounded to the minor unit
    incl_vat: Decimal | None  # the same incl. VAT; None when either side has no such total

    @property
    def matches(self) -> bool:
        return self.excl_vat == 0 and not self.incl_vat


def invoice_check(*, invoice: PartnerInvoice, totals: Totals) -> Check:
    """Stated minus summed, each rounded half-up to the currency's minor unit first."""

    def difference(stated: Decimal, summed: Decimal) -> Decimal:
        return round_minor(stated, invoice.currency) - round_minor(summed, invoice.currency)

    incl = None
    if invoice.stated_incl_vat is not None and totals.theirs_incl_vat is not None:
        incl = difference(invoice.stated_incl_vat, totals.theirs_incl_vat)
    return Check(difference(invoice.stated_excl_vat, totals.theirs_excl_vat), incl)


def _figures() -> dict:
    priced = Q(priced__total_cost_excl_vat__isnull=False)
    return {
        "cdr_count": Count("id"),
        "incl_count": Count("total_cost_incl_vat"),
        "energy": Sum("total_energy"),
        "theirs_excl": Sum("total_cost_excl_vat"),
        "theirs_incl": Sum("total_cost_incl_vat"),
        "theirs_priced_excl": Sum("total_cost_excl_vat", filter=priced),
        "ours_excl": Sum("priced__total_cost_excl_vat"),
        "ours_incl": Sum("priced__total_cost_incl_vat"),
        "priced_count": Count("priced__total_cost_excl_vat"),
        "mismatches": Count("id", filter=Q(priced__verdict="MISMATCH")),
    }


def _totals(item: dict) -> Totals:
    every_incl = item["incl_count"] == item["cdr_count"]
    ours_excl = item["ours_excl"] or ZERO
    return Totals(
        currency=item["currency"],
        cdrs=item["cdr_count"],
        energy_kwh=item["energy"] or ZERO,
        theirs_excl_vat=item["theirs_excl"] or ZERO,
        theirs_incl_vat=(item["theirs_incl"] or ZERO) if every_incl else None,
        ours_excl_vat=ours_excl,
        ours_incl_vat=item["ours_incl"] or ZERO,
        unpriced=item["cdr_count"] - item["priced_count"],
        mismatches=item["mismatches"],
        difference_excl_vat=(item["theirs_priced_excl"] or ZERO) - ours_excl,
    )


@dataclass(frozen=True)
class InvoiceGroup:
    """The CDRs of one party that one invoice of theirs names (or none yet), in one currency."""

    connection_id: int
    partner: str
    country_code: str
    party_id: str
    reference: str  # NOT_INVOICED for the CDRs not yet invoiced
    month: str  # the local month of the latest CDR's start, 'YYYY-MM'
    last_start: datetime
    totals: Totals
    invoice: PartnerInvoice | None

    @property
    def party(self) -> str:
        return f"{self.country_code}-{self.party_id}"

    @property
    def check(self) -> Check | None:
        if self.invoice is None or self.invoice.currency != self.totals.currency:
            return None
        return invoice_check(invoice=self.invoice, totals=self.totals)

    @property
    def status(self) -> str:
        return group_status(
            reference=self.reference, check=self.check, mismatches=self.totals.mismatches
        )


def group_status(*, reference: str, check: Check | None, mismatches: int) -> str:
    if reference == NOT_INVOICED:
        return Status.NOT_INVOICED
    if check is None:
        return Status.AWAITING
    if not check.matches:
        return Status.DIFFERS
    return Status.MISMATCHES if mismatches else Status.RECONCILED


def invoice_group_rows(*, connection_id: int | None = None, month: str = "") -> QuerySet:
    """The groups as rows of figures, newest first; `month` ('YYYY-MM') keeps the groups whose
    latest CDR started in that month on its location's clock. Read a page of it with
    `invoice_groups`."""
    cdrs = partner_cdrs(cdrs_with_local_month())
    if connection_id is not None:
        cdrs = cdrs.filter(source_id=connection_id)
    rows = (
        cdrs.order_by()
        .values("country_code", "party_id", "reference", "currency")
        .annotate(
            # A party belongs to one connection (the newer one, should it have moved).
            connection_id=Max("source_id"),
            month=Max("local_month"),
            last_start=Max("start_date_time"),
            **_figures(),
        )
    )
    if month:
        rows = rows.filter(month=month)
    return rows.order_by("-last_start", "country_code", "party_id", "reference", "currency")


def invoice_groups(rows) -> list[InvoiceGroup]:
    """The groups of a page of `invoice_group_rows`, with partner names and recorded invoices:
    two queries, however many rows."""
    rows = list(rows)
    names = dict(
        Connection.objects.filter(pk__in={row["connection_id"] for row in rows}).values_list(
            "pk", "name"
        )
    )
    # By reference alone, then matched on the whole key: one query (none for no reference).
    references = {row["reference"] for row in rows} - {NOT_INVOICED}
    invoices = {
        (invoice.country_code, invoice.party_id, invoice.reference): invoice
        for invoice in PartnerInvoice.objects.filter(reference__in=references)
    }
    return [
        InvoiceGroup(
            connection_id=row["connection_id"],
            partner=names.get(row["connection_id"], ""),
            country_code=row["country_code"],
            party_id=row["party_id"],
            reference=row["reference"],
            month=row["month"],
            last_start=row["last_start"],
            totals=_totals(row),
            invoice=invoices.get((row["country_code"], row["party_id"], row["reference"])),
        )
        for row in rows
    ]


def invoice_cdrs(*, country_code: str, party_id: str, reference: str) -> QuerySet[Cdr]:
    """The party's CDRs that the invoice names (NOT_INVOICED: that no invoice names yet), in
    the order they started, with what a row of the invoice's page shows."""
    location = KeyTransform("cdr_location", "document")
    return (
        partner_cdrs()
        .filter(
            country_code=country_code.upper(),
            party_id=party_id.upper(),
            reference=reference.upper(),
        )
        .select_related("priced", "source")
        .defer("document")
        .annotate(
            location_name=KeyTextTransform("name", location),
            location_city=KeyTextTransform("city", location),
        )
        .order_by("start_date_time", "pk")
    )


def invoice_totals(cdrs: QuerySet[Cdr]) -> list[Totals]:
    """The figures of the CDRs per currency: one query."""
    rows = cdrs.order_by().values("currency").annotate(**_figures()).order_by("currency")
    return [_totals(row) for row in rows]


def partner_invoice_get(*, country_code: str, party_id: str, reference: str):
    return (
        PartnerInvoice.objects.select_related("recorded_by")
        .filter(
            country_code=country_code.upper(),
            party_id=party_id.upper(),
            reference=reference.upper(),
        )
        .first()
    )


# Writes ---------------------------------------------------------------------------------------


class PartnerInvoiceError(ValueError):
    """The invoice cannot be recorded; the message says why in words."""


@transaction.atomic
def partner_invoice_record(
    *,
    country_code: str,
    party_id: str,
    reference: str,
    currency: str,
    stated_excl_vat: Decimal,
    stated_incl_vat: Decimal | None,
    received_on: date,
    note: str,
    user,
) -> PartnerInvoice:
    """Record (or correct) the totals a partner's invoice states. The invoice must name CDRs
    we received, all in `currency`."""
    reference = reference.strip().upper()
    if not reference:
        raise PartnerInvoiceError("CDRs that no invoice names cannot be recorded as invoiced.")
    cdrs = invoice_cdrs(country_code=country_code, party_id=party_id, reference=reference)
    found = list(cdrs.order_by().values_list("source_id", "currency").distinct())
    if not found:
        raise PartnerInvoiceError(f"No CDR we received names the invoice {reference}.")
    currencies = sorted({cdr_currency for _source, cdr_currency in found})
    if len(currencies) > 1:
        raise PartnerInvoiceError(
            f"currency: the CDRs of this invoice are in {', '.join(currencies)}; "
            "an invoice states its total in one."
        )
    if currencies != [currency.upper()]:
        raise PartnerInvoiceError(
            f"currency: the CDRs of this invoice are in {currencies[0]}, not {currency.upper()}."
        )
    if stated_excl_vat < 0 or (stated_incl_vat is not None and stated_incl_vat < 0):
        raise PartnerInvoiceError("An invoice total cannot be negative.")
    invoice, _created = PartnerInvoice.objects.update_or_create(
        country_code=country_code.upper(),
        party_id=party_id.upper(),
        reference=reference,
        defaults={
            "connection_id": max(source for source, _currency in found),
            "currency": currency.upper(),
            "stated_excl_vat": stated_excl_vat,
            "stated_incl_vat": stated_incl_vat,
            "received_on": received_on,
            "note": note.strip(),
            "recorded_by": user,
            "recorded_at": timezone.now(),
        },
    )
    return invoice
