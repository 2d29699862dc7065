"""Signals of the tariffs module."""

from django.dispatch import Signal

# Sent once a tariff version (a partner's or one of ours) is committed: sender=Tariff,
# tariff=<the Tariff>. Billing prices again the CDRs that were waiting for it.
tariff_stored = Signal()
