"""OCPI 2.2.1 tariff pricing: a pure engine, no Django and no I/O.

    tariff = compile_tariff(tariff_json)          # once, reuse for many CDRs
    priced = price_cdr(cdr_json, [tariff], tz=ZoneInfo("Europe/Amsterdam"))
    priced.total_cost.incl_vat, priced.to_json()

The semantics, with worked examples, are in docs/pricing.md.
"""

from .engine import price_cdr
from .options import DEFAULT_OPTIONS, DurationOrigin, FlatFeeMoment, PricingOptions
from .result import Charge, Price, PricedCdr, PricingWarning
from .tariff import (
    NO_TAXES,
    TAXES_EXCLUDED,
    TAXES_INCLUDED,
    PriceComponent,
    Tariff,
    compile_tariff,
)
from .values import PricingInputError
from .zones import COUNTRY_ZONES, zone_for_country

__all__ = [
    "COUNTRY_ZONES",
    "DEFAULT_OPTIONS",
    "NO_TAXES",
    "TAXES_EXCLUDED",
    "TAXES_INCLUDED",
    "Charge",
    "DurationOrigin",
    "FlatFeeMoment",
    "Price",
    "PriceComponent",
    "PricedCdr",
    "PricingInputError",
    "PricingOptions",
    "PricingWarning",
    "Tariff",
    "compile_tariff",
    "price_cdr",
    "zone_for_country",
]
