"""Transport: every answer under /ocpi/ is an envelope, requests carry ids, the log keeps no secret.

Views that fail on purpose live in this module's own URLconf (`@pytest.mark.urls(__name__)`).
"""

import json
import uuid

import pytest
from django.test import Client
from django.urls import include, path
from rest_framework.views import APIView

from ocpi import tokens
from ocpi.credentials.services import connection_token_a_issue
from ocpi.models import OwnParty, TrafficLog
from ocpi.transport.envelope import ocpi_response
from tests.support.partners import FAKE_PARTNER_TOKEN


class FailingOcpiView(APIView):
    def get(self, request):
        raise RuntimeError("a bug in an OCPI view")


def failing_plain_view(request):
    raise RuntimeError("a bug outside DRF")


class RegisteredOnlyView(APIView):
    def get(self, request):
        return ocpi_response({"ok": True})


urlpatterns = [
    path("ocpi/test/failing", FailingOcpiView.as_view()),
    path("ocpi/test/failing-plain", failing_plain_view),
    path("ocpi/test/registered-only", RegisteredOnlyView.as_view()),
    path("ocpi/", include("ocpi.urls")),
]


def assert_envelope(response, http_status: int, ocpi_status: int) -> dict:
    assert response.status_code == http_status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status_code"] == ocpi_status
    assert body["timestamp"].endswith("Z")
    return body


# Error paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/ocpi/2.2.1/no-such-module", "/ocpi/9.9.9", "/ocpi/"])
def test_unknown_ocpi_url_is_a_404_envelope(partner_client, url):
    body = assert_envelope(partner_client.get(url), 404, 2000)

    assert url in body["status_message"]


def test_unknown_ocpi_url_without_a_token_is_a_404_envelope_too(client, db):
    assert_envelope(client.get("/ocpi/2.2.1/no-such-module"), 404, 2000)


@pytest.mark.parametrize(
    ("method", "url"),
    [("patch", "/ocpi/2.2.1/credentials"), ("post", "/ocpi/versions"), ("delete", "/ocpi/2.2.1")],
)
def test_wrong_method_is_a_405_envelope(partner_client, method, url):
    response = getattr(partner_client, method)(url, data="{}", content_type="application/json")

    body = assert_envelope(response, 405, 2000)
    assert method.upper() in body["status_message"]
    assert "GET" in response["Allow"]


def test_invalid_json_is_2001(own_parties):
    _, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))

    response = client.post(
        "/ocpi/2.2.1/credentials", data='{"token": "abc",', content_type="application/json"
    )

    body = assert_envelope(response, 400, 2001)
    assert "JSON" in body["status_message"]


def test_a_too_long_field_is_2001_naming_it(own_parties):
    _, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))
    credentials = {
        "token": "t" * 65,
        "url": "https://partner.example.com/ocpi/versions",
        "roles": [
            {
                "role": "CPO",
                "party_id": "ABC",
                "country_code": "DE",
                "business_details": {"name": "ABC"},
            }
        ],
    }

    response = client.post(
        "/ocpi/2.2.1/credentials", data=json.dumps(credentials), content_type="application/json"
    )

    body = assert_envelope(response, 200, 2001)
    assert body["status_message"].startswith("token:")
    assert "64" in body["status_message"]


@pytest.mark.urls(__name__)
def test_a_failing_ocpi_view_is_a_500_envelope(partner_client):
    body = assert_envelope(partner_client.get("/ocpi/test/failing"), 500, 3000)

    assert "a bug" not in body["status_message"]  # internals stay inside


@pytest.mark.urls(__name__)
def test_a_failing_view_outside_drf_is_a_500_envelope(partner_client):
    response = partner_client.get("/ocpi/test/failing-plain")

    assert_envelope(response, 500, 3000)
    assert response["X-Request-ID"]


@pytest.mark.urls(__name__)
def test_a_pending_connection_reaches_only_versions_and_credentials(own_parties):
    _, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))

    assert client.get("/ocpi/versions").status_code == 200
    assert client.get("/ocpi/2.2.1/credentials").status_code == 200
    assert_envelope(client.get("/ocpi/test/registered-only"), 401, 2000)


@pytest.mark.urls(__name__)
def test_a_registered_connection_reaches_the_modules(partner_client):
    body = assert_envelope(partner_client.get("/ocpi/test/registered-only"), 200, 1000)

    assert body["data"] == {"ok": True}


# Request ids ------------------------------------------------------------------------------------


def test_request_and_correlation_ids_are_generated(partner_client):
    response = partner_client.get("/ocpi/versions")

    request_id = response["X-Request-ID"]
    assert str(uuid.UUID(request_id)) == request_id
    assert response["X-Correlation-ID"] == request_id


def test_request_and_correlation_ids_are_echoed(partner_client):
    response = partner_client.get(
        "/ocpi/versions", HTTP_X_REQUEST_ID="req-1", HTTP_X_CORRELATION_ID="corr-1"
    )

    assert (response["X-Request-ID"], response["X-Correlation-ID"]) == ("req-1", "corr-1")


def test_ids_are_on_error_answers_too(client, db):
    response = client.get("/ocpi/versions", HTTP_X_REQUEST_ID="req-401")

    assert response.status_code == 401
    assert response["X-Request-ID"] == "req-401"


# The traffic log --------------------------------------------------------------------------------


def test_the_traffic_log_records_a_registration_without_any_token(fake_partner, own_parties):
    connection, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))

    response = client.post(
        "/ocpi/2.2.1/credentials",
        data=json.dumps(fake_partner.credentials()),
        content_type="application/json",
        HTTP_X_REQUEST_ID="req-register",
    )
    assert response.status_code == 200
    token_c = response.json()["data"]["token"]

    inbound = TrafficLog.objects.get(direction=TrafficLog.Direction.INBOUND)
    assert (inbound.method, inbound.url) == ("POST", "/ocpi/2.2.1/credentials")
    assert (inbound.http_status, inbound.ocpi_status) == (200, 1000)
    assert inbound.connection == connection
    assert inbound.request_id == "req-register"
    assert '"token":"***"' in inbound.request_body.replace(" ", "")
    assert '"token":"***"' in inbound.response_body.replace(" ", "")
    # Our calls back to the partner (versions, version details) are logged as outbound.
    outbound = TrafficLog.objects.filter(direction=TrafficLog.Direction.OUTBOUND)
    assert sorted(row.url for row in outbound) == [
        f"{fake_partner.url}/ocpi/2.2.1",
        f"{fake_partner.url}/ocpi/versions",
    ]
    every_text = json.dumps(
        list(TrafficLog.objects.values("url", "request_body", "response_body", "error"))
    )
    for secret in (token_a, token_c, FAKE_PARTNER_TOKEN):
        assert secret not in every_text


def test_the_traffic_log_records_failed_authentication(client, db):
    client.get("/ocpi/versions", HTTP_AUTHORIZATION="Token bm8tc3VjaC10b2tlbg==")

    row = TrafficLog.objects.get()
    assert (row.http_status, row.ocpi_status, row.connection) == (401, 2000, None)


# Routing headers --------------------------------------------------------------------------------


def test_routing_headers_of_the_connections_parties_are_accepted(partner_client):
    response = partner_client.get(
        "/ocpi/versions",
        HTTP_OCPI_FROM_COUNTRY_CODE="DE",
        HTTP_OCPI_FROM_PARTY_ID="ABC",
        HTTP_OCPI_TO_COUNTRY_CODE="NL",
        HTTP_OCPI_TO_PARTY_ID="TMC",
    )

    assert_envelope(response, 200, 1000)


def test_ocpi_from_a_party_not_of_this_connection_is_rejected(partner_client):
    response = partner_client.get(
        "/ocpi/versions", HTTP_OCPI_FROM_COUNTRY_CODE="FR", HTTP_OCPI_FROM_PARTY_ID="XXX"
    )

    body = assert_envelope(response, 403, 2001)
    assert "FR-XXX" in body["status_message"]


def test_ocpi_to_a_party_not_hosted_here_is_rejected(partner_client):
    response = partner_client.get(
        "/ocpi/versions", HTTP_OCPI_TO_COUNTRY_CODE="NL", HTTP_OCPI_TO_PARTY_ID="ZZZ"
    )

    body = assert_envelope(response, 200, 2001)
    assert "NL-ZZZ" in body["status_message"]


def test_our_parties_and_the_partners_token_are_read_with_every_request(partner_client, partner):
    """Nothing about who may call or whom it may address is remembered between requests: a
    change by another process (`ocpi_parties`, a handshake, the admin) holds from the next one."""
    locations = "/ocpi/2.2.1/cpo/locations"
    to_new = {"HTTP_OCPI_TO_COUNTRY_CODE": "NL", "HTTP_OCPI_TO_PARTY_ID": "NEW"}
    assert_envelope(partner_client.get(locations, **to_new), 200, 2001)

    OwnParty.objects.create(country_code="NL", party_id="NEW", role="CPO", name="New CPO")
    assert_envelope(partner_client.get(locations, **to_new), 200, 1000)

    OwnParty.objects.filter(party_id="NEW").delete()
    assert_envelope(partner_client.get(locations, **to_new), 200, 2001)

    partner.set_inbound_token("the-partners-next-token")
    partner.save()
    assert_envelope(partner_client.get(locations), 401, 2000)


def test_half_a_routing_header_pair_is_rejected(partner_client):
    response = partner_client.get("/ocpi/versions", HTTP_OCPI_FROM_COUNTRY_CODE="DE")

    body = assert_envelope(response, 200, 2001)
    assert "OCPI-from-party-id" in body["status_message"]


def test_a_token_cut_by_the_body_limit_is_still_masked(settings, own_parties):
    _, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))
    secret = "s3cr3t-token-" + "x" * 40
    body = json.dumps({"token": secret, "url": "not a url", "roles": []})
    settings.OCPI_TRAFFIC_BODY_LIMIT = body.index(secret) + 10  # the cut falls inside the token

    client.post("/ocpi/2.2.1/credentials", data=body, content_type="application/json")

    row = TrafficLog.objects.get()
    assert row.request_body.endswith("…[truncated]")
    assert "s3cr3t" not in row.request_body


def test_a_token_with_escaped_quotes_is_masked_whole(own_parties):
    _, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))
    body = json.dumps({"token": 'abc"s3cr3t"def', "url": "not a url", "roles": []})

    client.post("/ocpi/2.2.1/credentials", data=body, content_type="application/json")

    row = TrafficLog.objects.get()
    assert "s3cr3t" not in row.request_body
    assert json.loads(row.request_body)["token"] == "***"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda c: c["roles"][0]["business_details"].update(note="a\x00b"),
            "roles.0.business_details.note",
        ),
        (lambda c: c.update({"x\x00": 1}), "x\x00"),
        (lambda c: c["roles"][0].update(party_id="A\x00"), "roles.0.party_id"),
    ],
)
def test_a_nul_character_anywhere_is_2001_naming_the_field(
    fake_partner, own_parties, change, field
):
    # PostgreSQL stores no NUL in text or JSONB: without this check the write fails with a 500.
    _, token_a = connection_token_a_issue(name="XYZ")
    client = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token_a, plain=False))
    credentials = fake_partner.credentials()
    change(credentials)

    response = client.post(
        "/ocpi/2.2.1/credentials", data=json.dumps(credentials), content_type="application/json"
    )

    body = assert_envelope(response, 200, 2001)
    assert body["status_message"].startswith(f"{field}:")


def test_options_is_not_an_ocpi_method(partner_client):
    response = partner_client.options("/ocpi/2.2.1/emsp/tariffs/DE/ABC/T1")
    assert response.status_code == 405
    assert response.json()["status_code"] == 2000
