"""Celery tasks of synchronisation: thin, take ids, idempotent, retried with backoff. Services
are imported inside the tasks because the services queue these tasks."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from ocpi.client import OcpiClientError

# A failed pull is tried again after 30 s, 60 s, 120 s, ... (up to OCPI_PULL_MAX_RETRIES times).
PULL_RETRY_BASE_SECONDS = 30
# Pending deliveries younger than this are left to the task queued when they were made.
PUSH_SWEEP_AGE_SECONDS = 60


@shared_task(bind=True, max_retries=None)
def pull_partner_module(self, connection_id: int, module: str) -> dict | None:
    """Scheduled pull of one module from one partner."""
    from ocpi.sync.pull import module_pull_scheduled

    try:
        return module_pull_scheduled(connection_id=connection_id, module=module)
    except OcpiClientError as exc:
        raise self.retry(
            exc=exc,
            countdown=PULL_RETRY_BASE_SECONDS * 2**self.request.retries,
            max_retries=settings.OCPI_PULL_MAX_RETRIES,
        ) from exc


@shared_task(bind=True, max_retries=None)
def deliver_push(self, delivery_id: int) -> None:
    """Deliver a push, and the older pending ones of the same object before it."""
    from ocpi.sync.push import push_delivery_send

    wait = push_delivery_send(delivery_id=delivery_id)
    # Run eagerly (no broker) a retry would not wait: the sweep picks the delivery up instead.
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=wait)


@shared_task
def retry_pending_pushes() -> int:
    """Periodic sweep: queue pending deliveries whose task was lost or never waited."""
    from ocpi.sync.push import push_deliveries_queue_due

    return push_deliveries_queue_due(older_than=timedelta(seconds=PUSH_SWEEP_AGE_SECONDS))


@shared_task
def purge_traffic_log() -> int:
    from ocpi.traffic import purge_expired

    return purge_expired()


@shared_task
def refresh_schedules() -> dict:
    from ocpi.sync.schedules import schedules_write

    return schedules_write()
