"""Billing's reactions to the OCPI modules."""

from billing.tasks import cdr_price_task, tariff_waiting_cdrs_price_task


def price_stored_cdr(sender, cdr, **kwargs) -> None:
    """A CDR was stored (a partner's or ours): price it once the storing transaction commits."""
    cdr_price_task.delay_on_commit(cdr.pk)


def price_cdrs_waiting_for_tariff(sender, tariff, **kwargs) -> None:
    """A tariff version was stored: price the CDRs left unpriceable without it."""
    tariff_waiting_cdrs_price_task.delay_on_commit(tariff.pk)
