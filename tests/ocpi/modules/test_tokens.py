"""The tokens module: our eMSP's tokens and their real-time authorization, our CPO's token cache
and its real-time authorization requests to partner eMSPs (over real HTTP)."""

import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi.models import Connection, OwnParty
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_authorize_remotely, token_save_own
from ocpi.sync.models import PushDelivery
from ocpi.transport.exceptions import UnableToUseClientApi, UnknownToken
from tests.support.builders import example
from tests.support.builders import token as token_document
from tests.support.connections import make_connection
from tests.support.strategies import JSON_VALUES

RECEIVER = "/ocpi/2.2.1/cpo/tokens"
SENDER = "/ocpi/2.2.1/emsp/tokens"


def put(client, document, query=""):
    url = f"{RECEIVER}/{document['country_code']}/{document['party_id']}/{document['uid']}"
    return client.put(url + query, document, content_type="application/json")


# Our CPO's receiver: partner eMSPs' tokens


def test_put_token_is_stored_and_read_back(partner_client):
    document = token_document(visual_number="DF000-2001-8999", x_extension=1)

    response = put(partner_client, document)

    assert response.json()["status_code"] == 1000
    fetched = partner_client.get(f"{RECEIVER}/DE/ABE/012345678?type=RFID")
    assert fetched.json()["data"] == document
    token = Token.objects.get()
    assert (token.token_type, token.whitelist, token.valid) == ("RFID", "ALLOWED", True)


def test_tokens_with_the_same_uid_and_different_types_are_different_tokens(partner_client):
    put(partner_client, token_document())
    put(partner_client, token_document(type="APP_USER", whitelist="NEVER"), "?type=APP_USER")

    assert Token.objects.count() == 2
    app_user = partner_client.get(f"{RECEIVER}/DE/ABE/012345678?type=APP_USER").json()["data"]
    assert app_user["whitelist"] == "NEVER"
    assert partner_client.get(f"{RECEIVER}/DE/ABE/012345678").json()["data"]["type"] == "RFID"


def test_patch_invalidates_a_token(partner_client):
    put(partner_client, token_document())

    response = partner_client.patch(
        f"{RECEIVER}/DE/ABE/012345678",
        {"valid": False, "last_updated": "2024-01-02T10:00:00Z"},
        content_type="application/json",
    )

    assert response.json()["status_code"] == 1000
    token = Token.objects.get()
    assert token.valid is False
    assert token.document["issuer"] == "Test Mobility"


def test_patch_without_last_updated_is_refused(partner_client):
    put(partner_client, token_document())

    response = partner_client.patch(
        f"{RECEIVER}/DE/ABE/012345678", {"valid": False}, content_type="application/json"
    )

    assert response.json()["status_code"] == 2001
    assert Token.objects.get().valid is True


def test_patch_of_an_unknown_token_is_404(partner_client):
    response = partner_client.patch(
        f"{RECEIVER}/DE/ABE/NOPE",
        {"valid": False, "last_updated": "2024-01-02T10:00:00Z"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert response.json()["status_code"] == 2004


def test_url_and_body_must_agree_on_uid_and_type(partner_client):
    document = token_document()
    wrong_uid = partner_client.put(
        f"{RECEIVER}/DE/ABE/OTHER", document, content_type="application/json"
    )
    wrong_type = put(partner_client, document, "?type=APP_USER")

    assert wrong_uid.json()["status_code"] == 2001
    assert wrong_type.json()["status_code"] == 2001
    assert not Token.objects.exists()


def test_a_partner_cannot_write_tokens_of_another_party(partner_client):
    response = put(partner_client, token_document(party=("NL", "XYZ")))

    assert response.status_code == 403
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"whitelist": "SOMETIMES"}, "whitelist"),
        ({"issuer": "I" * 65}, "issuer"),
        ({"valid": None}, "valid"),
        ({"energy_contract": {"contract_id": "1"}}, "energy_contract.supplier_name"),
    ],
)
def test_invalid_token_is_refused_naming_the_field(partner_client, change, field):
    response = put(partner_client, token_document(**change))

    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]


@pytest.mark.parametrize("name", ["token_app_user", "token_rfid"])
def test_tokens_of_every_kind_are_received(partner_client, name):
    document = example(name)

    response = put(partner_client, document, f"?type={document['type']}")

    assert response.json()["status_code"] == 1000
    assert Token.objects.get().document == document


# Our eMSP's sender: our tokens and their real-time authorization


@pytest.fixture
def own_token(own_parties):
    def create(uid="OWN1", **changes):
        return token_save_own(
            party=own_parties["EMSP"], document=token_document(uid, party=("NL", "TME"), **changes)
        )

    return create


def test_sender_lists_our_tokens(partner_client, own_token):
    own_token("A")
    own_token("B", last_updated="2024-01-02T10:00:00Z")

    response = partner_client.get(SENDER, {"date_from": "2024-01-02T00:00:00Z"})

    assert [token["uid"] for token in response.json()["data"]] == ["B"]


@pytest.mark.parametrize("count", [5, 50])
def test_sender_page_takes_the_same_queries_for_5_or_50_tokens(
    partner_client, own_token, django_assert_max_num_queries, count
):
    for number in range(count):
        own_token(f"T{number}")

    with django_assert_max_num_queries(6):
        response = partner_client.get(SENDER)

    assert len(response.json()["data"]) == count


def test_our_token_is_pushed_to_cpo_receivers(own_parties):
    make_connection(
        "Receiving CPO",
        "receiving-token",
        [("BE", "CPX", "CPO")],
        endpoints=[{"identifier": "tokens", "role": "RECEIVER", "url": "https://cpo.example/t/"}],
    )

    token_save_own(party=own_parties["EMSP"], document=token_document(party=("NL", "TME")))

    delivery = PushDelivery.objects.get()
    assert (delivery.method, delivery.url) == (
        "PUT",
        "https://cpo.example/t/NL/TME/012345678?type=RFID",
    )


def authorize(client, uid, body=None, query=""):
    return client.post(
        f"{SENDER}/{uid}/authorize{query}", body or {}, content_type="application/json"
    )


def test_a_valid_token_is_allowed_with_the_location_echoed(partner_client, own_token):
    own_token()
    location = {"location_id": "LOC1", "evse_uids": ["E1", "E2"]}

    response = authorize(partner_client, "own1", location, "?type=RFID")

    assert response.status_code == 200
    info = response.json()["data"]
    assert info["allowed"] == "ALLOWED"
    assert info["token"]["uid"] == "OWN1"
    assert info["location"] == location
    assert info["authorization_reference"]


def test_an_invalid_token_is_blocked(partner_client, own_token):
    own_token(valid=False)

    info = authorize(partner_client, "OWN1").json()["data"]

    assert info["allowed"] == "BLOCKED"
    assert "authorization_reference" not in info


def test_an_unknown_token_is_404_with_2004(partner_client, own_token):
    own_token()

    response = authorize(partner_client, "OWN1", query="?type=APP_USER")

    assert response.status_code == 404
    assert response.json()["status_code"] == 2004
    assert "data" not in response.json()


def test_authorization_with_bad_location_references_is_refused(partner_client, own_token):
    own_token()

    response = authorize(partner_client, "OWN1", {"evse_uids": ["E1"]})

    assert response.json()["status_code"] == 2001
    assert "location_id" in response.json()["status_message"]


def test_a_partners_cached_token_is_not_ours_to_authorize(partner_client):
    put(partner_client, token_document())

    assert authorize(partner_client, "012345678").status_code == 404


# Our CPO asking a partner eMSP in real time, over HTTP. The partner is this same project,
# served by live_server: a loopback connection whose token works both ways.

LOOPBACK_TOKEN = "loopback-token-0123456789"


@pytest.fixture
def emsp_over_http(live_server):
    OwnParty.objects.create(country_code="NL", party_id="TMC", role="CPO", name="CPO")
    emsp = OwnParty.objects.create(country_code="NL", party_id="TME", role="EMSP", name="eMSP")
    connection = make_connection(
        "Loopback eMSP",
        LOOPBACK_TOKEN,
        [("NL", "TME", "EMSP"), ("NL", "TMC", "CPO")],
        endpoints=[
            {
                "identifier": "tokens",
                "role": "SENDER",
                "url": f"{live_server.url}/ocpi/2.2.1/emsp/tokens/",
            }
        ],
    )
    connection.outbound_token = LOOPBACK_TOKEN
    connection.save()
    return emsp


def test_remote_authorization_asks_the_emsp_and_caches_its_token(emsp_over_http):
    token_save_own(party=emsp_over_http, document=token_document("RT1", party=("NL", "TME")))

    info = token_authorize_remotely(token_uid="rt1", location={"location_id": "LOC1"})

    assert info["allowed"] == "ALLOWED"
    assert info["location"] == {"location_id": "LOC1"}
    assert info["authorization_reference"]
    cached = Token.objects.get(ocpi_id="RT1", source__isnull=False)
    assert cached.source.name == "Loopback eMSP"


def test_remote_authorization_reports_a_blocked_token(emsp_over_http):
    token_save_own(
        party=emsp_over_http, document=token_document("RT2", party=("NL", "TME"), valid=False)
    )

    assert token_authorize_remotely(token_uid="RT2")["allowed"] == "BLOCKED"


def test_a_token_no_emsp_knows_is_unknown(emsp_over_http):
    with pytest.raises(UnknownToken):
        token_authorize_remotely(token_uid="NOBODY", token_type="APP_USER")


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tokens"


@pytest.fixture
def unreachable_emsp(partner):
    partner.endpoints = [{"identifier": "tokens", "role": "SENDER", "url": closed_port_url()}]
    partner.save()
    return partner


def cache_partner_token(connection: Connection, **changes):
    from ocpi.modules.tokens.services import store_from_partner

    store_from_partner(connection=connection, document=token_document(**changes))


def test_an_unreachable_emsp_lets_an_allowed_offline_token_charge(unreachable_emsp):
    cache_partner_token(unreachable_emsp, whitelist="ALLOWED_OFFLINE")

    assert token_authorize_remotely(token_uid="012345678")["allowed"] == "ALLOWED"


def test_an_unreachable_emsp_refuses_a_never_whitelisted_token(unreachable_emsp):
    cache_partner_token(unreachable_emsp, whitelist="NEVER")

    with pytest.raises(UnableToUseClientApi):
        token_authorize_remotely(token_uid="012345678")


def test_an_always_whitelisted_token_is_decided_without_asking(unreachable_emsp):
    cache_partner_token(unreachable_emsp, whitelist="ALWAYS")

    assert token_authorize_remotely(token_uid="012345678")["allowed"] == "ALLOWED"


def test_admin_lists_tokens_and_shows_their_document(partner_client, admin_client):
    put(partner_client, token_document())
    token = Token.objects.get()

    listing = admin_client.get("/admin/ocpi_tokens/token/", {"valid__exact": "1"})
    page = admin_client.get(f"/admin/ocpi_tokens/token/{token.pk}/change/")

    assert "012345678" in listing.content.decode()
    assert "Test Mobility" in page.content.decode()


# Whatever a partner sends, the answer is an OCPI answer: never a server error.

TOKEN_PATHS = [("uid",), ("type",), ("valid",), ("whitelist",), ("last_updated",), ("issuer",)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(TOKEN_PATHS), value=JSON_VALUES)
def test_any_mangled_token_or_authorization_gets_an_ocpi_answer(partner_client, path, value):
    document = token_document(**{path[0]: value})

    stored = partner_client.put(
        f"{RECEIVER}/DE/ABE/012345678", document, content_type="application/json"
    )
    authorized = partner_client.post(
        f"{SENDER}/012345678/authorize", {"location_id": value}, content_type="application/json"
    )

    for response in (stored, authorized):
        assert response.status_code in (200, 400, 403, 404)
        assert response.json()["status_code"] in (1000, 2001, 2004)


def test_a_whitelisted_token_of_an_emsp_without_authorization_endpoint_is_decided_here(partner):
    cache_partner_token(partner, whitelist="ALLOWED")

    assert token_authorize_remotely(token_uid="012345678")["allowed"] == "ALLOWED"


def test_a_never_whitelisted_token_of_an_emsp_without_authorization_endpoint_is_refused(partner):
    cache_partner_token(partner, whitelist="NEVER")

    with pytest.raises(UnableToUseClientApi, match="no real-time authorization"):
        token_authorize_remotely(token_uid="012345678")


def test_an_unknown_token_with_an_unreachable_emsp_is_not_called_unknown(unreachable_emsp):
    with pytest.raises(UnableToUseClientApi, match="Partner"):
        token_authorize_remotely(token_uid="NEVER-SEEN")


def test_version_details_offer_both_tokens_interfaces(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1").json()["data"]["endpoints"]

    assert {(e["role"], e["url"]) for e in endpoints if e["identifier"] == "tokens"} == {
        ("SENDER", "http://127.0.0.1:8000/ocpi/2.2.1/emsp/tokens"),
        ("RECEIVER", "http://127.0.0.1:8000/ocpi/2.2.1/cpo/tokens"),
    }
