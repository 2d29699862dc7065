"""Charging sessions: a partner CPO's (received) and our CPO's (produced by the charge points)."""

from django.db import models

from ocpi.objects import OcpiObject


class Session(OcpiObject):
    class Status(models.TextChoices):
        ACTIVE = "ACTIVE"
        COMPLETED = "COMPLETED"
        INVALID = "INVALID"
        PENDING = "PENDING"
        RESERVATION = "RESERVATION"

    status = models.CharField(max_length=11, choices=Status.choices, db_index=True)
    start_date_time = models.DateTimeField(db_index=True)
    end_date_time = models.DateTimeField(null=True, blank=True)
    location_id = models.CharField(max_length=36, db_index=True)
    evse_uid = models.CharField(max_length=36)
    kwh = models.DecimalField(max_digits=18, decimal_places=4)
    # The token that started the session.
    token_country_code = models.CharField(max_length=2)
    token_party_id = models.CharField(max_length=3)
    token_uid = models.CharField(max_length=36, db_index=True)
    contract_id = models.CharField(max_length=36, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "ocpi_id"], name="session_unique_key"
            )
        ]
        indexes = [models.Index(fields=["token_country_code", "token_party_id"])]
