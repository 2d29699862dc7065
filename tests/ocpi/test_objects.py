from datetime import UTC, datetime

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from ocpi.modules.locations.models import Location
from ocpi.objects import EDIT_ATTEMPTS, edit_object, merge_patch
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


def _racing_edit(location_pk: int, races: int, calls: list):
    """An edit that sets the EVSE's status; during its first `races` calls another writer
    renames the location between this edit's read and its write."""

    def edit(location):
        calls.append(location.document.get("name"))
        if len(calls) <= races:
            other = Location.objects.get(pk=location_pk)
            other.document["name"] = f"Renamed {len(calls)}"
            other.save()
        location.document["evses"][0]["status"] = "CHARGING"
        return ("document",)

    return edit


def test_an_edit_raced_by_another_write_is_made_again_on_what_that_write_stored(our_location):
    calls = []

    _, written = edit_object(
        Location.objects.filter(pk=our_location.pk), _racing_edit(our_location.pk, 1, calls)
    )

    stored = Location.objects.get(pk=our_location.pk).document
    assert (written, calls) == (True, [None, "Renamed 1"])
    assert (stored["name"], stored["evses"][0]["status"]) == ("Renamed 1", "CHARGING")


def test_an_edit_raced_at_every_attempt_is_made_under_the_row_lock(our_location):
    calls = []

    with CaptureQueriesContext(db_connection) as queries:
        _, written = edit_object(
            Location.objects.filter(pk=our_location.pk),
            _racing_edit(our_location.pk, EDIT_ATTEMPTS, calls),
        )

    stored = Location.objects.get(pk=our_location.pk).document
    assert (written, len(calls)) == (True, EDIT_ATTEMPTS + 1)
    assert (stored["name"], stored["evses"][0]["status"]) == (
        f"Renamed {EDIT_ATTEMPTS}",
        "CHARGING",
    )
    assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_an_edit_of_nothing_finds_nothing(db):
    assert edit_object(Location.objects.filter(pk=0), lambda location: ("document",)) == (
        None,
        False,
    )
