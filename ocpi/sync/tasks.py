"""Celery tasks of synchronisation: thin, take ids, idempotent, retried with backoff."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from ocpi import traffic
from ocpi.client import OcpiClientError
from ocpi.models import Connection
from ocpi.sync import pull, push, schedules

# A failed pull is tried again after 30 s, 60 s, 120 s, ... (up to OCPI_PULL_MAX_RETRIES times).
PULL_RETRY_BASE_SECONDS = 30


@shared_task(bind=True, max_retries=None)
def pull_partner_module(self, connection_id: int, module: str) -> dict | None:
    """Scheduled pull of one module from one partner; a partner gone or suspended is skipped."""
    connection = Connection.objects.filter(
        pk=connection_id, status=Connection.Status.REGISTERED
    ).first()
    if connection is None or module not in pull.pulled_modules(connection):
        return None
    try:
        return pull.pull_module(connection=connection, module=module)
    except OcpiClientError as exc:
        raise self.retry(
            exc=exc,
            countdown=PULL_RETRY_BASE_SECONDS * 2**self.request.retries,
            max_retries=settings.OCPI_PULL_MAX_RETRIES,
        ) from exc


@shared_task(bind=True, max_retries=None)
def deliver_push(self, delivery_id: int) -> None:
    """Deliver a push, and the older pending ones of the same object before it."""
    wait = push.deliver_object_queue(delivery_id=delivery_id)
    # Run eagerly (no broker) a retry would not wait: the sweep picks the delivery up instead.
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=wait)


@shared_task
def retry_pending_pushes() -> int:
    """Periodic sweep: queue pending deliveries whose task was lost or never waited."""
    return push.queue_due_deliveries(older_than=timedelta(minutes=1))


@shared_task
def purge_traffic_log() -> int:
    return traffic.purge_expired()


@shared_task
def refresh_schedules() -> dict:
    return schedules.write_schedules()
