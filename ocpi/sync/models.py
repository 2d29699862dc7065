"""What synchronisation remembers: how far each pull got, and every push to a partner."""

from django.db import models

from ocpi.models import Connection, OwnParty


class SyncState(models.Model):
    """The pull of one module from one partner: its watermark and how the last run went."""

    connection = models.ForeignKey(Connection, related_name="sync_states", on_delete=models.CASCADE)
    module = models.CharField(max_length=32)
    # The start of the last successful run: the next run asks for changes since then.
    watermark = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True, help_text="Counts of the last run")

    class Meta:
        ordering = ["connection", "module"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "module"], name="sync_state_unique")
        ]

    def __str__(self):
        return f"{self.connection} {self.module}"


class PushDelivery(models.Model):
    """One change of our own object, sent to one partner's receiver endpoint."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    connection = models.ForeignKey(
        Connection, related_name="push_deliveries", on_delete=models.CASCADE
    )
    party = models.ForeignKey(
        OwnParty, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    # The partner's party the change is meant for (OCPI-to-* headers); blank: none named.
    to_country_code = models.CharField(max_length=2, blank=True)
    to_party_id = models.CharField(max_length=3, blank=True)
    module = models.CharField(max_length=32)
    method = models.CharField(max_length=7)
    url = models.URLField(max_length=500)
    body = models.JSONField(null=True, blank=True)
    # Deliveries with the same key (one object) reach the partner in the order they were made.
    object_key = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "push deliveries"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["connection", "object_key", "status", "id"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self):
        return f"{self.method} {self.url} ({self.status})"
