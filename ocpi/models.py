"""Our own OCPI parties, the partner connections and the traffic log."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone

from ocpi import tokens


class Role(models.TextChoices):
    CPO = "CPO"
    EMSP = "EMSP"
    HUB = "HUB"
    NAP = "NAP"
    NSP = "NSP"
    OTHER = "OTHER"
    SCSP = "SCSP"


# The role on the other side of a module: what a CPO sends, an eMSP receives, and back.
COUNTERPART_ROLE = {Role.CPO: Role.EMSP, Role.EMSP: Role.CPO}


class OwnParty(models.Model):
    """One of the OCPI parties this installation operates (a CPO, an eMSP, or both)."""

    country_code = models.CharField(max_length=2)
    party_id = models.CharField(max_length=3)
    role = models.CharField(max_length=5, choices=Role.choices)
    name = models.CharField(max_length=100)
    website = models.URLField(blank=True)

    class Meta:
        verbose_name_plural = "own parties"
        constraints = [
            models.UniqueConstraint(
                fields=["country_code", "party_id", "role"], name="own_party_unique"
            )
        ]
        ordering = ["country_code", "party_id", "role"]

    def __str__(self):
        return f"{self.code} {self.role}"

    @property
    def code(self) -> str:
        return f"{self.country_code}-{self.party_id}"

    def credentials_role(self) -> dict:
        business_details = {"name": self.name}
        if self.website:
            business_details["website"] = self.website
        return {
            "role": self.role,
            "business_details": business_details,
            "party_id": self.party_id,
            "country_code": self.country_code,
        }


class Connection(models.Model):
    """A partner platform we roam with, in either direction of the credentials handshake."""

    INBOUND_TOKEN_FIELDS = (
        "inbound_token_hash",
        "previous_inbound_token_hash",
        "previous_inbound_token_expires_at",
    )

    class Status(models.TextChoices):
        PENDING = "pending"  # token A issued or received, handshake not done
        REGISTERED = "registered"
        SUSPENDED = "suspended"  # kept, but no traffic either way
        CLOSED = "closed"  # unregistered

    name = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    versions_url = models.URLField(max_length=255, blank=True)
    version = models.CharField(max_length=10, blank=True, help_text="Negotiated OCPI version")
    version_url = models.URLField(max_length=255, blank=True)
    endpoints = models.JSONField(default=list, blank=True, help_text="Their version details")
    inbound_token_hash = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="SHA-256 of the token the partner uses towards us",
    )
    # While we rotate the partner's token, the one it used until then keeps working until it
    # first uses the new one or this moment passes (OCPI_TOKEN_GRACE_SECONDS after the rotation).
    previous_inbound_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    previous_inbound_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    outbound_token_encrypted = models.TextField(
        blank=True, editable=False, help_text="The token we use towards the partner, encrypted"
    )
    plain_token = models.BooleanField(
        default=False,
        help_text="Partner sends and expects the token without base64 (OCPI 2.1.1 style)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    registered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def identifier(self) -> str:
        """How commands name this connection: its first party's CC-PID, else its database id."""
        first = self.parties.order_by("id").first()
        return first.code if first else str(self.pk)

    def set_inbound_token(self, token: str | None) -> None:
        """The partner's token towards us from now on; any other stops working at once."""
        self.inbound_token_hash = tokens.hash_token(token) if token else None
        self.previous_inbound_token_hash = ""
        self.previous_inbound_token_expires_at = None

    def rotate_inbound_token(self, token: str) -> None:
        """The partner's new token; the current one keeps working for a grace period (requests
        it has under way, until it stores the new one)."""
        previous = self.inbound_token_hash
        self.set_inbound_token(token)
        self.previous_inbound_token_hash = previous or ""
        self.previous_inbound_token_expires_at = timezone.now() + timedelta(
            seconds=settings.OCPI_TOKEN_GRACE_SECONDS
        )

    def cancel_inbound_token_rotation(self) -> None:
        """Back to the token used before rotate_inbound_token (the partner never got the new)."""
        self.inbound_token_hash = self.previous_inbound_token_hash or None
        self.previous_inbound_token_hash = ""
        self.previous_inbound_token_expires_at = None

    @property
    def outbound_token(self) -> str:
        return (
            tokens.decrypt_token(self.outbound_token_encrypted)
            if self.outbound_token_encrypted
            else ""
        )

    @outbound_token.setter
    def outbound_token(self, token: str) -> None:
        self.outbound_token_encrypted = tokens.encrypt_token(token) if token else ""

    def endpoint_url(self, identifier: str, role: str) -> str | None:
        """Their URL for a module in an interface role (2.2.1), or None if they have none."""
        for endpoint in self.endpoints or []:
            if endpoint.get("identifier") == identifier and endpoint.get("role", role) == role:
                return endpoint.get("url")
        return None

    def owns_party(self, country_code: str, party_id: str) -> bool:
        """Whether the connection holds this party code (in any role) and may act for it."""
        return any(
            p.released_at is None
            and p.country_code.upper() == country_code.upper()
            and p.party_id.upper() == party_id.upper()
            for p in self.parties.all()
        )

    def mark_registered(self) -> None:
        self.status = self.Status.REGISTERED
        self.registered_at = timezone.now()


class ConnectionParty(models.Model):
    """A party+role the partner's credentials carry (a platform or hub brings several).

    A party belongs to one connection at a time: the database refuses a second held row of the
    same country_code, party_id and role. A closed connection keeps its rows, released, as a
    record of whom it spoke for. Codes are stored upper-case (CiString).
    """

    connection = models.ForeignKey(Connection, related_name="parties", on_delete=models.CASCADE)
    country_code = models.CharField(max_length=2)
    party_id = models.CharField(max_length=3)
    role = models.CharField(max_length=5, choices=Role.choices)
    business_details = models.JSONField(default=dict, blank=True)
    released_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When its connection closed and the party became free for another one",
    )

    class Meta:
        verbose_name_plural = "connection parties"
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "country_code", "party_id", "role"],
                name="connection_party_unique",
            ),
            models.UniqueConstraint(
                Upper("country_code"),
                Upper("party_id"),
                F("role"),
                condition=Q(released_at__isnull=True),
                name="party_held_by_one_connection",
                violation_error_message="This party belongs to another connection.",
            ),
        ]
        indexes = [models.Index(fields=["country_code", "party_id"])]

    def __str__(self):
        return f"{self.code} {self.role}"

    @property
    def code(self) -> str:
        return f"{self.country_code}-{self.party_id}"


class PartyMove(models.Model):
    """Audit record: a staff member moved a party from one connection to another."""

    country_code = models.CharField(max_length=2)
    party_id = models.CharField(max_length=3)
    role = models.CharField(max_length=5, choices=Role.choices)
    from_connection = models.ForeignKey(
        Connection,
        null=True,
        blank=True,
        related_name="parties_moved_away",
        on_delete=models.PROTECT,
        help_text="Empty when no connection held the party",
    )
    to_connection = models.ForeignKey(
        Connection, related_name="parties_moved_in", on_delete=models.PROTECT
    )
    reason = models.TextField()
    moved_by = models.CharField(max_length=150, help_text="The staff member who moved it")
    moved_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-moved_at", "-id"]

    def __str__(self):
        return f"{self.code} {self.role} moved to {self.to_connection} by {self.moved_by}"

    @property
    def code(self) -> str:
        return f"{self.country_code}-{self.party_id}"


class TrafficLog(models.Model):
    """One OCPI call, inbound or outbound, with capped bodies and no secrets."""

    class Direction(models.TextChoices):
        INBOUND = "in"
        OUTBOUND = "out"

    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    connection = models.ForeignKey(
        Connection, null=True, blank=True, related_name="traffic", on_delete=models.SET_NULL
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    method = models.CharField(max_length=7)
    url = models.CharField(max_length=500)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    ocpi_status = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    request_id = models.CharField(max_length=64, blank=True)
    correlation_id = models.CharField(max_length=64, blank=True)
    request_body = models.TextField(blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Quirks of the partner's call we tolerated (ocpi.transport.tolerance), one line each.
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["connection", "-timestamp"])]

    def __str__(self):
        return f"{self.direction} {self.method} {self.url} {self.http_status}"


class PartnerCheck(models.Model):
    """One run of the partner check (ocpi.check): its report, one line per check, kept with the
    connection. Queued from the portal it exists before it runs; finished_at marks it done."""

    connection = models.ForeignKey(Connection, related_name="checks", on_delete=models.CASCADE)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # [{"check": ..., "result": "pass" | "warn" | "fail", "seen": ...}, ...] in the order run.
    lines = models.JSONField(default=list, blank=True)
    # {"pass": n, "warn": n, "fail": n}
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["connection", "-requested_at"])]

    def __str__(self):
        return f"Check of {self.connection} at {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def state(self) -> str:
        """queued (waiting for a worker), running, or finished."""
        if self.finished_at is not None:
            return "finished"
        return "running" if self.started_at is not None else "queued"
