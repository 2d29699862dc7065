"""Commands (mod_commands): requests to a charge point, answered at once, resulted later.

One model holds both directions: commands a partner eMSP sends to our CPO (RECEIVED: we answer
with a CommandResponse, the charge point adapter executes them and we POST the CommandResult to
the partner's response_url) and commands our eMSP sends to a partner CPO (SENT: the partner
answers, then POSTs the CommandResult to the response_url we gave, which names our uid).
"""

import uuid

from django.db import models

from ocpi.models import Connection, OwnParty


class CommandType(models.TextChoices):
    CANCEL_RESERVATION = "CANCEL_RESERVATION"
    RESERVE_NOW = "RESERVE_NOW"
    START_SESSION = "START_SESSION"
    STOP_SESSION = "STOP_SESSION"
    UNLOCK_CONNECTOR = "UNLOCK_CONNECTOR"


class CommandResponseType(models.TextChoices):
    """The receiving CPO's immediate answer."""

    ACCEPTED = "ACCEPTED"
    NOT_SUPPORTED = "NOT_SUPPORTED"
    REJECTED = "REJECTED"
    UNKNOWN_SESSION = "UNKNOWN_SESSION"


class CommandResultType(models.TextChoices):
    """The charge point's result, reported later."""

    ACCEPTED = "ACCEPTED"
    CANCELED_RESERVATION = "CANCELED_RESERVATION"
    EVSE_OCCUPIED = "EVSE_OCCUPIED"
    EVSE_INOPERATIVE = "EVSE_INOPERATIVE"
    FAILED = "FAILED"
    NOT_SUPPORTED = "NOT_SUPPORTED"
    REJECTED = "REJECTED"
    TIMEOUT = "TIMEOUT"
    UNKNOWN_RESERVATION = "UNKNOWN_RESERVATION"


class Command(models.Model):
    class Direction(models.TextChoices):
        RECEIVED = "received", "received by our CPO"
        SENT = "sent", "sent by our eMSP"

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for the result"
        COMPLETED = "completed", "result known"
        NOT_ACCEPTED = "not_accepted", "not accepted: no result will follow"
        TIMED_OUT = "timed_out", "no result within the timeout"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="commands")
    # Our CPO that received it, or our eMSP that sent it.
    party = models.ForeignKey(OwnParty, on_delete=models.PROTECT, related_name="commands")
    command = models.CharField(max_length=18, choices=CommandType.choices)
    request = models.JSONField(help_text="The command object as received or sent")
    response_url = models.URLField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # The CommandResponse.
    response_result = models.CharField(
        max_length=15, choices=CommandResponseType.choices, blank=True
    )
    response_ocpi_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_message = models.JSONField(default=list, blank=True)
    timeout = models.PositiveIntegerField(default=0, help_text="Seconds, as the CPO answered")
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    # Received commands: when it was passed to the charge point adapter (once, never again).
    executed_at = models.DateTimeField(null=True, blank=True)
    # The CommandResult.
    result = models.CharField(max_length=20, choices=CommandResultType.choices, blank=True)
    result_message = models.JSONField(default=list, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)
    # Received commands: when the CommandResult reached the partner's response_url.
    result_delivered_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text="The last failed call")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.command} {self.get_direction_display()} {self.uid}"
