"""Generated requests against every operation of our OpenAPI description, in-process over WSGI,
with the partner's token, an unknown token, token A of a pending partner, the partner's token not
base64-encoded, and no token at all:
no answer is a 5xx, and every answer is the OCPI envelope (JSON with status_code and timestamp).

Bounded: a few examples per operation, so that the whole run stays well under a minute.
"""

import json
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from ocpi import tokens
from ocpi.models import Connection
from ocpi.openapi import openapi_document
from portal.wsgi import application
from tests.support.connections import PARTNER_TOKEN

PENDING_TOKEN = "token-a-of-a-pending-partner"
AUTHORIZATIONS = {
    "partner": tokens.authorization_header(PARTNER_TOKEN, plain=False),
    "unknown token": tokens.authorization_header("no-such-token", plain=False),
    "token A": tokens.authorization_header(PENDING_TOKEN, plain=False),
    "plain partner token": f"Token {PARTNER_TOKEN}",
    "none": None,
}
EXAMPLES_PER_OPERATION = 5
EXAMPLES_WITHOUT_VALID_TOKEN = 2

schema = schemathesis.openapi.from_dict(openapi_document())
# Requests that fit the description and requests that do not (wrong types, missing fields).
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def wsgi_inside_the_test_transaction():
    """The WSGI app closes the database connection after each request, as it should between
    requests in production; here the connection holds the test's transaction (the test client
    disconnects the same handlers)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def partners(partner, our_location):
    """The registered partner (its parties DE-ABC CPO, DE-ABE eMSP), our location LOC1, and a
    pending partner holding token A."""
    pending = Connection(name="Pending", status=Connection.Status.PENDING)
    pending.set_inbound_token(PENDING_TOKEN)
    pending.save()
    return partner


def fit_to_partner(case, keys):
    """Point the generated request at the partner's own parties and ours, so that it gets past
    the party checks to the module's validation: path country_code/party_id and the
    OCPI-from-* headers name one of the partner's parties, OCPI-to-* one of ours."""
    country_code, party_id = keys.partner_party
    if case.path_parameters and "country_code" in case.path_parameters:
        case.path_parameters = {
            **case.path_parameters,
            "country_code": country_code,
            "party_id": party_id,
        }
    headers = dict(case.headers or {})
    if "OCPI-from-country-code" in headers or keys.routing:
        headers["OCPI-from-country-code"], headers["OCPI-from-party-id"] = country_code, party_id
        headers["OCPI-to-country-code"], headers["OCPI-to-party-id"] = keys.our_party
    case.headers = headers


@dataclass(frozen=True)
class Keys:
    partner_party: tuple[str, str]  # (country_code, party_id) of one of the partner's parties
    our_party: tuple[str, str]
    routing: bool  # add routing headers where none were generated


keys = st.builds(
    Keys,
    st.sampled_from([("DE", "ABC"), ("DE", "ABE")]),
    st.sampled_from([("NL", "TMC"), ("NL", "TME")]),
    st.booleans(),
)


def bounded(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def call(case, app, authorization: str | None):
    headers = dict(case.headers or {})
    headers.pop("Authorization", None)
    if authorization is not None:
        headers["Authorization"] = authorization
    case.headers = headers
    return case.call(app=app)


def assert_envelope(case, response, who: str) -> None:
    where = f"{case.method} {case.formatted_path} as {who}"
    assert response.status_code < 500, f"{where}: HTTP {response.status_code} {response.text[:300]}"
    [content_type] = response.headers.get("content-type", [""])
    assert content_type.startswith("application/json"), f"{where}: {content_type}"
    body = json.loads(response.content)
    assert isinstance(body, dict), where
    assert isinstance(body.get("status_code"), int), f"{where}: {response.text[:300]}"
    assert body.get("timestamp"), f"{where}: {response.text[:300]}"


@schema.parametrize()
@schema.given(fitted=st.booleans(), keys=keys)
@bounded(EXAMPLES_PER_OPERATION)
@pytest.mark.django_db
def test_the_partners_requests_get_an_envelope_and_never_a_server_error(
    case, fitted, keys, partners, wsgi_inside_the_test_transaction, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    if fitted:
        fit_to_partner(case, keys)
    response = call(case, wsgi_inside_the_test_transaction, AUTHORIZATIONS["partner"])
    assert_envelope(case, response, "partner")


@schema.parametrize()
@schema.given(who=st.sampled_from(sorted(set(AUTHORIZATIONS) - {"partner"})))
@bounded(EXAMPLES_WITHOUT_VALID_TOKEN)
@pytest.mark.django_db
def test_requests_without_a_valid_token_get_an_envelope_and_never_a_server_error(
    case, who, partners, wsgi_inside_the_test_transaction, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    response = call(case, wsgi_inside_the_test_transaction, AUTHORIZATIONS[who])
    assert_envelope(case, response, who)
