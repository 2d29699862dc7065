"""Celery tasks of synchronisation: thin, take ids, idempotent, retried with backoff."""

from datetime import timedelta

from celery import shared_task

from ocpi import traffic
from ocpi.sync import push


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
