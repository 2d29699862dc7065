"""Disputes: what we decided about a CDR whose partner price differs from ours.

A mismatch is either accepted (the partner's price stands and is paid) or claimed (we pay our
price and claim the difference from the partner). The decision, its note and who made it are
kept; a CDR is decided once.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from billing.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS


class DisputeError(Exception):
    """The CDR cannot be disputed: not a mismatch, or already decided."""


class Dispute(models.Model):
    class Resolution(models.TextChoices):
        ACCEPTED = "ACCEPTED", "Accepted: the partner's price stands"
        CLAIMED = "CLAIMED", "Claimed: we pay our price and claim the difference"

    cdr = models.OneToOneField(
        "ocpi_cdrs.Cdr", primary_key=True, on_delete=models.CASCADE, related_name="dispute"
    )
    resolution = models.CharField(max_length=8, choices=Resolution.choices)
    currency = models.CharField(max_length=3)
    # Excl. VAT, as the verdict compares them; the claimed amount is their difference.
    partner_amount = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES
    )
    our_amount = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES
    )
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.cdr_id} {self.resolution}"

    @property
    def difference(self) -> Decimal:
        """What the partner charged above our price."""
        return self.partner_amount - self.our_amount

    @property
    def claimed_amount(self) -> Decimal:
        return self.difference if self.resolution == self.Resolution.CLAIMED else Decimal(0)


@transaction.atomic
def dispute_decide(*, cdr_id: int, resolution: str, note: str, user) -> Dispute:
    """Record the decision on a mismatched CDR; raises DisputeError when it cannot be made."""
    from billing.models import PricedCdr

    priced = PricedCdr.objects.select_for_update().select_related("cdr").filter(pk=cdr_id).first()
    if priced is None or priced.verdict != priced.Verdict.MISMATCH:
        raise DisputeError("Only a CDR whose price differs from ours can be disputed.")
    if Dispute.objects.filter(cdr_id=cdr_id).exists():
        raise DisputeError("This CDR has already been decided.")
    if resolution not in Dispute.Resolution.values:
        raise DisputeError(f"Unknown decision {resolution!r}.")
    return Dispute.objects.create(
        cdr_id=cdr_id,
        resolution=resolution,
        currency=priced.currency,
        partner_amount=priced.cdr.total_cost_excl_vat,
        our_amount=priced.total_cost_excl_vat or Decimal(0),
        note=note.strip(),
        decided_by=user,
        decided_at=timezone.now(),
    )
