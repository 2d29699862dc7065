"""Billing documents: who issues them, to whom, their numbers, lines, VAT table and runs.

An issued document never changes: its content is the frozen `DocumentSnapshot` on the row, its
model refuses save and delete, and PostgreSQL refuses an UPDATE or DELETE of the row and of its
lines (triggers in migration 0002). Corrections are credit notes. What happens to an issued
document afterwards (its PDF, its e-mail) is kept in `DocumentFile`, a table of its own.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from billing.invoices.snapshot import DocumentKind, TaxCategory
from billing.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("nl", "Nederlands"), ("fr", "Français")]


class ImmutableDocument(Exception):
    """An issued document (or its line, or its stored PDF) was to be changed or deleted."""


def amount_field(**options) -> models.DecimalField:
    return models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **options
    )


def check_number_format(value: str) -> None:
    """A number format is a Python format string using {year} and {number} and nothing else."""
    try:
        value.format(year=2026, number=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ValidationError(f"{value!r} is not a usable number format: {error}") from None
    if "{number" not in value or "{year" not in value:
        raise ValidationError(
            "A number format needs {year} and {number}, e.g. INV-{year}-{number:06d}"
        )


class Address(models.Model):
    """Name and postal address as printed on a document; `country` is ISO 3166-1 alpha-2."""

    name = models.CharField(max_length=200)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=20)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. NL")
    vat_id = models.CharField(max_length=20, blank=True, verbose_name="VAT id")
    email = models.EmailField(blank=True)

    class Meta:
        abstract = True

    def clean(self):
        self.country = self.country.upper()


class Issuer(Address):
    """One of our own parties as the seller on its documents, with its numbering."""

    own_party = models.OneToOneField(
        "ocpi.OwnParty", on_delete=models.PROTECT, related_name="issuer"
    )
    registration = models.CharField(max_length=100, blank=True, help_text="e.g. KvK 12345678")
    iban = models.CharField(max_length=34, blank=True, verbose_name="IBAN")
    bic = models.CharField(max_length=11, blank=True, verbose_name="BIC")
    footer = models.TextField(blank=True, help_text="Printed at the foot of every document")
    time_zone = models.CharField(
        max_length=64, default="Europe/Amsterdam", help_text="Issue dates and periods are here"
    )
    payment_terms_days = models.PositiveSmallIntegerField(default=14)
    invoice_number_format = models.CharField(
        max_length=50, default="INV-{year}-{number:06d}", validators=[check_number_format]
    )
    credit_note_number_format = models.CharField(
        max_length=50, default="CN-{year}-{number:06d}", validators=[check_number_format]
    )
    statement_number_format = models.CharField(
        max_length=50, default="ST-{year}-{number:06d}", validators=[check_number_format]
    )
    self_billed_number_format = models.CharField(
        max_length=50, default="SB-{year}-{number:06d}", validators=[check_number_format]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.own_party.code})"

    def number_format(self, kind: str) -> str:
        return {
            DocumentKind.INVOICE: self.invoice_number_format,
            DocumentKind.CREDIT_NOTE: self.credit_note_number_format,
            DocumentKind.STATEMENT: self.statement_number_format,
            DocumentKind.SELF_BILLED: self.self_billed_number_format,
        }[kind]

    def clean(self):
        super().clean()
        formats = [self.number_format(kind) for kind, _label in DocumentKind.choices]
        if len(set(formats)) < len(formats):
            raise ValidationError("Each kind of document needs a number format of its own")


class BillingAccount(Address):
    """Who a document is addressed to: a driver (by contract) or a partner party."""

    class Kind(models.TextChoices):
        DRIVER = "DRIVER", "Driver"
        PARTNER = "PARTNER", "Partner"

    class Frequency(models.TextChoices):
        MONTHLY = "MONTHLY", "Monthly"
        WEEKLY = "WEEKLY", "Weekly"
        PER_SESSION = "PER_SESSION", "Per session"

    kind = models.CharField(max_length=7, choices=Kind.choices)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="accounts")
    contract = models.OneToOneField(
        "billing.DriverContract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="billing_account",
        help_text="DRIVER: the contract whose CDRs are billed",
    )
    connection = models.ForeignKey(
        "ocpi.Connection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="billing_accounts",
        help_text="PARTNER: the connection the party belongs to",
    )
    country_code = models.CharField(max_length=2, blank=True, help_text="PARTNER: the party")
    party_id = models.CharField(max_length=3, blank=True)
    language = models.CharField(max_length=2, choices=LANGUAGES, default="en")
    payment_terms_days = models.PositiveSmallIntegerField(null=True, blank=True)
    frequency = models.CharField(
        max_length=11, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="account_driver_or_partner",
                condition=(
                    Q(kind="DRIVER", contract__isnull=False, connection__isnull=True)
                    | Q(kind="PARTNER", contract__isnull=True, connection__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["issuer", "connection", "country_code", "party_id"],
                condition=Q(kind="PARTNER"),
                name="account_partner_once_per_issuer",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.PARTNER:
            return f"{self.name} ({self.party_code})"
        return self.name

    def save(self, *args, **kwargs):
        self.country = self.country.upper()
        self.country_code, self.party_id = self.country_code.upper(), self.party_id.upper()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.kind == self.Kind.DRIVER and (self.contract_id is None or self.connection_id):
            raise ValidationError({"contract": "A driver account names a contract, no connection"})
        if self.kind == self.Kind.PARTNER and (
            self.contract_id or self.connection_id is None or not self.party_id
        ):
            raise ValidationError(
                {"connection": "A partner account names a connection and a party, no contract"}
            )

    @property
    def party_code(self) -> str:
        return f"{self.country_code}-{self.party_id}" if self.party_id else ""


class VatRate(models.Model):
    """The VAT on charging in a country from a date on: the driver pays that of where the car
    charged. Staff add a row when a rate changes; old rows stay for old sessions."""

    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    valid_from = models.DateField()
    rate = models.DecimalField(max_digits=5, decimal_places=2, help_text="percent")
    category = models.CharField(
        max_length=2,
        default=TaxCategory.STANDARD,
        choices=[
            (TaxCategory.STANDARD, "Standard rate"),
            (TaxCategory.ZERO_RATED, "Zero rated"),
            (TaxCategory.EXEMPT, "Exempt"),
        ],
    )
    exemption_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["country", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["country", "valid_from"], name="vat_rate_once_per_day")
        ]

    def __str__(self):
        return f"{self.country} {self.rate}% from {self.valid_from}"


class NumberCounter(models.Model):
    """The last number given in one series of an issuer in one year; locked while issuing."""

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="counters")
    series = models.CharField(max_length=11, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "series", "year"], name="number_counter_per_series_year"
            )
        ]

    def __str__(self):
        return f"{self.issuer_id} {self.series} {self.year}: {self.last_number}"


class InvoiceRun(models.Model):
    """Billing one period for every due account (or one): one item per account, each done in
    one transaction, so a run stopped halfway and started again finishes what is left."""

    class Status(models.TextChoices):
        RUNNING = "RUNNING", "Running"
        DONE = "DONE", "Done"
        FAILED = "FAILED", "Done with failures"

    period = models.CharField(max_length=10, help_text="2026-10, 2026-W42 or 2026-10-05")
    period_start = models.DateField()
    period_end = models.DateField(help_text="The last day of the period")
    scope = models.CharField(max_length=30, blank=True, help_text="Empty: every due account")
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["period", "scope"], name="invoice_run_once_per_period")
        ]

    def __str__(self):
        return f"Run {self.period}{' ' + self.scope if self.scope else ''}"


class InvoiceRunItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        DONE = "DONE", "Done"
        FAILED = "FAILED", "Failed"

    run = models.ForeignKey(InvoiceRun, on_delete=models.CASCADE, related_name="items")
    account = models.ForeignKey(BillingAccount, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    documents_issued = models.PositiveIntegerField(default=0)
    held_back = models.JSONField(default=list, blank=True, help_text="CDRs not billed: id and why")
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="run_item_once_per_account")
        ]

    def __str__(self):
        return f"{self.run} {self.account}: {self.get_status_display()}"


class Document(models.Model):
    """An invoice, credit note or statement: a draft, then issued (numbered, frozen)."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        ISSUED = "ISSUED", "Issued"

    kind = models.CharField(max_length=11, choices=DocumentKind.choices)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="documents")
    account = models.ForeignKey(BillingAccount, on_delete=models.PROTECT, related_name="documents")
    number = models.CharField(max_length=60, blank=True)
    issue_date = models.DateField(null=True, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    currency = models.CharField(max_length=3)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="CREDIT_NOTE: the issued document it corrects",
    )
    statement_reference = models.CharField(
        max_length=39, blank=True, help_text="STATEMENT: the invoice_reference_id of its CDRs"
    )
    run_item = models.ForeignKey(
        InvoiceRunItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    total_net = amount_field(default=0)
    total_tax = amount_field(default=0)
    total_gross = amount_field(default=0)
    # CDRs a statement leaves out because the partner's price differs from ours (id, amounts).
    disputed = models.JSONField(default=list, blank=True)
    findings = models.JSONField(
        default=list, blank=True, help_text="Why the e-invoice check keeps this a draft"
    )
    snapshot = models.JSONField(null=True, blank=True, help_text="The issued content, frozen")
    einvoice_xml = models.TextField(
        blank=True,
        help_text="The issued e-invoice (CII XML) as validated; its PDF embeds it",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], condition=~Q(number=""), name="document_number_unique"
            ),
            models.CheckConstraint(
                name="document_issued_has_number",
                condition=Q(status="DRAFT") | (~Q(number="") & Q(snapshot__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number or f'draft {self.pk}'}"

    def save(self, *args, **kwargs):
        if self.is_issued:
            raise ImmutableDocument(f"{self} is issued: correct it with a credit note")
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def delete(self, *args, **kwargs):
        if self.is_issued or self.status == self.Status.ISSUED:
            raise ImmutableDocument(f"{self} is issued and cannot be deleted")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        document._stored_status = document.__dict__.get("status")
        return document

    @property
    def is_issued(self) -> bool:
        """Issued as stored in the database (a draft being issued is not, until saved)."""
        return getattr(self, "_stored_status", None) == self.Status.ISSUED


class DocumentLine(models.Model):
    """One CDR on a document. `content` is the snapshot's Line (JSON) for it.

    A CDR is billed at most once per ledger (the driver's, the partner's): a second invoice line
    for it is possible only in place of one a credit note cancelled in full (`replaces`).
    """

    class Ledger(models.TextChoices):
        DRIVER = "DRIVER", "Driver"
        PARTNER = "PARTNER", "Partner"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    ledger = models.CharField(max_length=7, choices=Ledger.choices)
    cdr = models.ForeignKey(
        "ocpi_cdrs.Cdr", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit = models.BooleanField(default=False, help_text="A credit note's line")
    credits_line = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credited_by",
        help_text="The invoice line this credit line corrects",
    )
    full_credit = models.BooleanField(default=False, help_text="Cancels that line entirely")
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text="The full credit line this line bills again after",
    )
    net = amount_field()
    tax = amount_field()
    gross = amount_field()
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)
    tax_category = models.CharField(max_length=2)
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cdr", "ledger"],
                condition=Q(credit=False, replaces__isnull=True, cdr__isnull=False),
                name="cdr_billed_once_per_ledger",
            ),
            models.UniqueConstraint(fields=["document", "position"], name="line_position_unique"),
        ]

    def __str__(self):
        return f"{self.document_id}/{self.position}"

    def save(self, *args, **kwargs):
        if Document.objects.filter(pk=self.document_id, status=Document.Status.ISSUED).exists():
            raise ImmutableDocument("The lines of an issued document cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Document.objects.filter(pk=self.document_id, status=Document.Status.ISSUED).exists():
            raise ImmutableDocument("The lines of an issued document cannot be deleted")
        return super().delete(*args, **kwargs)


def document_file_name(instance, filename: str) -> str:
    """An unguessable name: the number alone would let anyone try the neighbours'."""
    return f"documents/{secrets.token_urlsafe(24)}.pdf"


class DocumentFile(models.Model):
    """The rendered PDF of an issued document (written once) and its delivery by e-mail."""

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.PROTECT, related_name="file"
    )
    pdf = models.FileField(upload_to=document_file_name)
    sha256 = models.CharField(max_length=64)
    rendered_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.TextField(blank=True)

    def __str__(self):
        return f"PDF of {self.document}"

    def delete(self, *args, **kwargs):
        raise ImmutableDocument("The PDF of an issued document is kept")
