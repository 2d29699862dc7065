"""Tolerant of the quirks real platforms send, where nothing depends on them: each is accepted
and leaves a warning on the call's traffic log line, for the partner page to show."""

import json

from django.contrib.auth import get_user_model
from django.test import Client

from ocpi.models import TrafficLog
from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_authorize_remotely
from ocpi.sync.push import object_push
from tests.support.builders import example, our_location_document, partner_token
from tests.support.connections import make_connection
from tests.support.partners import FakePartner, envelope
from tests.support.requests import put


def warnings_of(direction: str) -> list[str]:
    return [w for line in TrafficLog.objects.filter(direction=direction) for w in line.warnings]


def test_an_authorization_wrapped_in_a_one_element_list_lets_the_driver_charge(own_parties):
    info = {"allowed": "ALLOWED", "token": partner_token(uid="TOK1", type="RFID")}
    with FakePartner() as emsp:
        emsp.routes[("POST", "/emsp/tokens/TOK1/authorize?type=RFID")] = (200, envelope([info]))
        make_connection(
            "Listing eMSP",
            "listing-token",
            [("DE", "ABE", "EMSP")],
            version="2.2.1",
            endpoints=[
                {"identifier": "tokens", "role": "SENDER", "url": f"{emsp.url}/emsp/tokens"}
            ],
        )

        answer = token_authorize_remotely(token_uid="TOK1", token_type="RFID")

    assert answer["allowed"] == "ALLOWED"
    assert warnings_of("out") == ["data: an object wrapped in a one-element list"]


def test_null_for_an_optional_field_is_an_absent_field(partner_client):
    document = {**our_location_document(), "country_code": "DE", "party_id": "ABC", "name": None}

    answer = put(partner_client, "/ocpi/2.2.1/emsp/locations/DE/ABC/LOC1", document)

    assert answer["status_code"] == 1000
    assert "name" not in Location.objects.get().document
    assert warnings_of("in") == ["name: null for an absent field"]


def test_lower_cased_cistring_ids_are_accepted(partner_client):
    document = partner_token(country_code="de", party_id="abe", uid="tok-lower", type="RFID")

    answer = put(partner_client, "/ocpi/2.2.1/cpo/tokens/de/abe/tok-lower?type=RFID", document)

    assert answer["status_code"] == 1000
    assert Token.objects.get().ocpi_id == "TOK-LOWER"
    assert warnings_of("in") == [
        "country_code: lower-cased CiString 'de'",
        "party_id: lower-cased CiString 'abe'",
    ]


def test_numbers_sent_as_strings_by_a_2_1_1_platform_are_read_as_numbers(old_client):
    session = {**example("session", version="2.1.1"), "kwh": "7.25", "total_cost": "2.32"}

    answer = put(old_client, "/ocpi/2.1.1/emsp/sessions/DE/OLD/SESSION-211", session)

    assert answer["status_code"] == 1000, answer
    stored = Session.objects.get().document
    assert (stored["kwh"], stored["total_cost"]) == (7.25, {"excl_vat": 2.32})
    assert warnings_of("in") == [
        "session.kwh: a number sent as a string ('7.25')",
        "session.total_cost: a number sent as a string ('2.32')",
    ]


def test_a_module_url_with_a_trailing_or_doubled_slash_reaches_the_endpoint(partner_client):
    for path in ("/ocpi/2.2.1/cpo/locations/", "/ocpi/2.2.1//cpo//locations"):
        assert partner_client.get(path).json()["status_code"] == 1000, path

    assert warnings_of("in") == ["URL path '/ocpi/2.2.1//cpo//locations': a doubled slash"]


def test_a_partner_url_with_a_doubled_slash_is_called_with_one(
    own_parties, django_capture_on_commit_callbacks
):
    document = our_location_document()
    with FakePartner() as emsp:
        emsp.routes[("PUT", "/emsp/locations/NL/TMC/LOC1")] = (200, envelope(None))
        make_connection(
            "Slashes",
            "slash-token",
            [("DE", "ABE", "EMSP")],
            version="2.2.1",
            endpoints=[
                {
                    "identifier": "locations",
                    "role": "RECEIVER",
                    "url": f"{emsp.url}//emsp/locations/",
                }
            ],
        )
        with django_capture_on_commit_callbacks(execute=True):
            object_push(
                module=LOCATIONS,
                party=own_parties["CPO"],
                method="PUT",
                document=document,
                body=document,
            )

    assert [r["path"] for r in emsp.requests] == ["/emsp/locations/NL/TMC/LOC1"]
    assert warnings_of("out") == ["URL path '//emsp/locations/NL/TMC/LOC1': a doubled slash"]
    assert json.loads(TrafficLog.objects.get().request_body) == document


def test_the_staff_see_the_quirks_a_partner_causes_on_its_page(partner, partner_client):
    document = {**our_location_document(), "country_code": "DE", "party_id": "ABC", "name": None}
    put(partner_client, "/ocpi/2.2.1/emsp/locations/DE/ABC/LOC1", document)
    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("ops", password="pw"))

    page = staff.get(f"/partners/{partner.pk}/").content.decode()

    assert "Warnings" in page
    assert "name: null for an absent field" in page
    assert "PUT /ocpi/2.2.1/emsp/locations/DE/ABC/LOC1" in page
