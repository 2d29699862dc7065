"""The outbound client against a partner on loopback HTTP."""

import pytest

from ocpi.client import OcpiClient, OcpiClientError


@pytest.fixture
def client_for(partner, fake_partner):
    return OcpiClient(partner, token="token-for-the-partner")


def test_answer_with_a_nul_character_is_refused_naming_where(client_for, fake_partner):
    fake_partner.routes[("GET", "/things")] = (
        200,
        '{"status_code": 1000, "data": [{"id": "a\\u0000b"}]}',
    )
    with pytest.raises(OcpiClientError, match=r"NUL characters at data\.0\.id"):
        client_for.call("GET", f"{fake_partner.url}/things")


def test_ocpi_error_status_raises_with_the_partners_message(client_for, fake_partner):
    fake_partner.routes[("GET", "/things")] = (
        200,
        {"status_code": 2001, "status_message": "limit: too large"},
    )
    with pytest.raises(OcpiClientError, match="2001: limit: too large"):
        client_for.call("GET", f"{fake_partner.url}/things")


def test_a_server_error_is_tried_again_before_it_is_reported(client_for, fake_partner):
    fake_partner.routes[("GET", "/things")] = (503, {"status_code": 3000})
    with pytest.raises(OcpiClientError, match="HTTP 503"):
        client_for.call("GET", f"{fake_partner.url}/things", retries=1)
    assert len(fake_partner.requests_to("/things")) == 2


def test_a_client_error_is_not_tried_again(client_for, fake_partner):
    fake_partner.routes[("GET", "/things")] = (400, {"status_code": 2001})
    with pytest.raises(OcpiClientError, match="HTTP 400"):
        client_for.call("GET", f"{fake_partner.url}/things", retries=1)
    assert len(fake_partner.requests_to("/things")) == 1
