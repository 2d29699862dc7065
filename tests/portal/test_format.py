"""Money, energy, times and durations as the reader's language writes them (Babel)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from portal.templatetags.portal_format import duration, kwh, local_datetime, money


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€1,234.57"),
        ("de", "1.234,57\xa0€"),
        ("nl", "€\xa01.234,57"),
        ("fr", "1\u202f234,57\xa0€"),
    ],
)
def test_money_is_rounded_half_up_to_the_minor_unit_in_the_readers_format(language, expected):
    with translation.override(language):
        assert money(Decimal("1234.565"), "EUR") == expected


def test_currencies_without_cents_have_none():
    with translation.override("en"):
        assert money(Decimal("1234.5"), "JPY") == "JP¥1,235"


def test_local_times_show_the_offset_of_their_zone_on_that_date():
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night Amsterdam moves to summer time
    with translation.override("en"):
        assert local_datetime(moment, "Europe/Amsterdam") == "29/03/2026, 01:30 (UTC+01:00)"
        later = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert local_datetime(later, "Europe/Amsterdam") == "29/03/2026, 03:30 (UTC+02:00)"
        assert local_datetime(moment, "America/St_Johns") == "28/03/2026, 22:00 (UTC\u221202:30)"
    with translation.override("de"):
        assert local_datetime(moment, "Europe/Berlin") == "29.03.26, 01:30 (UTC+01:00)"


def test_energy_and_durations():
    with translation.override("de"):
        assert kwh(Decimal("12.3456")) == "12,346 kWh"
    assert duration(Decimal("1.5")) == "1 h 30 min"
    assert duration(Decimal("0.25")) == "15 min"
    assert money(None, "EUR") == kwh(None) == local_datetime(None) == "\N{EN DASH}"
