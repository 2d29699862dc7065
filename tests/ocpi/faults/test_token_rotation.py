"""While we rotate a partner's token, its old token keeps working until it uses the new one or
the grace period (OCPI_TOKEN_GRACE_SECONDS) has passed; a failed rotation keeps the old one."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from ocpi import tokens
from ocpi.credentials.services import (
    HandshakeError,
    connection_credentials_rotate,
    connection_register,
)
from tests.support.partners import envelope

TOKEN_A = "their-token-a"
CREDENTIALS_PATH = "/ocpi/2.2.1/credentials"
LOCATIONS = "/ocpi/2.2.1/cpo/locations"


@pytest.fixture
def rotated(fake_partner, own_parties, settings):
    """A partner registered with us (token B `old`), then rotated to token `new`."""
    settings.OCPI_TOKEN_GRACE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["*"]
    fake_partner.routes[("POST", CREDENTIALS_PATH)] = (200, envelope(fake_partner.credentials()))
    fake_partner.routes[("PUT", CREDENTIALS_PATH)] = (
        200,
        envelope(fake_partner.credentials("their-rotated-token")),
    )
    connection = connection_register(versions_url=fake_partner.versions_url, token_a=TOKEN_A)
    old = sent(fake_partner, "POST")[0]["body"]["token"]
    connection_credentials_rotate(connection=connection)
    new = sent(fake_partner, "PUT")[0]["body"]["token"]
    return old, new


def sent(partner, method: str) -> list[dict]:
    return [r for r in partner.requests_to(CREDENTIALS_PATH) if r["method"] == method]


def status_with(token: str) -> int:
    response = Client(HTTP_AUTHORIZATION=tokens.authorization_header(token, plain=False)).get(
        LOCATIONS
    )
    return response.status_code


def test_the_old_token_keeps_working_until_the_partner_uses_the_new_one(rotated):
    old, new = rotated

    assert status_with(old) == 200
    assert status_with(old) == 200
    assert status_with(new) == 200
    assert status_with(old) == 401  # the partner has the new one: the old one is over
    assert status_with(new) == 200


def test_the_old_token_stops_working_when_the_grace_period_is_over(rotated):
    old, new = rotated

    with time_machine.travel(timezone.now() + timedelta(seconds=299), tick=False):
        assert status_with(old) == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=301), tick=False):
        assert status_with(old) == 401
        assert status_with(new) == 200


def test_a_failed_rotation_leaves_only_the_old_token(fake_partner, own_parties, settings):
    settings.ALLOWED_HOSTS = ["*"]
    fake_partner.routes[("POST", CREDENTIALS_PATH)] = (200, envelope(fake_partner.credentials()))
    fake_partner.routes[("PUT", CREDENTIALS_PATH)] = (400, envelope(None, 2001, "no"))
    connection = connection_register(versions_url=fake_partner.versions_url, token_a=TOKEN_A)
    old = sent(fake_partner, "POST")[0]["body"]["token"]

    with pytest.raises(HandshakeError):
        connection_credentials_rotate(connection=connection)

    offered = sent(fake_partner, "PUT")[0]["body"]["token"]
    assert status_with(old) == 200
    assert status_with(offered) == 401
    connection.refresh_from_db()
    assert connection.previous_inbound_token_hash == ""
