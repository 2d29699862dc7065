"""Hub client info: the connection status of the parties a hub routes to (mod_hub_client_info)."""

from django.db import models

from ocpi.objects import OcpiObject


class ClientInfo(OcpiObject):
    """One party behind a hub. The key is country_code, party_id and role (stored as ocpi_id):
    a hub reports a platform's CPO and eMSP under the same country code and party id."""

    class ConnectionStatus(models.TextChoices):
        CONNECTED = "CONNECTED"
        OFFLINE = "OFFLINE"
        PLANNED = "PLANNED"
        SUSPENDED = "SUSPENDED"

    status = models.CharField(max_length=9, choices=ConnectionStatus.choices)

    class Meta:
        verbose_name = "hub client info"
        verbose_name_plural = "hub client info"
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "ocpi_id"], name="client_info_unique"
            )
        ]
        ordering = ["country_code", "party_id", "ocpi_id"]

    @property
    def role(self) -> str:
        return self.ocpi_id
