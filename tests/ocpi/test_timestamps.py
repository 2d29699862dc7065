"""OCPI timestamps: written in UTC with a Z, read back to the same instant, garbage refused."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocpi.timestamps import TimestampError, format_timestamp, parse_timestamp

# Hypothesis takes naive bounds and adds the zone itself.
moments = st.datetimes(
    min_value=datetime(1970, 1, 1),  # noqa: DTZ001
    max_value=datetime(2999, 12, 31),  # noqa: DTZ001
    timezones=st.integers(-14 * 60, 14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    ),
)


@given(moments)
def test_a_written_timestamp_reads_back_as_the_same_second(moment):
    written = format_timestamp(moment)
    assert written.endswith("Z")
    assert parse_timestamp(written, "at") == moment.replace(microsecond=0)


@given(moments)
def test_milliseconds_keep_the_order_of_changes_within_a_second(moment):
    written = format_timestamp(moment, milliseconds=True)
    assert parse_timestamp(written, "at") == moment.replace(
        microsecond=moment.microsecond // 1000 * 1000
    )


def test_a_timestamp_without_zone_designator_is_utc():
    assert parse_timestamp("2024-03-01T10:00:00", "at") == datetime(2024, 3, 1, 10, tzinfo=UTC)


def test_seven_fractional_digits_are_read():
    moment = parse_timestamp("2024-03-01T10:00:00.1234567Z", "at")
    assert moment == datetime(2024, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)


@given(st.one_of(st.none(), st.integers(), st.booleans(), st.text(), st.dates().map(str)))
def test_anything_else_raises_an_error_naming_the_field(value):
    try:
        datetime.fromisoformat(value)
        readable = isinstance(value, str) and len(value) > 10
    except (TypeError, ValueError):
        readable = False
    if readable:
        assert parse_timestamp(value, "start_date_time").tzinfo is UTC
        return
    with pytest.raises(TimestampError, match=r"^start_date_time: must be an RFC 3339 date-time"):
        parse_timestamp(value, "start_date_time")
