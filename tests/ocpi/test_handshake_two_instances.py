"""The credentials handshake between two real instances (a CPO and an eMSP) over loopback HTTP."""

import pytest
import requests

from ocpi import tokens
from tests.support.instances import register


@pytest.fixture(autouse=True)
def unconnected(cpo_instance, emsp_instance):
    """The instances live for the session; each test here starts with them unconnected."""
    cpo_instance.unregister_all()
    emsp_instance.unregister_all()


def get_credentials(instance, token: str, *, plain: bool = False) -> requests.Response:
    return requests.get(
        f"{instance.url}/ocpi/2.3.0/credentials",
        headers={"Authorization": tokens.authorization_header(token, plain=plain)},
        timeout=10,
    )


def test_register_rotate_and_unregister_between_two_instances(cpo_instance, emsp_instance):
    issued = emsp_instance.manage_json("ocpi_token_a", "--name", "Our CPO partner")
    assert issued["versions_url"] == emsp_instance.versions_url

    registered = cpo_instance.manage_json(
        "ocpi_register", issued["versions_url"], "--token", issued["token"]
    )
    assert registered["partner"] == "DE-EMP"
    assert registered["version"] == "2.3.0"  # the highest version both offer
    assert registered["roles"] == [{"party": "DE-EMP", "role": "EMSP"}]

    # Both sides now hold a registered connection naming the other's parties.
    at_cpo = cpo_instance.connection(registered["connection_id"])
    at_emsp = emsp_instance.connection(issued["connection_id"])
    assert (at_cpo["status"], at_cpo["parties"]) == ("registered", ["DE-EMP"])
    assert (at_emsp["status"], at_emsp["parties"]) == ("registered", ["NL-TMC"])
    assert at_emsp["name"] == "Our CPO partner"

    # Each side's stored token opens the other side: token C (CPO -> eMSP), token B (eMSP -> CPO).
    token_c, token_b = at_cpo["outbound_token"], at_emsp["outbound_token"]
    answer = get_credentials(emsp_instance, token_c)
    assert answer.status_code == 200
    assert answer.json()["data"]["token"] == token_c
    assert answer.json()["data"]["url"] == emsp_instance.versions_url
    assert [r["party_id"] for r in answer.json()["data"]["roles"]] == ["EMP"]
    assert get_credentials(cpo_instance, token_b).status_code == 200
    # Token A was for the registration only.
    assert get_credentials(emsp_instance, issued["token"]).status_code == 401

    # A second registration over the same connection is refused with 405.
    again = requests.post(
        f"{emsp_instance.url}/ocpi/2.3.0/credentials",
        json=answer.json()["data"],
        headers={"Authorization": tokens.authorization_header(token_c, plain=False)},
        timeout=10,
    )
    assert again.status_code == 405
    assert again.json()["status_code"] == 2000

    rotated = cpo_instance.manage_json("ocpi_rotate", "DE-EMP")
    assert rotated["status"] == "registered"
    new_token_c = cpo_instance.connection(registered["connection_id"])["outbound_token"]
    new_token_b = emsp_instance.connection(issued["connection_id"])["outbound_token"]
    assert {new_token_c, new_token_b}.isdisjoint({token_c, token_b})
    assert get_credentials(emsp_instance, token_c).status_code == 401
    assert get_credentials(cpo_instance, token_b).status_code == 401
    assert get_credentials(emsp_instance, new_token_c).status_code == 200
    assert get_credentials(cpo_instance, new_token_b).status_code == 200

    unregistered = cpo_instance.manage_json("ocpi_unregister", "DE-EMP")
    assert unregistered["status"] == "closed"
    assert emsp_instance.connection(issued["connection_id"])["status"] == "closed"
    assert get_credentials(emsp_instance, new_token_c).status_code == 401
    assert get_credentials(cpo_instance, new_token_b).status_code == 401


def test_registration_with_plain_tokens_is_answered_in_kind(cpo_instance, emsp_instance):
    at_cpo, at_emsp = register(cpo_instance, emsp_instance, "--plain-token")

    assert at_cpo["parties"] == ["DE-EMP"]
    # The eMSP noticed the plain token and calls the CPO with plain tokens too.
    assert at_emsp["plain_token"] is True
    assert at_emsp["name"] == "NL-TMC CPO"  # no name given: the partner's business details
    assert get_credentials(emsp_instance, at_cpo["outbound_token"], plain=True).status_code == 200
    assert get_credentials(cpo_instance, at_emsp["outbound_token"], plain=True).status_code == 200


def test_failed_registration_names_the_step_and_leaves_nothing_behind(cpo_instance, emsp_instance):
    before = cpo_instance.connections()
    result = cpo_instance.manage(
        "ocpi_register", emsp_instance.versions_url, "--token", "not-a-token-a"
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "versions" in lines[0]
    assert "401" in lines[0]
    assert cpo_instance.connections() == before
