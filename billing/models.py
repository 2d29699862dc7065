"""What billing keeps per CDR (our price, the verdict on the partner's) and per driver contract."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from billing.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from billing.pricing import PricingInputError, compile_tariff


def money_field(**options) -> models.DecimalField:
    """An amount as OCPI states it: 4 decimals."""
    return models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES, **options
    )


class PricedCdr(models.Model):
    """Our engine's price for one stored CDR and its verdict against the partner's `total_cost`.

    Re-pricing replaces the row. Totals are the engine's, rounded to 4 decimals as OCPI does;
    they are empty when the CDR could not be priced (`reason` says why).
    """

    class TariffSource(models.TextChoices):
        EMBEDDED = "EMBEDDED", "Tariffs in the CDR"
        STORED = "STORED", "Stored tariff versions valid at the CDR start"
        NONE = "NONE", "No tariff"

    class Verdict(models.TextChoices):
        """Our price against the partner's: within one minor unit is a match."""

        MATCH = "MATCH", "Match"
        MISMATCH = "MISMATCH", "Mismatch"
        UNPRICEABLE = "UNPRICEABLE", "Unpriceable"

    cdr = models.OneToOneField(
        "ocpi_cdrs.Cdr", primary_key=True, on_delete=models.CASCADE, related_name="priced"
    )
    verdict = models.CharField(max_length=11, choices=Verdict.choices, db_index=True)
    reason = models.TextField(blank=True, help_text="Why the CDR could not be priced")
    currency = models.CharField(max_length=3)
    time_zone = models.CharField(max_length=64, blank=True)
    tariff_source = models.CharField(max_length=8, choices=TariffSource.choices)
    tariffs = models.JSONField(
        default=list, blank=True, help_text="The tariffs priced with: party, id and last_updated"
    )

    total_cost_excl_vat = money_field(null=True, blank=True)
    total_cost_incl_vat = money_field(null=True, blank=True)
    total_energy_cost_excl_vat = money_field(null=True, blank=True)
    total_energy_cost_incl_vat = money_field(null=True, blank=True)
    total_time_cost_excl_vat = money_field(null=True, blank=True)
    total_time_cost_incl_vat = money_field(null=True, blank=True)
    total_parking_cost_excl_vat = money_field(null=True, blank=True)
    total_parking_cost_incl_vat = money_field(null=True, blank=True)
    total_fixed_cost_excl_vat = money_field(null=True, blank=True)
    total_fixed_cost_incl_vat = money_field(null=True, blank=True)
    total_reservation_cost_excl_vat = money_field(null=True, blank=True)
    total_reservation_cost_incl_vat = money_field(null=True, blank=True)
    total_energy = money_field(null=True, blank=True, help_text="kWh")
    total_time = money_field(null=True, blank=True, help_text="hours")
    total_parking_time = money_field(null=True, blank=True, help_text="hours")

    # The partner's total minus ours.
    difference_excl_vat = money_field(null=True, blank=True)
    difference_incl_vat = money_field(null=True, blank=True)
    differing_dimensions = models.JSONField(default=list, blank=True)

    # The engine's charges per period; amounts as strings, exact.
    breakdown = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    warnings = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True, help_text="Engine options used")
    priced_at = models.DateTimeField()

    class Meta:
        verbose_name = "priced CDR"
        ordering = ["-priced_at"]

    def __str__(self):
        return f"{self.cdr_id} {self.verdict}"


class DriverContract(models.Model):
    """How our eMSP prices a driver's charging: a rule applied to the CPO's cost of each CDR."""

    class Method(models.TextChoices):
        MARKUP = "MARKUP", "Markup on the CPO cost"
        TARIFF = "TARIFF", "Our own eMSP tariff"

    contract_id = models.CharField(
        max_length=36, unique=True, help_text="Matches the CDR's cdr_token.contract_id"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="driver_contracts",
    )
    name = models.CharField(max_length=100)
    method = models.CharField(max_length=6, choices=Method.choices, default=Method.MARKUP)
    markup_percent = models.DecimalField(
        max_digits=7, decimal_places=4, default=0, help_text="MARKUP: % on the CPO cost excl. VAT"
    )
    session_fee = money_field(default=0, help_text="MARKUP: added once per CDR, excl. VAT")
    vat_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=0, help_text="VAT % on the driver price"
    )
    tariff = models.JSONField(
        null=True, blank=True, help_text="TARIFF: the OCPI tariff document the driver pays"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contract_id"]

    def __str__(self):
        return f"{self.contract_id} {self.name}"

    def save(self, *args, **kwargs):
        # contract_id is a CiString: one spelling in storage makes the lookup exact.
        self.contract_id = self.contract_id.upper()
        super().save(*args, **kwargs)

    def clean(self):
        if self.method != self.Method.TARIFF:
            return
        if not isinstance(self.tariff, dict) or not self.tariff.get("currency"):
            raise ValidationError({"tariff": "A TARIFF contract needs a tariff with a currency"})
        try:
            compile_tariff(self.tariff)
        except PricingInputError as error:
            raise ValidationError({"tariff": str(error)}) from None


class DriverPrice(models.Model):
    """What the driver pays for one CDR under their contract; net + VAT == gross."""

    cdr = models.OneToOneField(
        "ocpi_cdrs.Cdr", primary_key=True, on_delete=models.CASCADE, related_name="driver_price"
    )
    contract = models.ForeignKey(
        DriverContract, null=True, on_delete=models.SET_NULL, related_name="prices"
    )
    method = models.CharField(max_length=6, choices=DriverContract.Method.choices)
    currency = models.CharField(max_length=3)
    excl_vat = money_field()
    incl_vat = money_field()
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2)
    explanation = models.TextField()
    priced_at = models.DateTimeField()

    class Meta:
        ordering = ["-priced_at"]

    def __str__(self):
        return f"{self.cdr_id} {self.excl_vat} {self.currency}"


# Decisions on mismatched CDRs live in their own module; imported here so Django finds the model.
from billing.disputes import Dispute  # noqa: E402, F401
from billing.partner_invoices import PartnerInvoice  # noqa: E402, F401
