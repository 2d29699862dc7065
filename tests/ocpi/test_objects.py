from datetime import UTC, datetime

import pytest

from ocpi.objects import merge_patch
from ocpi.transport.exceptions import InvalidParameters
from ocpi.validation import ocpi_time


def test_timestamp_without_zone_designator_is_utc():
    assert ocpi_time("2024-03-01T10:00:00") == datetime(2024, 3, 1, 10, tzinfo=UTC)


def test_timestamp_with_offset_keeps_the_instant():
    assert ocpi_time("2024-03-01T11:00:00+01:00") == datetime(2024, 3, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "yesterday", "2024-13-01T00:00:00Z", 20240301])
def test_unreadable_timestamp_names_the_field(value):
    with pytest.raises(InvalidParameters, match="last_updated"):
        ocpi_time(value)


def test_merge_patch_replaces_members_and_appends_named_lists():
    document = {"status": "ACTIVE", "kwh": 1, "charging_periods": [{"p": 1}]}
    patch = {"kwh": 2, "charging_periods": [{"p": 2}]}
    merged = merge_patch(document, patch, append_lists=("charging_periods",))
    assert merged == {"status": "ACTIVE", "kwh": 2, "charging_periods": [{"p": 1}, {"p": 2}]}
    assert document["charging_periods"] == [{"p": 1}]  # the stored document is not mutated
