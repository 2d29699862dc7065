"""The project's own OCPI 2.1.1 documents (tests/support/documents/v2_1_1) are accepted from a
2.1.1 partner, stored in 2.2.1 shape, and served back to it exactly as it sent them."""

import json

from ocpi.models import TrafficLog
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tokens.models import Token
from tests.support.builders import example
from tests.support.requests import put

BASE = "/ocpi/2.1.1"


def test_a_location_is_stored_as_2_2_1_and_served_back_as_2_1_1(old_client):
    sent = example("location", version="2.1.1")

    assert put(old_client, f"{BASE}/emsp/locations/DE/OLD/LOC-211", sent)["status_code"] == 1000

    stored = Location.objects.get().document
    assert (stored["country_code"], stored["party_id"]) == ("DE", "OLD")
    assert stored["parking_type"] == "PARKING_LOT" and "type" not in stored
    connector = stored["evses"][0]["connectors"][0]
    assert (connector["max_voltage"], connector["max_amperage"]) == (400, 32)
    assert connector["tariff_ids"] == ["TARIFF-211"]
    served = old_client.get(f"{BASE}/emsp/locations/DE/OLD/LOC-211").json()["data"]
    assert served == sent
    evse = old_client.get(f"{BASE}/emsp/locations/DE/OLD/LOC-211/EVSE-211/1").json()["data"]
    assert evse == sent["evses"][0]["connectors"][0]


def test_a_patch_of_a_connector_is_read_in_2_1_1_terms(old_client):
    put(old_client, f"{BASE}/emsp/locations/DE/OLD/LOC-211", example("location", version="2.1.1"))

    response = old_client.patch(
        f"{BASE}/emsp/locations/DE/OLD/LOC-211/EVSE-211/1",
        json.dumps({"voltage": 230, "last_updated": "2026-03-01T09:00:00Z"}),
        content_type="application/json",
    )

    assert response.json()["status_code"] == 1000
    connector = Location.objects.get().document["evses"][0]["connectors"][0]
    assert connector["max_voltage"] == 230 and "voltage" not in connector


def test_a_tariff_round_trips(old_client):
    sent = example("tariff", version="2.1.1")

    put(old_client, f"{BASE}/emsp/tariffs/DE/OLD/TARIFF-211", sent)

    assert Tariff.objects.get().document["country_code"] == "DE"
    assert old_client.get(f"{BASE}/emsp/tariffs/DE/OLD/TARIFF-211").json()["data"] == sent


def test_a_token_round_trips(old_client):
    sent = example("token", version="2.1.1")

    put(old_client, f"{BASE}/cpo/tokens/DE/OLD/04A1B2C3D4E5F6?type=RFID", sent)

    stored = Token.objects.get().document
    assert stored["contract_id"] == "DE-OLD-C00042-7" and "auth_id" not in stored
    served = old_client.get(f"{BASE}/cpo/tokens/DE/OLD/04A1B2C3D4E5F6?type=RFID").json()
    assert served["data"] == sent


def test_a_session_names_its_location_and_token_as_2_2_1_and_round_trips(old_client):
    put(old_client, f"{BASE}/emsp/locations/DE/OLD/LOC-211", example("location", version="2.1.1"))
    sent = example("session", version="2.1.1")

    put(old_client, f"{BASE}/emsp/sessions/DE/OLD/SESSION-211", sent)

    stored = Session.objects.get().document
    assert (stored["location_id"], stored["evse_uid"], stored["connector_id"]) == (
        "LOC-211",
        "EVSE-211",
        "1",
    )
    assert stored["cdr_token"]["contract_id"] == "NL-TME-C00007-2"
    assert stored["total_cost"] == {"excl_vat": 2.32}
    served = old_client.get(f"{BASE}/emsp/sessions/DE/OLD/SESSION-211").json()["data"]
    assert served == sent


def test_a_cdr_is_posted_and_round_trips(old_client):
    put(old_client, f"{BASE}/emsp/locations/DE/OLD/LOC-211", example("location", version="2.1.1"))
    sent = example("cdr", version="2.1.1")

    response = old_client.post(
        f"{BASE}/emsp/cdrs", json.dumps(sent), content_type="application/json"
    )

    assert response.json()["status_code"] == 1000, response.content
    stored = Cdr.objects.get().document
    assert stored["end_date_time"] == "2026-03-02T10:00:00Z"
    assert stored["cdr_location"]["evse_uid"] == "EVSE-211"
    assert stored["total_cost"] == {"excl_vat": 4.0}
    served = old_client.get(f"{BASE}/emsp/cdrs/DE/OLD/CDR-211").json()["data"]
    assert served == sent


def test_2_1_1_answers_carry_no_request_ids(old_client):
    response = old_client.get(f"{BASE}/cpo/locations")

    assert response.json()["status_code"] == 1000
    assert "X-Request-ID" not in response
    assert TrafficLog.objects.get().url == f"{BASE}/cpo/locations"


def test_a_2_1_1_receiver_takes_a_patch_of_a_tariff(old_client):
    put(old_client, f"{BASE}/emsp/tariffs/DE/OLD/TARIFF-211", example("tariff", version="2.1.1"))
    patch = {
        "elements": [{"price_components": [{"type": "TIME", "price": "2.50", "step_size": 300}]}],
        "last_updated": "2026-03-05T08:00:00Z",
    }

    response = old_client.patch(
        f"{BASE}/emsp/tariffs/DE/OLD/TARIFF-211", json.dumps(patch), content_type="application/json"
    )

    assert response.json()["status_code"] == 1000, response.content
    stored = Tariff.objects.get().document
    assert stored["elements"][0]["price_components"][0]["price"] == 2.5
    assert stored["tariff_alt_text"] == example("tariff", version="2.1.1")["tariff_alt_text"]
    assert stored["last_updated"] == "2026-03-05T08:00:00Z"
    assert TrafficLog.objects.order_by("id").last().method == "PATCH"
