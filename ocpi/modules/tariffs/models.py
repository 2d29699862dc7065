"""Tariffs: the current document per tariff, and every version received, for billing."""

from django.db import models

from ocpi.objects import OcpiObject


class Tariff(OcpiObject):
    # Set by DELETE: the tariff is no longer offered, but its versions stay for billing.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "ocpi_id"], name="tariff_key_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["country_code", "party_id", "last_updated", "id"],
                name="tariff_party_updated",
            )
        ]
        ordering = ["country_code", "party_id", "ocpi_id"]


class TariffVersion(models.Model):
    """One version of a tariff as received, valid from its last_updated until the next one's.

    Keyed by last_updated: a re-delivery of the same version replaces it; an older version that
    arrives late still takes its place in the history.
    """

    tariff = models.ForeignKey(Tariff, related_name="versions", on_delete=models.CASCADE)
    last_updated = models.DateTimeField()
    document = models.JSONField()
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tariff", "last_updated"], name="tariff_version_unique")
        ]
        ordering = ["tariff", "last_updated"]

    def __str__(self):
        return f"{self.tariff} @ {self.last_updated.isoformat()}"
