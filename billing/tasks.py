"""Billing tasks: ids in, idempotent, retried with backoff."""

from celery import shared_task
from django.db import DatabaseError

# Celery options of the pricing tasks: a database that is briefly unavailable prices them later.
DATABASE_RETRIES = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**DATABASE_RETRIES)
def cdr_price_task(cdr_id: int) -> None:
    """Price a stored CDR; pricing again replaces the previous result."""
    from billing.services import cdr_price

    cdr_price(cdr_id=cdr_id)


@shared_task(**DATABASE_RETRIES)
def tariff_waiting_cdrs_price_task(tariff_pk: int) -> None:
    """Price the CDRs left unpriceable for want of a tariff that is now stored."""
    from billing.services import tariff_waiting_cdrs_price

    tariff_waiting_cdrs_price(tariff_pk=tariff_pk)
