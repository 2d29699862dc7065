"""Pricing of stored CDRs: the tariffs and time zone a CDR is priced with, the verdict against the
partner's own price, and the driver's price. The engine itself lives in `billing.pricing`."""
