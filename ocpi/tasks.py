"""Celery tasks of the ocpi app itself: thin, take ids, idempotent."""

from celery import shared_task


@shared_task
def run_partner_check(check_id: int) -> None:
    """Run a partner check the portal queued; a finished one is not run again."""
    from ocpi.check import partner_check_complete

    partner_check_complete(check_id=check_id)
