"""Tariffs for people: elements and restrictions in words, and a price simulator.

The simulator builds the CDR a session of the given start, duration, energy and power would
produce and prices it with the billing engine, exactly as a real CDR is priced.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.core import get_global
from django.utils.translation import gettext as _

from billing.pricing import (
    NO_TAXES,
    TAXES_EXCLUDED,
    TAXES_INCLUDED,
    PricedCdr,
    PricingInputError,
    price_cdr,
)
from portal.templatetags.portal_format import duration, kwh, money, number

UNIT_OF = {"ENERGY": "kWh", "TIME": "h", "PARKING_TIME": "h", "FLAT": ""}
DAYS = {
    "MONDAY": "Mon",
    "TUESDAY": "Tue",
    "WEDNESDAY": "Wed",
    "THURSDAY": "Thu",
    "FRIDAY": "Fri",
    "SATURDAY": "Sat",
    "SUNDAY": "Sun",
}


def _taxes_in_words(vat, tax_included: str) -> str:
    """What the price holds, by the tariff's OCPI 2.3.0 `tax_included` (absent: NO)."""
    if tax_included == NO_TAXES:
        return _(", no taxes")
    if tax_included == TAXES_INCLUDED and vat:
        return _(", incl. taxes (%(vat)s%% VAT)") % {"vat": number(vat, 0)}
    if tax_included == TAXES_INCLUDED:
        return _(", incl. taxes")
    return _(", plus %(vat)s%% VAT") % {"vat": number(vat, 0)} if vat else ""


def _component_in_words(component: dict, currency: str, tax_included: str) -> str:
    kind = component.get("type", "")
    price = money(component.get("price", 0), currency)
    vat_words = _taxes_in_words(component.get("vat"), tax_included)
    step = component.get("step_size") or 1
    if kind == "FLAT":
        return _("%(price)s per session%(vat)s") % {"price": price, "vat": vat_words}
    if kind == "ENERGY":
        text = _("%(price)s per kWh%(vat)s") % {"price": price, "vat": vat_words}
        return text + (_(", billed per %(step)s Wh") % {"step": step} if step > 1 else "")
    label = _("charging time") if kind == "TIME" else _("parking time")
    text = _("%(price)s per hour of %(what)s%(vat)s") % {
        "price": price,
        "what": label,
        "vat": vat_words,
    }
    if step > 1:
        text += _(", billed per %(step)s") % {"step": duration(Decimal(step) / 3600)}
    return text


def _restrictions_in_words(restrictions: dict | None) -> list[str]:
    if not restrictions:
        return []
    words = []
    start, end = restrictions.get("start_time"), restrictions.get("end_time")
    if start or end:
        words.append(
            _("from %(start)s to %(end)s") % {"start": start or "00:00", "end": end or "24:00"}
        )
    days = restrictions.get("day_of_week")
    if days:
        words.append(_("on %(days)s") % {"days": ", ".join(DAYS.get(day, day) for day in days)})
    if restrictions.get("start_date") or restrictions.get("end_date"):
        words.append(
            _("between %(start)s and %(end)s")
            % {
                "start": restrictions.get("start_date") or "…",
                "end": restrictions.get("end_date") or "…",
            }
        )
    for key, template in (
        ("min_kwh", _("from %s onwards")),
        ("max_kwh", _("up to %s")),
    ):
        if restrictions.get(key) is not None:
            words.append(template % kwh(restrictions[key]))
    for key, template in (
        ("min_duration", _("after %s")),
        ("max_duration", _("during the first %s")),
    ):
        if restrictions.get(key) is not None:
            words.append(template % duration(Decimal(str(restrictions[key])) / 3600))
    for key, template in (
        ("min_power", _("at %s kW or more")),
        ("max_power", _("below %s kW")),
        ("min_current", _("at %s A or more")),
        ("max_current", _("below %s A")),
    ):
        if restrictions.get(key) is not None:
            words.append(template % number(restrictions[key], 1))
    if restrictions.get("reservation"):
        words.append(_("for a reservation (%s)") % restrictions["reservation"].lower())
    return words


@dataclass(frozen=True)
class ElementInWords:
    components: list[str]
    restrictions: list[str]


def tariff_in_words(document: dict) -> list[ElementInWords]:
    currency = document.get("currency") or "EUR"
    tax_included = document.get("tax_included") or TAXES_EXCLUDED
    return [
        ElementInWords(
            components=[
                _component_in_words(component, currency, tax_included)
                for component in element.get("price_components") or []
            ],
            restrictions=_restrictions_in_words(element.get("restrictions")),
        )
        for element in document.get("elements") or []
    ]


@dataclass(frozen=True)
class Simulation:
    priced: PricedCdr | None
    time_zone: str
    charging_hours: Decimal
    parking_hours: Decimal
    error: str = ""


HOUR = Decimal(3600)


def tariff_zone(document: dict) -> ZoneInfo:
    """The main time zone of the tariff party's country (UTC when unknown)."""
    zones = get_global("territory_zones").get((document.get("country_code") or "").upper())
    return ZoneInfo(zones[0] if zones else "UTC")


def tariff_simulate(
    *, document: dict, start: datetime, minutes: int, energy_kwh: Decimal, power_kw: Decimal
) -> Simulation:
    """Price a session at this tariff: charging at `power_kw` until `energy_kwh` are in the car,
    then parked until `minutes` are over. `start` (naive) is on the clock of the tariff's
    country."""
    zone = tariff_zone(document)
    local_start = start.replace(tzinfo=zone)
    total = timedelta(minutes=minutes)
    charging = min(total, timedelta(hours=float(energy_kwh / power_kw))) if power_kw > 0 else total
    parking = total - charging
    charging_hours = Decimal(int(charging.total_seconds())) / HOUR
    parking_hours = Decimal(int(parking.total_seconds())) / HOUR
    periods = [
        {
            "start_date_time": _ocpi(local_start),
            "dimensions": [
                {"type": "ENERGY", "volume": float(energy_kwh)},
                {"type": "TIME", "volume": float(charging_hours)},
                {"type": "MAX_POWER", "volume": float(power_kw)},
            ],
        }
    ]
    if parking.total_seconds() > 0:
        periods.append(
            {
                "start_date_time": _ocpi(local_start + charging),
                "dimensions": [{"type": "PARKING_TIME", "volume": float(parking_hours)}],
            }
        )
    cdr = {
        "country_code": document.get("country_code"),
        "party_id": document.get("party_id"),
        "start_date_time": _ocpi(local_start),
        "end_date_time": _ocpi(local_start + total),
        "currency": document.get("currency"),
        "charging_periods": periods,
        "total_energy": float(energy_kwh),
        "total_time": float(charging_hours + parking_hours),
        "total_parking_time": float(parking_hours),
    }
    try:
        priced = price_cdr(cdr, [document], tz=zone)
    except PricingInputError as error:
        return Simulation(None, str(zone), charging_hours, parking_hours, error=str(error))
    return Simulation(priced, str(zone), charging_hours, parking_hours)


def _ocpi(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
