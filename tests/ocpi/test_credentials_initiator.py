"""The handshake started by us: register, rotate, unregister, and the commands around them."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from ocpi import tokens
from ocpi.credentials.services import (
    HandshakeError,
    connection_credentials_rotate,
    connection_find,
    connection_register,
    connection_unregister,
    credentials_unregistration_accept,
    own_parties_ensure,
)
from ocpi.models import Connection, OwnParty
from tests.support.connections import make_connection
from tests.support.partners import FAKE_PARTNER_TOKEN, envelope, free_port

TOKEN_A = "their-token-a"


@pytest.fixture
def partner_api(fake_partner, own_parties):
    """The fake partner accepts registration, update and unregistration of our credentials."""
    credentials_path = "/ocpi/2.2.1/credentials"
    fake_partner.routes[("POST", credentials_path)] = (200, envelope(fake_partner.credentials()))
    fake_partner.routes[("PUT", credentials_path)] = (
        200,
        envelope(fake_partner.credentials("fake-partner-token-rotated")),
    )
    fake_partner.routes[("DELETE", credentials_path)] = (200, envelope(None))
    return fake_partner


def sent_to_credentials(partner, method: str) -> list[dict]:
    return [r for r in partner.requests_to("/ocpi/2.2.1/credentials") if r["method"] == method]


def test_register_with_partner_stores_the_partner(partner_api):
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    connection.refresh_from_db()
    assert connection.status == Connection.Status.REGISTERED
    assert connection.name == "XYZ Mobility"
    assert connection.version == "2.2.1"
    assert connection.outbound_token == FAKE_PARTNER_TOKEN
    assert connection.endpoint_url("cdrs", "RECEIVER") == f"{partner_api.url}/ocpi/emsp/2.2.1/cdrs"
    assert [(p.code, p.role) for p in connection.parties.all()] == [("DE-XYZ", "EMSP")]
    assert connection.identifier == "DE-XYZ"
    # Every call carried token A; the POST carried our token B, our URL and our roles.
    assert {r["authorization"] for r in partner_api.requests} == {
        tokens.authorization_header(TOKEN_A, plain=False)
    }
    [post] = sent_to_credentials(partner_api, "POST")
    assert post["body"]["url"] == "http://127.0.0.1:8000/ocpi/versions"
    assert {(r["party_id"], r["role"]) for r in post["body"]["roles"]} == {
        ("TMC", "CPO"),
        ("TME", "EMSP"),
    }
    assert tokens.token_matches(post["body"]["token"], connection.inbound_token_hash)


def test_register_with_plain_tokens(partner_api):
    connection = connection_register(
        versions_url=partner_api.versions_url, token_a=TOKEN_A, name="XYZ", plain_token=True
    )

    assert connection.name == "XYZ"
    assert connection.plain_token is True
    assert {r["authorization"] for r in partner_api.requests} == {f"Token {TOKEN_A}"}


def test_unreachable_partner_fails_at_versions_and_leaves_nothing(own_parties):
    with pytest.raises(HandshakeError) as failure:
        connection_register(
            versions_url=f"http://127.0.0.1:{free_port()}/ocpi/versions", token_a=TOKEN_A
        )

    assert failure.value.step == "versions"
    assert "ConnectionError" in failure.value.message
    assert not Connection.objects.exists()


def test_refused_registration_names_the_partners_answer_and_leaves_nothing(partner_api):
    partner_api.routes[("POST", "/ocpi/2.2.1/credentials")] = (
        200,
        envelope(None, 3001, "Cannot reach your versions endpoint"),
    )

    with pytest.raises(HandshakeError) as failure:
        connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    assert failure.value.step == "credentials"
    assert "3001" in failure.value.message
    assert "Cannot reach your versions endpoint" in failure.value.message
    assert not Connection.objects.exists()


def test_invalid_credentials_in_the_answer_name_the_field(partner_api):
    credentials = partner_api.credentials()
    del credentials["token"]
    partner_api.routes[("POST", "/ocpi/2.2.1/credentials")] = (200, envelope(credentials))

    with pytest.raises(HandshakeError) as failure:
        connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    assert failure.value.step == "credentials"
    assert "token:" in failure.value.message
    assert not Connection.objects.exists()


def test_partner_without_a_mutual_version_is_refused_before_posting(partner_api):
    partner_api.routes[("GET", "/ocpi/versions")] = (
        200,
        envelope([{"version": "2.0", "url": f"{partner_api.url}/ocpi/2.0"}]),
    )

    with pytest.raises(HandshakeError, match="no mutual OCPI version"):
        connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    assert sent_to_credentials(partner_api, "POST") == []


def test_registering_twice_with_the_same_partner_is_refused(partner_api):
    connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    with pytest.raises(HandshakeError) as failure:
        connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    assert failure.value.step == "check"
    assert Connection.objects.count() == 1


def test_a_versions_url_longer_than_we_store_is_refused_before_calling(partner_api):
    too_long = partner_api.versions_url + "?" + "x" * 255

    with pytest.raises(HandshakeError, match="longer than 255") as failure:
        connection_register(versions_url=too_long, token_a=TOKEN_A)

    assert failure.value.step == "check"
    assert partner_api.requests == []
    assert not Connection.objects.exists()


def test_rotate_sends_a_new_token_and_stores_theirs(partner_api):
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)
    token_b = sent_to_credentials(partner_api, "POST")[0]["body"]["token"]

    connection_credentials_rotate(connection=connection)

    [put] = sent_to_credentials(partner_api, "PUT")
    assert put["authorization"] == tokens.authorization_header(FAKE_PARTNER_TOKEN, plain=False)
    assert put["body"]["token"] != token_b
    connection.refresh_from_db()
    assert tokens.token_matches(put["body"]["token"], connection.inbound_token_hash)
    assert connection.outbound_token == "fake-partner-token-rotated"
    assert connection.status == Connection.Status.REGISTERED


def test_failed_rotation_keeps_the_old_tokens(partner_api):
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)
    token_b = sent_to_credentials(partner_api, "POST")[0]["body"]["token"]
    partner_api.routes[("PUT", "/ocpi/2.2.1/credentials")] = (
        400,
        envelope(None, 2001, "token: too long"),
    )

    with pytest.raises(HandshakeError, match="too long"):
        connection_credentials_rotate(connection=connection)

    connection.refresh_from_db()
    assert tokens.token_matches(token_b, connection.inbound_token_hash)
    assert connection.outbound_token == FAKE_PARTNER_TOKEN


def test_unregister_deletes_there_and_closes_here(partner_api):
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)
    token_b = sent_to_credentials(partner_api, "POST")[0]["body"]["token"]

    connection_unregister(connection=connection)

    [delete] = sent_to_credentials(partner_api, "DELETE")
    assert delete["authorization"] == tokens.authorization_header(FAKE_PARTNER_TOKEN, plain=False)
    connection.refresh_from_db()
    assert connection.status == Connection.Status.CLOSED
    header = tokens.authorization_header(token_b, plain=False)
    assert Client(HTTP_AUTHORIZATION=header).get("/ocpi/versions").status_code == 401


def test_unregister_of_a_suspended_connection_tells_the_partner_too(partner_api):
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)
    connection.status = Connection.Status.SUSPENDED
    connection.save()

    connection_unregister(connection=connection)

    assert len(sent_to_credentials(partner_api, "DELETE")) == 1
    assert connection.status == Connection.Status.CLOSED


def test_unregister_closes_here_even_when_the_partner_is_gone(partner_api):
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)
    partner_api.routes[("DELETE", "/ocpi/2.2.1/credentials")] = (
        405,
        envelope(None, 2000, "Not registered"),
    )

    with pytest.raises(HandshakeError) as failure:
        connection_unregister(connection=connection)

    assert failure.value.step == "unregister"
    assert "Not registered" in failure.value.message
    connection.refresh_from_db()
    assert connection.status == Connection.Status.CLOSED
    assert connection.inbound_token_hash is None


def test_find_connection_by_id_or_any_party_preferring_the_registered_one(own_parties):
    closed = make_connection("Old", "old-token", [("DE", "ABC", "CPO")])
    credentials_unregistration_accept(connection=closed)  # which releases DE-ABC for "New"
    current = make_connection("New", "new-token", [("DE", "ABC", "CPO"), ("DE", "ABE", "EMSP")])

    assert connection_find("de-abc") == current
    assert connection_find("DE-ABE") == current
    assert connection_find(str(closed.pk)) == closed
    with pytest.raises(Connection.DoesNotExist):
        connection_find("FR-XXX")


def test_ensure_own_parties_creates_them_once(db, settings):
    settings.OCPI_OWN_PARTIES = "nl-tmc:cpo, DE-EMP:EMSP"

    first = own_parties_ensure()
    second = own_parties_ensure()

    assert [(p.code, p.role) for p in first] == [("NL-TMC", "CPO"), ("DE-EMP", "EMSP")]
    assert first == second
    assert OwnParty.objects.count() == 2


@pytest.mark.parametrize("value", ["NL-TMC", "NLD-TMC:CPO", "NL-TMC:DRIVER"])
def test_ensure_own_parties_refuses_a_malformed_setting(db, settings, value):
    settings.OCPI_OWN_PARTIES = value

    with pytest.raises(ImproperlyConfigured, match="CC-PID:ROLE"):
        own_parties_ensure()


# Commands ---------------------------------------------------------------------------------------


def run(*args) -> dict | list:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_ocpi_token_a_issues_a_token_that_opens_versions(own_parties):
    issued = run("ocpi_token_a", "--name", "Future partner")

    assert issued["versions_url"] == "http://127.0.0.1:8000/ocpi/versions"
    connection = Connection.objects.get(pk=issued["connection_id"])
    assert (connection.name, connection.status) == ("Future partner", "pending")
    header = tokens.authorization_header(issued["token"], plain=False)
    assert Client(HTTP_AUTHORIZATION=header).get("/ocpi/versions").status_code == 200


def test_ocpi_register_prints_partner_version_and_roles(partner_api):
    printed = run("ocpi_register", partner_api.versions_url, "--token", TOKEN_A)

    assert printed["partner"] == "DE-XYZ"
    assert printed["version"] == "2.2.1"
    assert printed["roles"] == [{"party": "DE-XYZ", "role": "EMSP"}]
    assert printed["status"] == "registered"


def test_ocpi_register_failure_is_one_line_naming_the_step(partner_api):
    partner_api.routes[("GET", "/ocpi/versions")] = (401, envelope(None, 2000, "Unknown token"))

    with pytest.raises(CommandError) as failure:
        call_command("ocpi_register", partner_api.versions_url, "--token", "wrong")

    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith("Registration failed at versions:")
    assert "Unknown token" in message


def test_ocpi_rotate_and_unregister_accept_a_party_code(partner_api):
    run("ocpi_register", partner_api.versions_url, "--token", TOKEN_A)

    assert run("ocpi_rotate", "de-xyz")["status"] == "registered"
    assert run("ocpi_unregister", "DE-XYZ")["status"] == "closed"
    with pytest.raises(CommandError, match="No partner 'FR-XXX'"):
        call_command("ocpi_rotate", "FR-XXX")


def test_ocpi_unregister_reports_a_partner_that_was_not_told(partner_api):
    run("ocpi_register", partner_api.versions_url, "--token", TOKEN_A)
    partner_api.routes[("DELETE", "/ocpi/2.2.1/credentials")] = (500, "down")

    with pytest.raises(CommandError, match="Partner not told at unregister: closed here"):
        call_command("ocpi_unregister", "DE-XYZ")

    assert connection_find("DE-XYZ").status == Connection.Status.CLOSED


def test_ocpi_parties_prints_our_parties(db, settings):
    settings.OCPI_OWN_PARTIES = "NL-TMC:CPO"

    assert run("ocpi_parties") == [{"party": "NL-TMC", "role": "CPO", "name": "NL-TMC CPO"}]
