"""A partner platform hosting several parties: each object is pushed to, and pulled from, the
party it is meant for or belongs to, named in the OCPI-to-* routing headers (and ours in
OCPI-from-*)."""

import pytest

from ocpi.models import ConnectionParty
from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.sessions.declaration import SESSIONS
from ocpi.sync.pull import module_pull
from ocpi.sync.push import object_push
from tests.support.partners import ocpi_answer


@pytest.fixture
def platform(remote_partner):
    """The remote partner hosts a second eMSP (DE-XYZ) and a second CPO (DE-CPB)."""
    for party_id, role in (("XYZ", "EMSP"), ("CPB", "CPO")):
        ConnectionParty.objects.create(
            connection=remote_partner, country_code="DE", party_id=party_id, role=role
        )
    return remote_partner


def routing(call) -> tuple[str, str]:
    h = call.headers
    return (
        f"{h['OCPI-from-country-code']}-{h['OCPI-from-party-id']}",
        f"{h['OCPI-to-country-code']}-{h['OCPI-to-party-id']}",
    )


def test_a_location_goes_to_each_emsp_of_the_platform_addressed_to_it(
    platform, partner_server, own_parties, django_capture_on_commit_callbacks
):
    document = {"country_code": "NL", "party_id": "TMC", "id": "LOC1"}
    with django_capture_on_commit_callbacks(execute=True):
        object_push(
            module=LOCATIONS,
            party=own_parties["CPO"],
            method="PUT",
            document=document,
            body=document,
        )

    assert sorted(routing(call) for call in partner_server.calls) == [
        ("NL-TMC", "DE-ABE"),
        ("NL-TMC", "DE-XYZ"),
    ]


def test_a_session_goes_only_to_the_emsp_of_its_driver(
    platform, partner_server, own_parties, django_capture_on_commit_callbacks
):
    document = {
        "country_code": "NL",
        "party_id": "TMC",
        "id": "S1",
        "cdr_token": {"country_code": "de", "party_id": "xyz", "uid": "T1", "type": "RFID"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        object_push(
            module=SESSIONS,
            party=own_parties["CPO"],
            method="PUT",
            document=document,
            body=document,
        )
        # A session of a driver of no partner's eMSP goes to no partner at all.
        foreign = {
            **document,
            "id": "S2",
            "cdr_token": {**document["cdr_token"], "party_id": "ZZZ"},
        }
        object_push(
            module=SESSIONS, party=own_parties["CPO"], method="PUT", document=foreign, body=foreign
        )

    assert [(call.path, routing(call)) for call in partner_server.calls] == [
        ("/emsp/sessions/NL/TMC/S1", ("NL-TMC", "DE-XYZ"))
    ]


def test_locations_are_pulled_from_each_cpo_of_the_platform_addressed_to_it(
    platform, partner_server, own_parties, settings
):
    settings.OCPI_CLIENT_RETRIES = 0
    partner_server.answer = lambda call: ocpi_answer([])

    module_pull(connection=platform, module="locations")

    assert sorted(routing(call) for call in partner_server.calls) == [
        ("NL-TME", "DE-ABC"),
        ("NL-TME", "DE-CPB"),
    ]
