"""Billing's reactions to the OCPI modules."""

from billing.tasks import cdr_price_task


def price_stored_cdr(sender, cdr, **kwargs) -> None:
    """A CDR was stored (a partner's or ours): price it once the storing transaction commits."""
    cdr_price_task.delay_on_commit(cdr.pk)
