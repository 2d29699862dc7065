"""The tests of stored CDRs' pricing share one charge: the partner CPO DE-ABC's CDR of two hours
and 20 kWh at LOC1 (Berlin) on 14 March 2025, charged to our eMSP's driver (CONTRACT_ID), and
the tariffs and location that price it. The documents themselves come from builders."""

from tests.support import builders

CONTRACT_ID = builders.cdr_token()["contract_id"]
TARIFFS_FROM = "2025-01-01T00:00:00Z"
# 2.00 per hour, 10 % VAT: the two hours cost 4.00 / 4.40.
TWO_EUROS_AN_HOUR = [
    {"price_components": [{"type": "TIME", "price": 2.00, "vat": 10.0, "step_size": 300}]}
]


def tariff(tariff_id="T1", *, last_updated=TARIFFS_FROM, currency="EUR", elements=None) -> dict:
    """A tariff of the partner CPO, 2.00 per hour unless `elements` say otherwise."""
    return builders.tariff(
        tariff_id, last_updated, currency=currency, elements=elements or TWO_EUROS_AN_HOUR
    )


def energy_tariff(price, *, tariff_id="T1", last_updated=TARIFFS_FROM, **restrictions) -> dict:
    """`price` per kWh, 20 % VAT, within `restrictions` (start_time=..., ...) if any."""
    element = {
        "price_components": [{"type": "ENERGY", "price": price, "vat": 20.0, "step_size": 1}]
    }
    if restrictions:
        element["restrictions"] = restrictions
    return tariff(tariff_id, last_updated=last_updated, elements=[element])


def cdr(
    cdr_id="CDR1",
    *,
    start="2025-03-14T10:00:00Z",
    end="2025-03-14T12:00:00Z",
    energy=20.0,
    hours=2.0,
    tariff_id="T1",
    embedded=None,
    total_cost=(4.00, 4.40),
    location_id="LOC1",
    country="DEU",
    **totals,
) -> dict:
    """The partner's CDR: `total_cost` and any `total_<dimension>_cost` as (excl_vat, incl_vat);
    `embedded`: the tariffs it carries (none by default: the stored ones price it)."""
    document = builders.cdr(
        cdr_id,
        start=start,
        end=end,
        energy=energy,
        hours=hours,
        tariff_id=tariff_id,
        location_id=location_id,
        country=country,
        **{
            name: {"excl_vat": excl_vat, "incl_vat": incl_vat}
            for name, (excl_vat, incl_vat) in {"total_cost": total_cost, **totals}.items()
        },
    )
    if embedded is not None:
        document["tariffs"] = embedded
    return document


def location(location_id="LOC1", *, time_zone="Europe/Berlin") -> dict:
    """The partner's location whose connector is priced by tariff T1."""
    return builders.location(location_id, TARIFFS_FROM, time_zone=time_zone)
