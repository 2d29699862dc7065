"""Commands (mod_commands): requests to a charge point, answered at once, resulted later.

One model holds both directions: commands a partner eMSP sends to our CPO (RECEIVED: we answer
with a CommandResponse, the charge point adapter executes them and we POST the CommandResult to
the partner's response_url) and commands our eMSP sends to a partner CPO (SENT: the partner
answers, then POSTs the CommandResult to the response_url we gave, which names our uid).
"""

from django.db import models

from ocpi.asyncresults import AsyncRequest
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


class Command(AsyncRequest):
    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="commands")
    # Our CPO that received it, or our eMSP that sent it.
    party = models.ForeignKey(OwnParty, on_delete=models.PROTECT, related_name="commands")
    command = models.CharField(max_length=18, choices=CommandType.choices)
    request = models.JSONField(help_text="The command object as received or sent")
    # The CommandResponse.
    response_result = models.CharField(
        max_length=15, choices=CommandResponseType.choices, blank=True
    )
    response_ocpi_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_message = models.JSONField(default=list, blank=True)
    timeout = models.PositiveIntegerField(default=0, help_text="Seconds, as the CPO answered")
    # The CommandResult.
    result = models.CharField(max_length=20, choices=CommandResultType.choices, blank=True)
    result_message = models.JSONField(default=list, blank=True)

    class Meta(AsyncRequest.Meta):
        pass

    def __str__(self):
        return f"{self.command} {self.get_direction_display()} {self.uid}"
