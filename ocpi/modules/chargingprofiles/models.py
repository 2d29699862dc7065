"""Charging profiles (mod_charging_profiles): smart charging requests on a running session.

Like commands, each request is answered at once (ChargingProfileResponse) and resulted later by a
POST to the requester's response_url (see ocpi.asyncresults). RECEIVED requests came from a
partner to our CPO; SENT requests went from our eMSP to a partner CPO.
"""

from django.db import models

from ocpi.asyncresults import AsyncRequest
from ocpi.models import Connection, OwnParty


class ChargingProfileResponseType(models.TextChoices):
    ACCEPTED = "ACCEPTED"
    NOT_SUPPORTED = "NOT_SUPPORTED"
    REJECTED = "REJECTED"
    TOO_OFTEN = "TOO_OFTEN"
    UNKNOWN_SESSION = "UNKNOWN_SESSION"


class ChargingProfileResultType(models.TextChoices):
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    UNKNOWN = "UNKNOWN"


class ChargingProfileRequest(AsyncRequest):
    class Kind(models.TextChoices):
        SET = "set", "set charging profile (PUT)"
        GET = "get", "get active charging profile (GET)"
        CLEAR = "clear", "clear charging profile (DELETE)"

    connection = models.ForeignKey(
        Connection, on_delete=models.PROTECT, related_name="charging_profile_requests"
    )
    party = models.ForeignKey(
        OwnParty, on_delete=models.PROTECT, related_name="charging_profile_requests"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    session_id = models.CharField(max_length=36)
    request = models.JSONField(
        default=dict, blank=True, help_text="SetChargingProfile, or the GET/DELETE parameters"
    )
    response_result = models.CharField(
        max_length=15, choices=ChargingProfileResponseType.choices, blank=True
    )
    timeout = models.PositiveIntegerField(default=0)
    result = models.CharField(max_length=8, choices=ChargingProfileResultType.choices, blank=True)
    result_document = models.JSONField(
        null=True, blank=True, help_text="The result object (with the profile, for GET)"
    )

    class Meta(AsyncRequest.Meta):
        pass

    def __str__(self):
        return f"{self.get_kind_display()} {self.session_id} {self.uid}"


class ActiveChargingProfile(models.Model):
    """The latest ActiveChargingProfile a partner CPO reported for one of its sessions: pushed
    unsolicited (PUT on our Sender interface) or as the result of our GET."""

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="active_charging_profiles"
    )
    session_id = models.CharField(max_length=36, help_text="Upper-cased: CiString")
    document = models.JSONField()
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "session_id"], name="active_charging_profile_unique"
            )
        ]
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.connection} {self.session_id}"
