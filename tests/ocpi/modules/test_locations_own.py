"""Our CPO's own locations: saved, served by the sender interface and pushed to partners."""

import pytest
import time_machine

from ocpi.modules.locations.models import Location
from ocpi.modules.locations.services import evse_status_set_own, location_save_own
from ocpi.transport.exceptions import InvalidParameters, UnknownLocation
from tests.support.builders import location

SENDER = "/ocpi/2.2.1/cpo/locations"


def own_location(**fields) -> dict:
    return location(country_code="NL", party_id="TMC", **fields)


def test_a_saved_location_is_served_and_pushed_as_a_put(
    own_parties,
    receiving_partner,
    partner_server,
    partner_client,
    django_capture_on_commit_callbacks,
):
    document = own_location()

    with django_capture_on_commit_callbacks(execute=True):
        result = location_save_own(party=own_parties["CPO"], document=document)

    assert result.created
    assert Location.objects.get().source is None
    [call] = partner_server.calls
    assert (call.method, call.path) == ("PUT", "/emsp/locations/NL/TMC/LOC1")
    assert call.body == document
    assert partner_client.get(f"{SENDER}/LOC1").json()["data"] == document


def test_an_older_version_of_an_own_location_is_neither_stored_nor_pushed(
    own_parties, receiving_partner, partner_server, django_capture_on_commit_callbacks
):
    location_save_own(party=own_parties["CPO"], document=own_location(name="Current"))

    with django_capture_on_commit_callbacks(execute=True):
        result = location_save_own(
            party=own_parties["CPO"],
            document=own_location(name="Older", last_updated="2023-01-01T00:00:00Z"),
        )

    assert not result.applied
    assert partner_server.calls == []
    assert Location.objects.get().document["name"] == "Current"


def test_own_location_must_carry_our_party_and_be_valid(own_parties):
    with pytest.raises(InvalidParameters, match="party_id"):
        location_save_own(party=own_parties["CPO"], document=location(country_code="NL"))
    with pytest.raises(InvalidParameters, match="country"):
        location_save_own(party=own_parties["CPO"], document={**own_location(), "country": None})
    assert not Location.objects.exists()


def test_evse_status_change_cascades_and_is_pushed_as_a_patch(
    own_parties,
    receiving_partner,
    partner_server,
    partner_client,
    django_capture_on_commit_callbacks,
):
    location_save_own(party=own_parties["CPO"], document=own_location())

    with (
        time_machine.travel("2024-07-01T12:30:00Z", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        evse_status_set_own(
            party=own_parties["CPO"], location_id="loc1", evse_uid="evse1", status="CHARGING"
        )

    # The save's delivery, never sent before, goes first: one object's changes stay in order.
    put_call, call = partner_server.calls
    assert (put_call.method, put_call.path) == ("PUT", "/emsp/locations/NL/TMC/LOC1")
    assert (call.method, call.path) == ("PATCH", "/emsp/locations/NL/TMC/LOC1/EVSE1")
    assert call.body == {"status": "CHARGING", "last_updated": "2024-07-01T12:30:00Z"}
    served = partner_client.get(f"{SENDER}/LOC1").json()["data"]
    assert served["evses"][0]["status"] == "CHARGING"
    assert served["evses"][0]["last_updated"] == "2024-07-01T12:30:00Z"
    assert served["last_updated"] == "2024-07-01T12:30:00Z"
    listed = partner_client.get(f"{SENDER}?date_from=2024-07-01T12:00:00Z").json()["data"]
    assert [d["id"] for d in listed] == ["LOC1"]


def test_evse_status_of_unknown_evse_or_bad_status_is_refused(own_parties):
    location_save_own(party=own_parties["CPO"], document=own_location())
    with pytest.raises(UnknownLocation):
        evse_status_set_own(
            party=own_parties["CPO"], location_id="LOC1", evse_uid="NOPE", status="CHARGING"
        )
    with pytest.raises(InvalidParameters, match="status"):
        evse_status_set_own(
            party=own_parties["CPO"], location_id="LOC1", evse_uid="EVSE1", status="BUSY"
        )


def test_repeating_the_same_evse_status_changes_and_pushes_nothing(
    own_parties, receiving_partner, partner_server, django_capture_on_commit_callbacks
):
    location_save_own(party=own_parties["CPO"], document=own_location())

    with django_capture_on_commit_callbacks(execute=True):
        evse_status_set_own(
            party=own_parties["CPO"], location_id="LOC1", evse_uid="EVSE1", status="AVAILABLE"
        )

    assert partner_server.calls == []
    assert Location.objects.get().document == own_location()
