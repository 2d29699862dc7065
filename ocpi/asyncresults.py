"""Asynchronous results, as Commands and Charging Profiles use them: a request is answered at
once (the response, with a timeout) and its result follows later, POSTed to the requester's
response_url.

Each module stores one row per request, RECEIVED (by our CPO: a charge point executes it and we
deliver the result) or SENT (by our eMSP: the partner CPO POSTs the result to us). The
mechanism both share is here: the fields of such a request, handing it to the charge point once,
delivering its result with retries, sending one to a partner CPO and recording the response,
and expiring requests whose result is overdue.
"""

import uuid
from datetime import datetime, timedelta

from celery import current_app
from django.db import models
from django.utils import timezone

from ocpi.client import OcpiClient, OcpiClientError
from ocpi.models import Role


class AsyncRequest(models.Model):
    """What a request with an asynchronous result records, whichever the module."""

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
    response_url = models.URLField(max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    # Received requests: when it was passed to the charge point adapter (once, never again).
    executed_at = models.DateTimeField(null=True, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)
    # Received requests: when the result reached the requester's response_url.
    result_delivered_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text="The last failed call")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"])]


# Celery options of the tasks that deliver a result: a partner that is down gets it later.
DELIVERY_RETRIES = {
    "autoretry_for": (OcpiClientError,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 8,
    "acks_late": True,
}


def sent_request_for_update(queryset: models.QuerySet, *, connection, uid: str):
    """The request our eMSP sent on this connection that a result URL names by its uid, locked
    for the update; None if there is none (a segment that is no uuid names none)."""
    try:
        uuid.UUID(uid)
    except ValueError:
        return None
    return (
        queryset.select_for_update()
        .filter(direction=AsyncRequest.Direction.SENT, connection=connection, uid=uid)
        .first()
    )


def claim_for_execution(model: type[AsyncRequest], pk: int) -> bool:
    """Mark a pending request as handed to the charge point; False if it was handed over
    already or timed out meanwhile (a charge point must never get a request twice)."""
    return bool(
        model.objects.filter(
            pk=pk, status=AsyncRequest.Status.PENDING, result="", executed_at__isnull=True
        ).update(executed_at=timezone.now())
    )


def expire_after(expire_task, seconds: int) -> None:
    """Run the sweep for overdue requests once this one's timeout has passed (the sweep also
    runs periodically). Eager Celery has no later: there, only the periodic sweep expires."""
    if not current_app.conf.task_always_eager:
        expire_task.apply_async(countdown=seconds + 1)


def send_request(
    stored: AsyncRequest,
    method: str,
    url: str,
    *,
    response_serializer,
    body: dict | None = None,
    params: dict | None = None,
) -> tuple[dict, int | None, str]:
    """Send a request our eMSP stored to the partner CPO. Returns the partner's validated
    response (empty if there is none), the OCPI status of its answer and what went wrong."""
    cpo = stored.connection.parties.filter(role=Role.CPO).order_by("id").first()
    client = OcpiClient(
        stored.connection,
        from_party=stored.party,
        to_party=(cpo.country_code, cpo.party_id) if cpo else None,
    )
    try:
        reply = client.request(method, url, body=body, params=params)
    except OcpiClientError as exc:
        return {}, None, str(exc)
    response = response_serializer(data=reply.data if isinstance(reply.data, dict) else {})
    if not response.is_valid():
        expected = response_serializer.__name__.removesuffix("In")
        return {}, reply.ocpi_status, f"{reply.summary} (no valid {expected} in the answer)"
    return response.validated_data, reply.ocpi_status, ""


def record_response(stored: AsyncRequest, *, accepted: bool, timeout: int, expire_task) -> None:
    """The partner's immediate answer to a request we sent: if accepted, the result is due
    within `timeout` seconds; otherwise no result will follow (unless one arrived first)."""
    stored.timeout = timeout
    if accepted:
        stored.deadline = stored.created_at + timedelta(seconds=timeout)
        expire_after(expire_task, timeout)
    elif not stored.result:
        stored.status = AsyncRequest.Status.NOT_ACCEPTED


def overdue(model: type[AsyncRequest], *, now: datetime) -> models.QuerySet:
    """Requests still waiting for their result after its deadline."""
    return model.objects.filter(status=AsyncRequest.Status.PENDING, result="", deadline__lt=now)


def deliver_result(stored: AsyncRequest, body: dict, *, to_party=None) -> None:
    """POST a received request's result to the requester's response_url and record it as
    delivered. Raises OcpiClientError on failure (the task retries with backoff) after
    recording the error. A result that changed meanwhile stays undelivered: it goes next."""
    model = type(stored)
    client = OcpiClient(stored.connection, from_party=stored.party, to_party=to_party)
    try:
        client.call("POST", stored.response_url, body=body, retries=0)
    except OcpiClientError as exc:
        model.objects.filter(pk=stored.pk).update(error=str(exc)[:300])
        raise
    model.objects.filter(pk=stored.pk, result=stored.result).update(
        result_delivered_at=timezone.now(), error=""
    )
