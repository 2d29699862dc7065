"""Who may see the portal pages, and what the partner pages show."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from ocpi import traffic
from ocpi.models import TrafficLog
from ocpi.sync.models import PushDelivery, SyncState
from portal.staff.roles import SUPPORT


@pytest.mark.parametrize("path", ["/", "/partners/", "/partners/1/"])
def test_anonymous_users_are_sent_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("path", ["/partners/", "/partners/1/"])
def test_partner_pages_are_forbidden_to_users_who_are_not_staff(driver_client, path):
    assert driver_client.get(path).status_code == 403


def test_partner_actions_are_forbidden_to_users_who_are_not_staff(driver_client):
    response = driver_client.post("/partners/token-a/", {"name": "Sneaky"})
    assert response.status_code == 403


def test_staff_can_log_in_with_the_login_form(client, db):
    user = get_user_model().objects.create_user("alice", password="s3cret-pw")
    user.groups.add(Group.objects.get_or_create(name=SUPPORT)[0])
    response = client.post("/login/", {"username": "alice", "password": "s3cret-pw"})
    assert response.status_code == 302
    assert client.get("/partners/").status_code == 200


def test_partners_page_lists_connections_with_status_version_and_parties(staff_client, partner):
    page = staff_client.get("/partners/").content.decode()
    assert "Partner" in page
    assert "Registered" in page
    assert "2.2.1" in page
    assert "DE-ABC" in page and "DE-ABE" in page


def test_partner_detail_shows_the_connections_traffic_with_bodies(staff_client, partner):
    traffic.record(
        direction=TrafficLog.Direction.INBOUND,
        method="PUT",
        url="/ocpi/2.2.1/emsp/locations/DE/ABC/LOC77",
        connection=partner,
        http_status=200,
        duration_ms=12,
        request_body=b'{"id": "LOC77", "token": "secret-value"}',
        response_body=b'{"status_code": 1000}',
    )
    page = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "PUT /ocpi/2.2.1/emsp/locations/DE/ABC/LOC77" in page
    assert "LOC77" in page
    assert "secret-value" not in page
    assert "1000" in page


def test_partner_detail_pages_through_long_traffic_logs(staff_client, partner):
    for n in range(30):
        traffic.record(
            direction=TrafficLog.Direction.OUTBOUND,
            method="GET",
            url=f"https://partner.example/ocpi/page-{n:02d}",
            connection=partner,
            http_status=200,
            duration_ms=1,
        )
    first = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    second = staff_client.get(f"/partners/{partner.pk}/?page=2").content.decode()
    assert "page-29" in first and "page-00" not in first
    assert "page-00" in second and "page-29" not in second


def test_unknown_partner_is_404(staff_client):
    assert staff_client.get("/partners/999999/").status_code == 404


def test_partner_detail_shows_pull_state_and_push_deliveries(staff_client, partner, own_parties):
    SyncState.objects.create(
        connection=partner,
        module="locations",
        last_run_at=timezone.now(),
        counts={"stored": 42},
        last_error="GET https://partner.example/ocpi/locations answered HTTP 503",
    )
    PushDelivery.objects.create(
        connection=partner,
        party=own_parties["CPO"],
        module="locations",
        method="PATCH",
        url="https://partner.example/ocpi/emsp/locations/NL/TMC/LOC1/EVSE1",
        body={"status": "CHARGING"},
        object_key="locations/NL/TMC/LOC1",
        status=PushDelivery.Status.FAILED,
        attempts=5,
        last_error="HTTP 500",
    )
    page = staff_client.get(f"/partners/{partner.pk}/").content.decode()
    assert "stored 42" in page
    assert "the partner answered HTTP 503" in page
    assert "the partner answered HTTP 500" in page
    assert "PATCH https://partner.example/ocpi/emsp/locations/NL/TMC/LOC1/EVSE1" in page
    assert "Failed" in page
