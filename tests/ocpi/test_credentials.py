"""The credentials module as server: partners register, rotate, read and end their credentials.

The partner's side is a real HTTP server on loopback (`FakePartner`), which our handshake calls
back with the token the partner sent us.
"""

import base64
import json

import pytest
from django.test import Client

from ocpi import tokens
from ocpi.credentials.services import connection_token_a_issue
from ocpi.models import Connection
from tests.support.partners import FAKE_PARTNER_TOKEN, FakePartner, envelope, free_port


@pytest.fixture
def token_a(own_parties):
    _, token = connection_token_a_issue(name="XYZ")
    return token


def as_partner(token: str, *, plain: bool = False) -> Client:
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(token, plain=plain))


def post_credentials(client: Client, body, method: str = "post"):
    return getattr(client, method)(
        "/ocpi/2.2.1/credentials", data=json.dumps(body), content_type="application/json"
    )


def register(token: str, partner: FakePartner) -> str:
    response = post_credentials(as_partner(token), partner.credentials())
    assert response.status_code == 200, response.content
    return response.json()["data"]["token"]


# Registration (POST) ---------------------------------------------------------------------------


def test_registration_answers_our_credentials_with_a_new_token(fake_partner, token_a):
    response = post_credentials(as_partner(token_a), fake_partner.credentials())

    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == 1000
    ours = body["data"]
    assert ours["token"] not in ("", token_a)
    assert ours["url"] == "http://127.0.0.1:8000/ocpi/versions"
    assert sorted((r["country_code"], r["party_id"], r["role"]) for r in ours["roles"]) == [
        ("NL", "TMC", "CPO"),
        ("NL", "TME", "EMSP"),
    ]
    assert ours["roles"][0]["business_details"]["name"]


def test_registration_stores_the_partner_and_fetches_its_api_with_its_token(fake_partner, token_a):
    register(token_a, fake_partner)

    connection = Connection.objects.get(name="XYZ")
    assert connection.status == Connection.Status.REGISTERED
    assert connection.registered_at is not None
    assert connection.version == "2.2.1"
    assert connection.versions_url == fake_partner.versions_url
    assert connection.outbound_token == FAKE_PARTNER_TOKEN
    assert connection.endpoint_url("cdrs", "RECEIVER") == f"{fake_partner.url}/ocpi/emsp/2.2.1/cdrs"
    [party] = connection.parties.all()
    assert (party.country_code, party.party_id, party.role) == ("DE", "XYZ", "EMSP")
    assert party.business_details["house_colour"] == "green"  # unknown fields survive
    # Their versions and details were fetched with their token, base64 as they sent ours.
    expected = tokens.authorization_header(FAKE_PARTNER_TOKEN, plain=False)
    assert [r["authorization"] for r in fake_partner.requests] == [expected, expected]
    assert connection.plain_token is False


def test_token_c_replaces_token_a(fake_partner, token_a):
    token_c = register(token_a, fake_partner)

    assert as_partner(token_c).get("/ocpi/2.2.1/credentials").status_code == 200
    reuse = post_credentials(as_partner(token_a), fake_partner.credentials())
    assert reuse.status_code == 401
    assert reuse.json()["status_code"] == 2000


def test_registering_twice_is_405(fake_partner, token_a):
    token_c = register(token_a, fake_partner)

    response = post_credentials(as_partner(token_c), fake_partner.credentials())

    assert response.status_code == 405
    assert response.json()["status_code"] == 2000
    assert "registered" in response.json()["status_message"]


def test_a_partner_sending_plain_tokens_is_called_with_plain_tokens(fake_partner, token_a):
    response = post_credentials(as_partner(token_a, plain=True), fake_partner.credentials())

    assert response.status_code == 200
    assert Connection.objects.get(name="XYZ").plain_token is True
    assert fake_partner.requests[0]["authorization"] == f"Token {FAKE_PARTNER_TOKEN}"


def test_a_failed_handshake_stores_nothing_and_token_a_still_registers(fake_partner, token_a):
    versions = fake_partner.routes[("GET", "/ocpi/versions")]
    fake_partner.routes[("GET", "/ocpi/versions")] = (200, "this is not json")
    assert post_credentials(as_partner(token_a), fake_partner.credentials()).status_code == 200

    connection = Connection.objects.get(name="XYZ")
    assert connection.status == Connection.Status.PENDING
    assert connection.outbound_token == ""
    assert not connection.parties.exists()

    fake_partner.routes[("GET", "/ocpi/versions")] = versions
    register(token_a, fake_partner)
    assert Connection.objects.get(name="XYZ").status == Connection.Status.REGISTERED


def test_the_mutual_version_is_chosen_among_several(fake_partner, token_a):
    fake_partner.routes[("GET", "/ocpi/versions")] = (
        200,
        envelope(
            [
                {"version": "2.1.1", "url": f"{fake_partner.url}/ocpi/2.1.1"},
                {"version": "2.3.0", "url": f"{fake_partner.url}/ocpi/2.3.0"},
                {"version": "2.2.1", "url": f"{fake_partner.url}/ocpi/2.2.1"},
            ]
        ),
    )

    register(token_a, fake_partner)

    assert [r["path"] for r in fake_partner.requests] == ["/ocpi/versions", "/ocpi/2.2.1"]
    assert Connection.objects.get(name="XYZ").version_url == f"{fake_partner.url}/ocpi/2.2.1"


# Handshake failures: 3001, 3002, 3003 ----------------------------------------------------------


def handshake_error(token: str, credentials: dict) -> dict:
    response = post_credentials(as_partner(token), credentials)
    assert response.status_code == 200
    return response.json()


def test_unreachable_versions_url_is_3001(fake_partner, token_a):
    credentials = fake_partner.credentials()
    credentials["url"] = f"http://127.0.0.1:{free_port()}/ocpi/versions"

    body = handshake_error(token_a, credentials)

    assert body["status_code"] == 3001
    assert body["status_message"].startswith("versions:")


def test_versions_answering_garbage_is_3001(fake_partner, token_a):
    fake_partner.routes[("GET", "/ocpi/versions")] = (200, "<html>maintenance</html>")

    body = handshake_error(token_a, fake_partner.credentials())

    assert body["status_code"] == 3001
    assert "not JSON" in body["status_message"]


def test_versions_answering_an_error_status_is_3001(fake_partner, token_a):
    fake_partner.routes[("GET", "/ocpi/versions")] = (401, envelope(None, 2000, "Unknown token"))

    body = handshake_error(token_a, fake_partner.credentials())

    assert body["status_code"] == 3001
    assert "Unknown token" in body["status_message"]


def test_version_details_answering_no_endpoints_is_3001(fake_partner, token_a):
    fake_partner.routes[("GET", "/ocpi/2.2.1")] = (200, envelope({"version": "2.2.1"}))

    body = handshake_error(token_a, fake_partner.credentials())

    assert body["status_code"] == 3001
    assert body["status_message"].startswith("version details:")


def test_a_version_url_longer_than_255_characters_is_3001(fake_partner, token_a):
    long_path = "/ocpi/" + "v" * 250
    fake_partner.routes[("GET", "/ocpi/versions")] = (
        200,
        envelope([{"version": "2.2.1", "url": fake_partner.url + long_path}]),
    )
    fake_partner.routes[("GET", long_path)] = fake_partner.routes[("GET", "/ocpi/2.2.1")]

    body = handshake_error(token_a, fake_partner.credentials())

    assert body["status_code"] == 3001
    assert body["status_message"].startswith("versions:")
    assert "255" in body["status_message"]
    assert Connection.objects.get(name="XYZ").status == Connection.Status.PENDING


def test_no_mutual_version_is_3002(fake_partner, token_a):
    fake_partner.routes[("GET", "/ocpi/versions")] = (
        200,
        envelope([{"version": "2.1.1", "url": f"{fake_partner.url}/ocpi/2.1.1"}]),
    )

    body = handshake_error(token_a, fake_partner.credentials())

    assert body["status_code"] == 3002
    assert "2.1.1" in body["status_message"]


def test_no_credentials_endpoint_is_3003(fake_partner, token_a):
    fake_partner.routes[("GET", "/ocpi/2.2.1")] = (
        200,
        envelope(
            {
                "version": "2.2.1",
                "endpoints": [
                    {"identifier": "cdrs", "role": "RECEIVER", "url": f"{fake_partner.url}/cdrs"}
                ],
            }
        ),
    )

    body = handshake_error(token_a, fake_partner.credentials())

    assert body["status_code"] == 3003
    assert "credentials" in body["status_message"]


# Validation of the Credentials object ----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c.update(token="x" * 65), "token"),
        (lambda c: c.update(token="has space"), "token"),
        (lambda c: c.pop("url"), "url"),
        (lambda c: c.update(url="ftp://partner.example.com/versions"), "url"),
        (lambda c: c.update(roles=[]), "roles"),
        (lambda c: c["roles"][0].update(role="DRIVER"), "roles.0.role"),
        (lambda c: c["roles"][0].update(party_id="ABCD"), "roles.0.party_id"),
        (lambda c: c["roles"][0].update(country_code="DEU"), "roles.0.country_code"),
        (lambda c: c["roles"][0]["business_details"].pop("name"), "roles.0.business_details.name"),
        (lambda c: c["roles"].append(dict(c["roles"][0])), "roles"),
    ],
)
def test_invalid_credentials_are_2001_naming_the_field(fake_partner, token_a, change, field):
    credentials = fake_partner.credentials()
    change(credentials)

    response = post_credentials(as_partner(token_a), credentials)

    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == 2001
    assert body["status_message"].startswith(f"{field}:")
    assert fake_partner.requests == []  # nothing was called with a bad object


def test_explicit_nulls_for_optional_fields_are_accepted(fake_partner, token_a):
    credentials = fake_partner.credentials()
    credentials["roles"][0]["business_details"].update(website=None, logo=None)

    assert post_credentials(as_partner(token_a), credentials).status_code == 200


# GET, PUT and DELETE ---------------------------------------------------------------------------


def test_get_returns_our_credentials_with_the_callers_token(fake_partner, token_a):
    token_c = register(token_a, fake_partner)

    body = as_partner(token_c).get("/ocpi/2.2.1/credentials").json()

    assert body["data"]["token"] == token_c
    assert body["data"]["url"] == "http://127.0.0.1:8000/ocpi/versions"
    assert len(body["data"]["roles"]) == 2


def test_update_issues_a_new_token_and_stores_theirs(fake_partner, token_a):
    token_c = register(token_a, fake_partner)
    fake_partner.calls.clear()

    response = post_credentials(
        as_partner(token_c), fake_partner.credentials("partner-token-b-rotated"), method="put"
    )

    assert response.status_code == 200
    new_token_c = response.json()["data"]["token"]
    assert new_token_c != token_c
    connection = Connection.objects.get(name="XYZ")
    assert connection.outbound_token == "partner-token-b-rotated"
    # Their endpoints were fetched again, with their new token.
    assert fake_partner.requests[0]["authorization"] == tokens.authorization_header(
        "partner-token-b-rotated", plain=False
    )
    assert as_partner(token_c).get("/ocpi/2.2.1/credentials").status_code == 401
    assert as_partner(new_token_c).get("/ocpi/2.2.1/credentials").status_code == 200


def test_update_before_registration_is_405(fake_partner, token_a):
    response = post_credentials(as_partner(token_a), fake_partner.credentials(), method="put")

    assert response.status_code == 405
    assert response.json()["status_code"] == 2000


def test_delete_unregisters_and_the_token_stops_working(fake_partner, token_a):
    token_c = register(token_a, fake_partner)

    response = as_partner(token_c).delete("/ocpi/2.2.1/credentials")

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    connection = Connection.objects.get(name="XYZ")
    assert connection.status == Connection.Status.CLOSED
    assert connection.inbound_token_hash is None
    assert connection.outbound_token == ""
    assert as_partner(token_c).get("/ocpi/versions").status_code == 401


def test_delete_before_registration_is_405(token_a):
    response = as_partner(token_a).delete("/ocpi/2.2.1/credentials")

    assert response.status_code == 405
    assert Connection.objects.get(name="XYZ").status == Connection.Status.PENDING


# Tokens that do not open the door ---------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer abc",
        "Token",
        "Token " + base64.b64encode(b"no-such-token").decode(),
    ],
    ids=["missing", "wrong-scheme", "empty", "unknown"],
)
def test_bad_tokens_are_401_in_the_envelope(client, token_a, fake_partner, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.post(
        "/ocpi/2.2.1/credentials",
        data=json.dumps(fake_partner.credentials()),
        content_type="application/json",
        **extra,
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["status_code"] == 2000
    assert body["status_message"]
    assert "timestamp" in body
    assert Connection.objects.get(name="XYZ").status == Connection.Status.PENDING
