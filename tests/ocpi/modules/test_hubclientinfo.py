"""Hub client info: a hub pushes the status of the parties it connects us to, and reads it back."""

import json

import pytest

from ocpi.modules.hubclientinfo.models import ClientInfo

URL = "/ocpi/2.2.1/{role}/hubclientinfo/{cc}/{pid}"


def client_info(**overrides):
    return {
        "country_code": "FR",
        "party_id": "XYZ",
        "role": "CPO",
        "status": "CONNECTED",
        "last_updated": "2026-03-01T10:00:00Z",
        **overrides,
    }


def put(client, body, role="cpo", cc="FR", pid="XYZ"):
    return client.put(
        URL.format(role=role, cc=cc, pid=pid), json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize("role", ["cpo", "emsp"])
def test_put_then_get_returns_the_document_as_pushed(partner_client, role):
    body = client_info(hub_note="kept")

    response = put(partner_client, body, role=role)

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    got = partner_client.get(URL.format(role=role, cc="fr", pid="xyz") + "/")
    assert got.status_code == 200
    assert got.json()["data"] == body


def test_a_newer_status_replaces_the_stored_one_and_an_older_one_does_not(partner_client):
    put(partner_client, client_info(status="PLANNED", last_updated="2026-03-01T10:00:00Z"))
    put(partner_client, client_info(status="CONNECTED", last_updated="2026-03-02T10:00:00Z"))
    put(partner_client, client_info(status="OFFLINE", last_updated="2026-03-01T12:00:00Z"))

    stored = ClientInfo.objects.get(country_code="FR", party_id="XYZ")
    assert stored.status == "CONNECTED"
    assert stored.role == "CPO"


def test_both_roles_of_one_party_are_kept_apart(partner_client):
    put(partner_client, client_info(role="CPO", status="CONNECTED"))
    put(partner_client, client_info(role="EMSP", status="SUSPENDED"))

    assert dict(ClientInfo.objects.values_list("ocpi_id", "status")) == {
        "CPO": "CONNECTED",
        "EMSP": "SUSPENDED",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (client_info(status="ASLEEP"), "status"),
        (client_info(role="DRIVER"), "role"),
        (client_info(last_updated="yesterday"), "last_updated"),
        ({k: v for k, v in client_info().items() if k != "status"}, "status"),
    ],
)
def test_an_invalid_client_info_is_answered_2001_naming_the_field(partner_client, body, field):
    response = put(partner_client, body)

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]
    assert not ClientInfo.objects.exists()


def test_a_party_in_the_body_that_differs_from_the_url_is_rejected(partner_client):
    response = put(partner_client, client_info(party_id="OTH"))

    assert response.json()["status_code"] == 2001
    assert "party_id" in response.json()["status_message"]


def test_get_of_an_unknown_party_is_404_in_the_envelope(partner_client):
    response = partner_client.get(URL.format(role="emsp", cc="FR", pid="NOP"))

    assert response.status_code == 404
    assert response.json()["status_code"] == 2000


def test_an_unauthenticated_push_is_refused(client, partner):
    response = put(client, client_info())

    assert response.status_code == 401
    assert not ClientInfo.objects.exists()


def test_version_details_list_the_receiver_endpoint(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1").json()["data"]["endpoints"]

    assert {"identifier": "hubclientinfo", "role": "RECEIVER"} in [
        {"identifier": e["identifier"], "role": e["role"]} for e in endpoints
    ]
