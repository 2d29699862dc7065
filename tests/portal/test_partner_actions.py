"""Suspend, resume and unregister from the partner page."""

from ocpi.models import Connection
from tests.support.connections import PARTNER_TOKEN


def test_suspended_partner_is_refused_until_resumed(staff_client, partner, partner_client):
    response = staff_client.post(f"/partners/{partner.pk}/suspend/", follow=True)
    assert "Suspended" in response.content.decode()
    partner.refresh_from_db()
    assert partner.status == Connection.Status.SUSPENDED
    assert partner_client.get("/ocpi/versions").status_code == 401

    staff_client.post(f"/partners/{partner.pk}/resume/")
    partner.refresh_from_db()
    assert partner.status == Connection.Status.REGISTERED
    assert partner_client.get("/ocpi/versions").status_code == 200


def test_suspending_a_pending_connection_is_refused_with_a_message(staff_client, own_parties):
    pending = Connection.objects.create(name="Pending one")
    response = staff_client.post(f"/partners/{pending.pk}/suspend/", follow=True)
    assert "Only a registered connection can be suspended" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Connection.Status.PENDING


def test_unregister_closes_the_connection_even_when_the_partner_is_unreachable(
    staff_client, partner, partner_client, settings, unused_port
):
    settings.OCPI_CLIENT_RETRIES = 0
    credentials_url = f"http://127.0.0.1:{unused_port}/ocpi/2.2.1/credentials"
    partner.endpoints = [{"identifier": "credentials", "role": "RECEIVER", "url": credentials_url}]
    partner.save()
    response = staff_client.post(f"/partners/{partner.pk}/unregister/", follow=True)
    assert "Unregister failed at step “unregister”" in response.content.decode()
    partner.refresh_from_db()
    assert partner.status == Connection.Status.CLOSED
    assert partner_client.get("/ocpi/versions").status_code == 401
    assert PARTNER_TOKEN not in response.content.decode()


def test_unknown_action_is_404(staff_client, partner):
    assert staff_client.post(f"/partners/{partner.pk}/explode/").status_code == 404
