"""Charge detail records: a partner CPO's (received) and our CPO's (created), immutable."""

from django.db import models

from ocpi.objects import OcpiObject


class Cdr(OcpiObject):
    """One CDR. The document is the CDR as received or created; the columns are what queries
    and billing need. Billing keeps its own tables pointing here."""

    start_date_time = models.DateTimeField(db_index=True)
    end_date_time = models.DateTimeField(db_index=True)
    session_id = models.CharField(max_length=36, blank=True, db_index=True)
    location_id = models.CharField(max_length=36, db_index=True)
    evse_uid = models.CharField(max_length=36, blank=True)
    # The token that started the session: its eMSP is who pays.
    token_country_code = models.CharField(max_length=2)
    token_party_id = models.CharField(max_length=3)
    token_uid = models.CharField(max_length=36, db_index=True)
    contract_id = models.CharField(max_length=36, db_index=True)
    currency = models.CharField(max_length=3, db_index=True)
    total_cost_excl_vat = models.DecimalField(max_digits=18, decimal_places=4)
    total_cost_incl_vat = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True
    )
    total_energy = models.DecimalField(max_digits=18, decimal_places=4)
    total_time = models.DecimalField(max_digits=18, decimal_places=4)
    credit = models.BooleanField(default=False)
    credit_reference_id = models.CharField(max_length=39, blank=True)
    # Rules of the spec the document breaks but that nothing here relies on ("field: message").
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "CDR"
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "ocpi_id"], name="cdr_unique_key"
            )
        ]
        indexes = [models.Index(fields=["token_country_code", "token_party_id"])]
