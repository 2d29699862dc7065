"""OCPI 2.3.0 at the edge: what differs from our 2.2.1 documents, down and back up.

2.3.0 is 2.2.1 plus fields and values (kept as received: unknown fields pass through, and the
enumerations 2.3.0 made open accept values we do not know, see ocpi.validation.OpenChoiceField)
and one change of shape, the tax model:
- a Session's or CDR's `Price` is `before_taxes` plus a list of `taxes` (each a TaxAmount with
  its `name`, `amount` and optional `percentage`) instead of `excl_vat` and `incl_vat`;
- a Tariff's `min_price`/`max_price` is a `PriceLimit` (`before_taxes`, `after_taxes`) and a
  Tariff says with `tax_included` (YES, NO, N/A) whether its prices include taxes.

Up, the 2.3.0 members are kept beside the 2.2.1 ones they become (a Price keeps its `taxes`, a
Tariff its `tax_included`), so a round trip 2.3.0 -> 2.2.1 -> 2.3.0 gives back what was sent.
docs/versions.md lists what is translated.
"""

from decimal import Decimal

from ocpi.translations import Context, Convert, object_translation

COST_FIELDS = (
    "total_cost",
    "total_fixed_cost",
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_reservation_cost",
)
PRICE_LIMITS = ("min_price", "max_price")
# The one tax a 2.2.1 Price knows of: the difference between incl_vat and excl_vat.
VAT = "VAT"


def _decimal(value) -> Decimal | None:
    """A JSON number as a Decimal; None for anything else (left for validation to name), an
    overflowing 1e400 included."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# Price and PriceLimit ---------------------------------------------------------------------------


def price_down(price) -> dict:
    """A 2.2.1 Price as 2.3.0's: before_taxes, and the taxes we were given, else the VAT as the
    difference between incl_vat and excl_vat."""
    if not isinstance(price, dict):
        return price
    out = {k: v for k, v in price.items() if k not in ("excl_vat", "incl_vat")}
    if "excl_vat" in price:
        out["before_taxes"] = price["excl_vat"]
    excl, incl = _decimal(price.get("excl_vat")), _decimal(price.get("incl_vat"))
    if "taxes" not in price and excl is not None and incl is not None:
        out["taxes"] = [{"name": VAT, "amount": _number(incl - excl)}]
    return out


def price_up(price) -> dict:
    """A 2.3.0 Price in 2.2.1 shape: excl_vat is before_taxes, incl_vat adds every tax amount
    (absent when the taxes are not given). The taxes themselves are kept."""
    if not isinstance(price, dict) or "before_taxes" not in price:
        return price  # left for validation to refuse, naming excl_vat
    out = {k: v for k, v in price.items() if k != "before_taxes"}
    out["excl_vat"] = price["before_taxes"]
    before, taxes = _decimal(price["before_taxes"]), price.get("taxes")
    if before is not None and isinstance(taxes, list) and taxes:
        amounts = [_decimal(tax.get("amount")) if isinstance(tax, dict) else None for tax in taxes]
        if None not in amounts:
            out["incl_vat"] = _number(before + sum(amounts, Decimal(0)))
    return out


def price_limit_down(price) -> dict:
    if not isinstance(price, dict):
        return price
    out = {k: v for k, v in price.items() if k not in ("excl_vat", "incl_vat")}
    if "excl_vat" in price:
        out["before_taxes"] = price["excl_vat"]
    if price.get("incl_vat") is not None:
        out["after_taxes"] = price["incl_vat"]
    return out


def price_limit_up(limit) -> dict:
    if not isinstance(limit, dict) or "before_taxes" not in limit:
        return limit
    out = {k: v for k, v in limit.items() if k not in ("before_taxes", "after_taxes")}
    out["excl_vat"] = limit["before_taxes"]
    if limit.get("after_taxes") is not None:
        out["incl_vat"] = limit["after_taxes"]
    return out


def _convert_members(document: dict, names, convert) -> dict:
    out = dict(document)
    for name in names:
        if out.get(name) is not None:
            out[name] = convert(out[name])
    return out


# Tariffs ----------------------------------------------------------------------------------------


def tax_included(document: dict) -> str:
    """2.3.0's tax_included of a 2.2.1 tariff: its prices exclude VAT, which applies where a
    price component states it; a tariff stating none has no VAT (2.2.1: "if omitted, no VAT is
    applicable")."""
    components = [
        component
        for element in document.get("elements") or []
        if isinstance(element, dict)
        for component in element.get("price_components") or []
        if isinstance(component, dict)
    ]
    return "NO" if any(c.get("vat") is not None for c in components) else "N/A"


def tariff_down(document: dict, context: Context, partial: bool) -> dict:
    out = _convert_members(document, PRICE_LIMITS, price_limit_down)
    if not partial and "tax_included" not in out:
        out["tax_included"] = tax_included(document)
    return out


def tariff_up(document: dict, context: Context, partial: bool) -> dict:
    return _convert_members(document, PRICE_LIMITS, price_limit_up)


TARIFFS = object_translation("Tariff", tariff_down, tariff_up)


# Sessions and CDRs ------------------------------------------------------------------------------


def _session(price) -> Convert:
    return lambda document, context, partial: _convert_members(document, COST_FIELDS, price)


def _cdr(price, tariff) -> Convert:
    """A CDR's conversion: its cost totals as `price` converts them, its tariffs by `tariff`."""

    def convert(document: dict, context: Context, partial: bool) -> dict:
        out = _convert_members(document, COST_FIELDS, price)
        if isinstance(out.get("tariffs"), list):
            out["tariffs"] = [
                tariff(t, context, False) if isinstance(t, dict) else t for t in out["tariffs"]
            ]
        return out

    return convert


session_down, session_up = _session(price_down), _session(price_up)
cdr_down, cdr_up = _cdr(price_down, tariff_down), _cdr(price_up, tariff_up)


SESSIONS = object_translation("Session", session_down, session_up)

CDRS = object_translation("Cdr", cdr_down, cdr_up)
