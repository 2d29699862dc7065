"""One CDR as a document line: where and when the car charged, what it took, what it costs.

The line's net amount is given (the driver's price, or the partner's cost); it is shown split
into one sub-line per price component in the order AFIR prescribes (per kWh, per minute, per
session, other), in proportion to the component costs of the session, each rounded to the
minor unit with the rounding remainder on the largest. Unit prices have 4 decimals.
"""

import json
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from billing.cdr_pricing.verdict import price_of
from billing.invoices.snapshot import Dimension, Line, Metering, SubLine
from billing.invoices.vat import TaxRule, country_alpha2
from billing.models import PricedCdr
from billing.money import round_minor
from billing.pricing.zones import zone_for_country

# The rules lines are built with; stored on every document (DocumentSnapshot.rules_version).
RULES_VERSION = "2026.1"

ENERGY_PLACES = Decimal("0.001")
QUANTITY_PLACES = Decimal("0.01")
UNIT_PRICE_PLACES = Decimal("0.0001")
SIXTY = Decimal(60)
ZERO = Decimal(0)

# (dimension, description, unit, OCPI cost total, breakdown dimension whose volume is counted)
COMPONENTS = (
    (Dimension.ENERGY, "Energy", "KWH", "total_energy_cost", "ENERGY"),
    (Dimension.TIME, "Charging time", "MIN", "total_time_cost", "TIME"),
    (Dimension.FLAT, "Session fee", "C62", "total_fixed_cost", "FLAT"),
    (Dimension.OTHER, "Parking time", "MIN", "total_parking_cost", "PARKING_TIME"),
    (Dimension.OTHER, "Reservation", "MIN", "total_reservation_cost", "RESERVATION_TIME"),
)


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else ZERO
    except ArithmeticError:
        return ZERO


def cdr_time_zone(document: dict, priced: PricedCdr | None) -> str:
    """The charging location's zone: as priced, else the CDR's, else its country's, else UTC."""
    location = document.get("cdr_location") or {}
    for zone in (
        priced.time_zone if priced else "",
        location.get("time_zone"),
        zone_for_country(location.get("country")),
    ):
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return zone
    return "UTC"


def _volumes(document: dict, priced: PricedCdr | None) -> dict[str, Decimal]:
    """Volume per breakdown dimension (kWh, hours, sessions), from the priced breakdown when
    there is one, else from the CDR's totals."""
    volumes: dict[str, Decimal] = {}
    for charge in (priced.breakdown if priced else None) or []:
        if not charge.get("step_rounding"):
            dimension = charge.get("dimension")
            volumes[dimension] = volumes.get(dimension, ZERO) + _decimal(charge.get("volume"))
    total_time = _decimal(document.get("total_time"))
    parking = _decimal(document.get("total_parking_time"))
    volumes.setdefault("ENERGY", _decimal(document.get("total_energy")))
    volumes.setdefault("TIME", max(total_time - parking, ZERO))
    volumes.setdefault("PARKING_TIME", parking)
    volumes.setdefault("FLAT", Decimal(1))
    volumes.setdefault("RESERVATION_TIME", ZERO)
    return volumes


def component_costs(document: dict, priced: PricedCdr | None) -> dict[str, Decimal]:
    """Cost excl. VAT per OCPI cost total: ours when priced, else what the CDR states."""
    costs = {}
    for *_rest, total, _volume in COMPONENTS:
        value = getattr(priced, f"{total}_excl_vat", None) if priced else None
        if value is None:
            value = price_of(document, total)[0]
        costs[total] = value or ZERO
    return costs


def allocate(net: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """`net` split in proportion to `weights`, each share rounded to the minor unit; the
    remainder goes to the largest share, so the shares add up to `net` exactly."""
    total = sum(weights, ZERO)
    if not weights:
        return []
    if total == 0:
        return [net] + [ZERO] * (len(weights) - 1)
    shares = [round_minor(net * weight / total, currency) for weight in weights]
    largest = max(range(len(weights)), key=lambda index: abs(weights[index]))
    shares[largest] += net - sum(shares, ZERO)
    return shares


def sub_lines(
    *, document: dict, priced: PricedCdr | None, net: Decimal, currency: str, weights: dict
) -> tuple[SubLine, ...]:
    """The line's net split by component (`weights`: cost per OCPI cost total), AFIR order."""
    volumes = _volumes(document, priced)
    shares = allocate(net, [weights.get(c[3], ZERO) for c in COMPONENTS], currency)
    result = []
    for (dimension, description, unit, _total, volume), share in zip(
        COMPONENTS, shares, strict=True
    ):
        quantity = volumes.get(volume, ZERO)
        if unit == "MIN":
            quantity *= SIXTY
        quantity = quantity.quantize(ENERGY_PLACES if unit == "KWH" else QUANTITY_PLACES)
        if share == 0 and dimension != Dimension.ENERGY:
            continue
        if quantity == 0 and share != 0:
            quantity, unit = Decimal(1), "C62"
        unit_price = (share / quantity if quantity else ZERO).quantize(UNIT_PRICE_PLACES)
        result.append(SubLine(dimension, description, quantity, unit, unit_price, share))
    return tuple(result)


def metering(document: dict) -> Metering | None:
    """Eichrecht: the meter's signed start and end readings, and the signed data as received."""
    signed = document.get("signed_data")
    if not isinstance(signed, dict):
        return None
    values = {
        str(value.get("nature", "")).lower(): str(value.get("plain_data", ""))
        for value in signed.get("signed_values") or []
        if isinstance(value, dict)
    }
    return Metering(
        meter_id=str(document.get("meter_id") or ""),
        start_value=values.get("start", ""),
        end_value=values.get("end", ""),
        signed_data=json.dumps(signed, ensure_ascii=False),
        encoding_method=str(signed.get("encoding_method") or ""),
    )


def location_address(location: dict) -> str:
    street = str(location.get("address") or "")
    town = " ".join(str(location.get(k) or "") for k in ("postal_code", "city")).strip()
    country = str(location.get("country") or "")
    return ", ".join(part for part in (street, town, country) if part)


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def cdr_line(
    *,
    position: int,
    cdr,
    priced: PricedCdr | None,
    net: Decimal,
    currency: str,
    rule: TaxRule,
    weights: dict,
    roaming: bool,
) -> Line:
    """The snapshot line of a CDR billed at `net` (excl. VAT) under `rule`."""
    document = cdr.document
    location = document.get("cdr_location") or {}
    zone = cdr_time_zone(document, priced)
    net, tax, gross = rule.amounts(net, currency)
    where = location.get("name") or location.get("id") or ""
    return Line(
        position=position,
        description=f"Charging session {document.get('id', cdr.ocpi_id)} at {where}".strip(),
        cdr_id=str(document.get("id", cdr.ocpi_id)),
        evse_id=str(location.get("evse_id") or location.get("evse_uid") or ""),
        location_address=location_address(location),
        cpo_party=f"{cdr.country_code}-{cdr.party_id}" if roaming else "",
        time_zone=zone,
        start=_local(cdr.start_date_time, zone),
        end=_local(cdr.end_date_time, zone),
        energy_kwh=_decimal(document.get("total_energy")).quantize(ENERGY_PLACES),
        sub_lines=sub_lines(
            document=document, priced=priced, net=net, currency=currency, weights=weights
        ),
        net=net,
        tax_category=rule.category,
        tax_rate=rule.rate,
        tax=tax,
        gross=gross,
        charging_country=country_alpha2(location.get("country")),
        exemption_reason=rule.exemption_reason,
        exemption_code=rule.exemption_code,
        metering=metering(document),
    )


def credit_line(*, position: int, line: Line, net: Decimal, tax: Decimal, why: str) -> Line:
    """A credit note's line for `line`: the same session, giving back `net` + `tax`.

    Crediting the whole line repeats its components; a part of it is one correction.
    """
    if net == line.net and tax == line.tax:
        components = line.sub_lines
    else:
        components = (SubLine(Dimension.OTHER, why, Decimal(1), "C62", net, net),)
    return replace(
        line,
        position=position,
        description=f"{why}: {line.description}",
        sub_lines=components,
        net=net,
        tax=tax,
        gross=net + tax,
    )
