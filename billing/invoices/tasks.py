"""Invoice tasks: ids in, idempotent, retried with backoff."""

from celery import shared_task
from django.db import DatabaseError

from billing.invoices import delivery, services

RETRIES = {
    "autoretry_for": (DatabaseError, OSError, delivery.DeliveryError),
    "retry_backoff": True,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**RETRIES)
def document_deliver_task(document_id: int) -> None:
    """Render an issued document's PDF (once) and e-mail it (once)."""
    delivery.document_deliver(document_id=document_id)


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=8)
def invoice_run_item_task(item_id: int) -> None:
    """Bill one account of a run; an item already done is left alone."""
    services.invoice_run_item_process(item_id=item_id)


@shared_task
def invoice_runs_due_task() -> None:
    """Hourly: start or resume the runs whose period ended (per session daily, weekly,
    monthly), and deliver documents left undelivered."""
    services.runs_due_start()
