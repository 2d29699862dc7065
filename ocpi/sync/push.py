"""Pushing changes of our own objects to partners' receiver endpoints.

A change becomes one PushDelivery per partner connection, written in the caller's transaction and
queued once it commits. Where a change goes and which object it belongs to come from the
module's declaration (`OcpiModule.object_path`, `OcpiModule.push_key`). Deliveries of one object
(connection + object_key) reach the partner in the order they were made: whoever delivers takes
the oldest pending one of that key, under a row lock, so two workers never send the same object
at the same time. A failed attempt waits OCPI_PUSH_BACKOFF_SECONDS * 2**attempts; after
OCPI_PUSH_MAX_ATTEMPTS the delivery is marked failed with the last error and the next change of
the object goes ahead.

Each delivery names the partner's party it is meant for (OCPI-to-* headers): the one the object's
declared `recipient_field` names (a session's or CDR's eMSP), else each of the partner's parties
of the receiving role. The OCPI-from-* headers name our party the object belongs to.

A change for a suspended partner is held: it is recorded, not attempted, and goes out, in order,
when the partner is resumed (`push_deliveries_release`).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ocpi.client import OcpiClient, OcpiClientError
from ocpi.endpoints import RECEIVER
from ocpi.models import Connection, OwnParty
from ocpi.registry import OcpiModule
from ocpi.sync.models import PushDelivery
from ocpi.sync.tasks import deliver_push

logger = logging.getLogger(__name__)

# Partners whose changes are recorded: registered ones get them at once, suspended ones on resume.
PUSHED_STATUSES = (Connection.Status.REGISTERED, Connection.Status.SUSPENDED)
# How long to wait before looking again when another worker is delivering the same object.
BUSY_RETRY_SECONDS = 1.0


def object_push(
    *,
    module: OcpiModule,
    party: OwnParty,
    method: str,
    document: dict,
    body: dict,
    parts: tuple[str, ...] = (),
) -> None:
    """Queue one change of our object for every registered partner with a receiver endpoint
    for `module`.

    `document` is the object as stored (it says where the change goes and which object it
    belongs to); `body` is what is sent: the document, a PATCH, or {} for nothing (a DELETE).
    `parts` address a part of the object, e.g. an EVSE's uid under its location.
    """
    path = module.object_path(document, *parts)
    object_key = module.push_key(document)
    recipient = _named_recipient(module, document)
    deliveries = []
    connections = Connection.objects.filter(status__in=PUSHED_STATUSES).prefetch_related("parties")
    for connection in connections:
        endpoint = connection.endpoint_url(module.identifier, RECEIVER)
        if not endpoint:
            continue
        for to_party in _recipients(connection, module, recipient):
            deliveries.append(
                PushDelivery.objects.create(
                    connection=connection,
                    party=party,
                    to_country_code=to_party.country_code if to_party else "",
                    to_party_id=to_party.party_id if to_party else "",
                    module=module.identifier,
                    method=method,
                    url=endpoint.rstrip("/") + path,
                    body=body,
                    object_key=object_key,
                )
            )
    for delivery in deliveries:
        if delivery.connection.status == Connection.Status.REGISTERED:
            _queue(delivery.pk)


def _named_recipient(module: OcpiModule, document: dict) -> tuple[str, str] | None:
    """(country_code, party_id) of the one party the object is meant for, if it names one."""
    field = module.objects.recipient_field
    named = document.get(field) if field else None
    if not isinstance(named, dict) or not named.get("country_code") or not named.get("party_id"):
        return None
    return named["country_code"].upper(), named["party_id"].upper()


def _recipients(connection: Connection, module: OcpiModule, recipient) -> list:
    """The partner's parties a change goes to: the named one if this partner has it (no one
    else may see it), else each of its parties of the receiving role (or, having none, the
    partner without a party named)."""
    receiving = [p for p in connection.parties.all() if p.role == module.receiver_role]
    if module.objects.recipient_field:
        return [
            p
            for p in receiving
            if recipient and (p.country_code.upper(), p.party_id.upper()) == recipient
        ]
    return receiving or [None]


def _queue(delivery_id: int) -> None:
    deliver_push.delay_on_commit(delivery_id)


def push_delivery_send(*, delivery_id: int) -> float | None:
    """Deliver, oldest first, the pending deliveries of this delivery's object to its partner.

    Returns the seconds to wait before calling again when something is left to do (a failed
    attempt waiting for its backoff, or another worker busy with the object), else None.
    """
    delivery = PushDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status != PushDelivery.Status.PENDING:
        return None
    pending = PushDelivery.objects.filter(
        connection_id=delivery.connection_id,
        object_key=delivery.object_key,
        status=PushDelivery.Status.PENDING,
    )
    while True:
        with transaction.atomic():
            head = pending.order_by("id").first()
            if head is None:
                return None
            locked = (
                PushDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("connection", "party")
                .filter(pk=head.pk)
                .first()
            )
            if locked is None:
                return BUSY_RETRY_SECONDS
            if locked.status != PushDelivery.Status.PENDING:
                continue  # delivered by another worker since we looked
            now = timezone.now()
            if locked.next_attempt_at and locked.next_attempt_at > now:
                return (locked.next_attempt_at - now).total_seconds()
            if locked.connection.status == Connection.Status.SUSPENDED:
                return None  # held: push_deliveries_release queues it on resume
            _attempt(locked)
            if locked.status == PushDelivery.Status.PENDING:
                return max((locked.next_attempt_at - timezone.now()).total_seconds(), 0.0)


def _attempt(delivery: PushDelivery) -> None:
    """Send one delivery once and record the outcome on it."""
    connection = delivery.connection
    delivery.attempts += 1
    if connection.status != Connection.Status.REGISTERED:
        error, final = f"Connection is {connection.status}, not registered", True
    else:
        error = _send(delivery)
        final = delivery.attempts >= settings.OCPI_PUSH_MAX_ATTEMPTS
    now = timezone.now()
    if not error:
        delivery.status = PushDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.last_error = ""
        delivery.next_attempt_at = None
    elif final:
        delivery.status = PushDelivery.Status.FAILED
        delivery.last_error = error
        delivery.next_attempt_at = None
        logger.warning("Push %s to %s failed for good: %s", delivery.pk, connection, error)
    else:
        delivery.last_error = error
        delivery.next_attempt_at = now + timedelta(
            seconds=settings.OCPI_PUSH_BACKOFF_SECONDS * 2**delivery.attempts
        )
    delivery.save()


def _send(delivery: PushDelivery) -> str:
    """Send the delivery; returns the error, or an empty string when the partner accepted it."""
    client = OcpiClient(
        delivery.connection,
        from_party=delivery.party,
        to_party=(delivery.to_country_code, delivery.to_party_id)
        if delivery.to_country_code
        else None,
    )
    try:
        # One call per attempt: the backoff between attempts is ours, not the client's. An empty
        # body (a DELETE) is sent as no body at all.
        reply = client.request(delivery.method, delivery.url, body=delivery.body or None, retries=0)
    except OcpiClientError as exc:
        return str(exc)
    return "" if reply.ok else reply.summary


def push_deliveries_release(*, connection: Connection) -> int:
    """Queue, once the caller's transaction commits, the oldest pending delivery of each object
    held for a partner (suspended, now resumed); returns how many objects have some."""
    held = (
        PushDelivery.objects.filter(connection=connection, status=PushDelivery.Status.PENDING)
        .order_by("id")
        .values_list("pk", "object_key")
    )
    seen = set()
    for delivery_id, key in held.iterator():
        if key not in seen:
            seen.add(key)
            _queue(delivery_id)
    return len(seen)


def push_deliveries_queue_due(*, older_than: timedelta) -> int:
    """Queue the oldest pending delivery of every object whose next attempt is due.

    The safety net for lost task messages and deliveries left behind when tasks ran eagerly.
    Deliveries younger than `older_than` are left to the task queued when they were made.
    """
    now = timezone.now()
    due = (
        PushDelivery.objects.filter(
            status=PushDelivery.Status.PENDING,
            created_at__lt=now - older_than,
            connection__status=Connection.Status.REGISTERED,
        )
        .exclude(next_attempt_at__gt=now)
        .order_by("id")
        .values_list("pk", "connection_id", "object_key")
    )
    seen = set()
    for delivery_id, connection_id, key in due.iterator():
        if (connection_id, key) not in seen:
            seen.add((connection_id, key))
            _queue(delivery_id)
    return len(seen)


@transaction.atomic
def push_deliveries_retry(*, delivery_ids: list[int]) -> int:
    """Give failed deliveries a fresh set of attempts; returns how many were queued again.

    A failed change is sent again only while no later change of the same object has reached the
    partner: sending it after one would roll the partner's copy back.
    """
    overtaken = PushDelivery.objects.filter(
        connection_id=OuterRef("connection_id"),
        object_key=OuterRef("object_key"),
        pk__gt=OuterRef("pk"),
        status=PushDelivery.Status.DELIVERED,
    )
    failed = (
        PushDelivery.objects.select_for_update()
        .filter(pk__in=delivery_ids, status=PushDelivery.Status.FAILED)
        .exclude(Exists(overtaken))
    )
    queued = [delivery.pk for delivery in failed]
    PushDelivery.objects.filter(pk__in=queued).update(
        status=PushDelivery.Status.PENDING, attempts=0, next_attempt_at=None, last_error=""
    )
    for delivery_id in queued:
        _queue(delivery_id)
    return len(queued)
