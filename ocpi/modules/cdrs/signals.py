"""Signals of the CDRs module."""

from django.dispatch import Signal

# Sent once a CDR (a partner's or one of ours) is committed: sender=Cdr, cdr=<the Cdr>.
# Billing prices it in response.
cdr_stored = Signal()
