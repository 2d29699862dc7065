"""How the portal writes money, energy, times and durations: Babel, in the reader's language.

    {% load portal_format %}
    {{ amount|money:currency }}       € 12,34 (nl) · 12,34 € (de) · €12.34 (en)
    {{ energy|kwh }}                  12,345 kWh
    {{ moment|local_datetime:zone }}  05.01.2026, 14:30 (UTC+01:00)
    {{ hours|duration }}              1 h 05 min

English is written the British way (24-hour clock, day before month).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.utils import translation

from billing.money import round_minor

register = template.Library()

BABEL_LOCALES = {"en": "en_GB", "de": "de_DE", "nl": "nl_NL", "fr": "fr_FR"}
UTC = ZoneInfo("UTC")
NOTHING = "\N{EN DASH}"  # shown for an absent value
MINUS = "\N{MINUS SIGN}"


def babel_locale(language: str | None = None) -> str:
    """The Babel locale of a portal language (the active one by default)."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return BABEL_LOCALES.get(code, BABEL_LOCALES["en"])


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def money(amount, currency: str = "EUR") -> str:
    """The amount rounded half-up to the currency's minor unit, with its symbol."""
    value = _decimal(amount)
    if value is None:
        return NOTHING
    return format_currency(round_minor(value, currency), currency, locale=babel_locale())


@register.filter
def number(value, places: int = 2) -> str:
    value = _decimal(value)
    if value is None:
        return NOTHING
    pattern = "#,##0" + ("." + "0" * int(places) if int(places) else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


@register.filter
def kwh(value, places: int = 3) -> str:
    value = _decimal(value)
    return NOTHING if value is None else f"{number(value, places)} kWh"


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def utc_offset(moment: datetime) -> str:
    """UTC+01:00, UTC-03:30 (with a minus sign), UTC+00:00."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


@register.filter
def local_datetime(moment: datetime | None, zone: str | None = None) -> str:
    """The moment on the clock of `zone` (UTC when unknown), with its offset."""
    if moment is None:
        return NOTHING
    local = moment.astimezone(zone_named(zone))
    shown = babel_format_datetime(local, "short", tzinfo=local.tzinfo, locale=babel_locale())
    return f"{shown} ({utc_offset(local)})"


@register.filter
def local_date(moment, zone: str | None = None) -> str:
    if moment is None:
        return NOTHING
    if isinstance(moment, datetime):
        moment = moment.astimezone(zone_named(zone)).date()
    return babel_format_date(moment, "medium", locale=babel_locale())


@register.filter
def duration(value) -> str:
    """Hours (a Decimal, as OCPI counts them) or a timedelta as "2 h 05 min"."""
    if value is None or value == "":
        return NOTHING
    seconds = value.total_seconds() if isinstance(value, timedelta) else _decimal(value) * 3600
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


@register.filter
def month_name(month: str) -> str:
    """'2026-01' as "January 2026" (en), "Januar 2026" (de): a report's month in words."""
    try:
        first = date(int(month[:4]), int(month[5:7]), 1)
    except (TypeError, ValueError):
        return month or NOTHING
    return babel_format_date(first, "LLLL y", locale=babel_locale())


@register.filter
def percent(value) -> str:
    """A rate in percent (21, 5.5) as the reader writes it: 21% (en), 21 % (de), 5,5 % (fr)."""
    value = _decimal(value)
    if value is None:
        return NOTHING
    fraction = (value / 100).normalize()
    return format_percent(fraction, locale=babel_locale(), decimal_quantization=False)
