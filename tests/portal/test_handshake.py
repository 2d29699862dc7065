"""The partners page starts handshakes and issues tokens A, over real HTTP."""

import requests

from ocpi import tokens
from ocpi.models import Connection
from tests.support.partners import envelope


def test_handshake_with_an_unreachable_partner_names_the_failing_step(
    staff_client, own_parties, unused_port
):
    versions_url = f"http://127.0.0.1:{unused_port}/ocpi/versions"
    response = staff_client.post(
        "/partners/handshake/", {"versions_url": versions_url, "token_a": "their-token-a"}
    )
    assert response.status_code == 400
    errors = response.context["handshake_form"].non_field_errors()
    assert len(errors) == 1
    assert "step “versions”" in errors[0]
    assert versions_url in errors[0]
    assert "step “versions”" in response.content.decode()
    assert not Connection.objects.exists()


def test_handshake_form_requires_a_url_and_a_token(staff_client, own_parties):
    response = staff_client.post("/partners/handshake/", {"versions_url": "not a url"})
    assert response.status_code == 400
    form = response.context["handshake_form"]
    assert set(form.errors) == {"versions_url", "token_a"}


def test_issuing_a_token_a_shows_it_once_and_it_opens_our_versions(
    staff_client, own_parties, live_server, settings
):
    settings.OCPI_BASE_URL = live_server.url
    response = staff_client.post("/partners/token-a/", {"name": "Future Partner"})
    assert response.status_code == 200
    issued = response.context["issued"]
    token_a = issued["token"]
    page = response.content.decode()
    assert token_a in page
    assert f"{live_server.url}/ocpi/versions" in page
    assert issued["connection"].status == Connection.Status.PENDING

    assert token_a not in staff_client.get("/partners/").content.decode()
    reply = requests.get(
        f"{live_server.url}/ocpi/versions",
        headers={"Authorization": tokens.authorization_header(token_a, plain=False)},
        timeout=10,
    )
    assert reply.status_code == 200
    assert reply.json()["status_code"] == 1000


def test_handshake_registers_with_a_partner_over_http_and_rotates(
    staff_client, own_parties, fake_partner
):
    # A partner platform on loopback that accepts our registration and our rotation. (This
    # project cannot play the partner for itself: its parties would be claimed twice.)
    fake_partner.routes[("POST", "/ocpi/2.2.1/credentials")] = (
        200,
        envelope(fake_partner.credentials()),
    )
    fake_partner.routes[("PUT", "/ocpi/2.2.1/credentials")] = (
        200,
        envelope(fake_partner.credentials("fake-partner-token-rotated")),
    )

    response = staff_client.post(
        "/partners/handshake/",
        {
            "versions_url": fake_partner.versions_url,
            "token_a": "their-token-a",
            "name": "Live partner",
        },
    )

    ours = Connection.objects.get(name="Live partner")
    assert response.status_code == 302
    assert response["Location"] == f"/partners/{ours.pk}/"
    assert ours.status == Connection.Status.REGISTERED
    assert ours.version == "2.2.1"
    assert ours.endpoint_url("credentials", "RECEIVER")
    assert {p.code for p in ours.parties.all()} == {"DE-XYZ"}
    [posted] = fake_partner.requests_to("/ocpi/2.2.1/credentials")
    assert {r["party_id"] for r in posted["body"]["roles"]} == {"TMC", "TME"}

    detail = staff_client.get(response["Location"]).content.decode()
    assert "Registered with Live partner." in detail
    assert "/ocpi/2.2.1/credentials" in detail  # the handshake's calls, in the traffic log

    old_token = ours.outbound_token
    rotated = staff_client.post(f"/partners/{ours.pk}/rotate/", follow=True)
    assert "Credentials rotated" in rotated.content.decode()
    ours.refresh_from_db()
    assert ours.status == Connection.Status.REGISTERED
    assert ours.outbound_token != old_token
