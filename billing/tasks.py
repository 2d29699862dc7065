"""Billing tasks: ids in, idempotent, retried with backoff."""

from celery import shared_task
from django.db import DatabaseError

from billing import services


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def cdr_price_task(cdr_id: int) -> None:
    """Price a stored CDR; pricing again replaces the previous result."""
    services.cdr_price(cdr_id=cdr_id)
