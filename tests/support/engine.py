"""Inputs of the pricing engine (billing.pricing), written inline: tariffs and CDRs with Decimal
volumes and prices, and the calls that price them."""

from decimal import Decimal

from billing.pricing import PricedCdr, PricingOptions, price_cdr

D = Decimal


def component(kind: str, price, vat=None, step_size=1) -> dict:
    built = {"type": kind, "price": D(str(price)), "step_size": step_size}
    if vat is not None:
        built["vat"] = D(str(vat))
    return built


def energy(price, vat=None, step_size=1) -> dict:
    return component("ENERGY", price, vat, step_size)


def time(price, vat=None, step_size=1) -> dict:
    return component("TIME", price, vat, step_size)


def parking(price, vat=None, step_size=1) -> dict:
    return component("PARKING_TIME", price, vat, step_size)


def flat(price, vat=None) -> dict:
    return component("FLAT", price, vat, 0)


def element(*components: dict, **restrictions) -> dict:
    built = {"price_components": list(components)}
    if restrictions:
        built["restrictions"] = restrictions
    return built


def tariff(*elements: dict, id="T1", currency="EUR", **fields) -> dict:
    return {
        "country_code": "NL",
        "party_id": "EXA",
        "id": id,
        "currency": currency,
        "elements": list(elements),
        "last_updated": "2024-01-01T00:00:00Z",
        **fields,
    }


def period(start: str, tariff_id: str | None = None, **dimensions) -> dict:
    """A charging period; dimensions by lower-case name: energy=, time=, parking_time=, ..."""
    built = {
        "start_date_time": start,
        "dimensions": [
            {"type": name.upper(), "volume": D(str(volume))} for name, volume in dimensions.items()
        ],
    }
    if tariff_id is not None:
        built["tariff_id"] = tariff_id
    return built


def cdr(*periods: dict, end: str, start: str | None = None, country="NLD", **fields) -> dict:
    return {
        "country_code": "NL",
        "party_id": "EXA",
        "id": "CDR1",
        "start_date_time": start or periods[0]["start_date_time"],
        "end_date_time": end,
        "cdr_location": {"country": country},
        "currency": "EUR",
        "charging_periods": list(periods),
        **fields,
    }


def price(cdr_json: dict, *tariffs: dict, tz="UTC", **options) -> PricedCdr:
    """Price with the given tariffs (or the CDR's own when none) in zone `tz`."""
    return price_cdr(cdr_json, list(tariffs) or None, tz, PricingOptions(**options))


def codes(priced: PricedCdr) -> list[str]:
    return [warning.code for warning in priced.warnings]


def excl_incl(price_value) -> tuple[Decimal, Decimal]:
    return price_value.excl_vat, price_value.incl_vat
