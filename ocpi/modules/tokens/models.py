"""Tokens: our eMSP's (sent to CPOs) and partner eMSPs' (cached by our CPO for authorization)."""

from django.db import models

from ocpi.objects import OcpiObject


class Token(OcpiObject):
    """A token; `ocpi_id` holds its uid. A token is identified by uid and type together."""

    class Type(models.TextChoices):
        AD_HOC_USER = "AD_HOC_USER"
        APP_USER = "APP_USER"
        OTHER = "OTHER"
        RFID = "RFID"

    class Whitelist(models.TextChoices):
        ALWAYS = "ALWAYS"
        ALLOWED = "ALLOWED"
        ALLOWED_OFFLINE = "ALLOWED_OFFLINE"
        NEVER = "NEVER"

    token_type = models.CharField(max_length=11, choices=Type.choices, db_index=True)
    contract_id = models.CharField(max_length=36, db_index=True)
    valid = models.BooleanField(db_index=True)
    whitelist = models.CharField(max_length=15, choices=Whitelist.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "ocpi_id", "token_type"],
                name="token_unique_key",
            )
        ]
        # Real-time authorization looks a token up by uid and type, whatever its party.
        indexes = [models.Index(fields=["ocpi_id", "token_type"])]
