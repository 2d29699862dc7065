"""Locations: one row per Location; its EVSEs and Connectors live inside the document."""

from django.db import models

from ocpi.objects import OcpiObject


class Location(OcpiObject):
    # Billing reads tariff restrictions in the location's local time.
    time_zone = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "ocpi_id"], name="location_key_unique"
            )
        ]
        # The sender list (a hot path): our own locations in last_updated order, counted and
        # paged from this index alone where the table is vacuumed.
        indexes = [
            models.Index(
                fields=["country_code", "party_id", "last_updated", "id"],
                name="location_own_updated",
                condition=models.Q(source__isnull=True),
            )
        ]
        ordering = ["country_code", "party_id", "ocpi_id"]
