"""The admin shows connections and their traffic, never their tokens, and never edits the log."""

import pytest
from django.contrib.admin import site
from django.contrib.auth import get_user_model

from ocpi import traffic
from ocpi.admin import OcpiObjectAdmin
from ocpi.models import TrafficLog
from ocpi.objects import OcpiObject
from tests.support.connections import PARTNER_TOKEN


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    return client


def test_connection_page_shows_parties_but_no_token(admin_client, partner):
    page = admin_client.get(f"/admin/ocpi/connection/{partner.pk}/change/").content.decode()
    assert "DE" in page and "ABC" in page
    assert PARTNER_TOKEN not in page
    assert partner.inbound_token_hash not in page
    assert partner.outbound_token not in page
    assert partner.outbound_token_encrypted not in page
    assert f"?connection__id__exact={partner.pk}" in page


def test_connection_list_shows_status_and_parties(admin_client, partner):
    page = admin_client.get("/admin/ocpi/connection/").content.decode()
    assert "DE-ABC CPO" in page
    assert "registered" in page.lower()


def test_traffic_log_is_read_only_and_filterable(admin_client, partner):
    entry = traffic.record(
        direction=TrafficLog.Direction.INBOUND,
        method="GET",
        url="/ocpi/2.2.1/cpo/locations",
        connection=partner,
        http_status=200,
        duration_ms=3,
    )
    listing = admin_client.get(
        f"/admin/ocpi/trafficlog/?connection__id__exact={partner.pk}&direction__exact=in"
    )
    assert listing.status_code == 200
    assert "/ocpi/2.2.1/cpo/locations" in listing.content.decode()
    assert admin_client.get("/admin/ocpi/trafficlog/add/").status_code == 403
    change = admin_client.post(f"/admin/ocpi/trafficlog/{entry.pk}/change/", {"url": "/rewritten"})
    assert change.status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.url == "/ocpi/2.2.1/cpo/locations"


def test_own_parties_are_listed(admin_client, own_parties):
    page = admin_client.get("/admin/ocpi/ownparty/").content.decode()
    assert "NL-TMC" in page and "NL-TME" in page


def test_every_stored_ocpi_object_is_read_only_in_the_admin(admin_client):
    stored = [model for model in site._registry if issubclass(model, OcpiObject)]
    assert len(stored) >= 6  # locations, tokens, sessions, cdrs, tariffs, hub client info
    for model in stored:
        assert isinstance(site._registry[model], OcpiObjectAdmin), model
        meta = model._meta
        listing = admin_client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert listing.status_code == 200, model
        assert (
            admin_client.get(f"/admin/{meta.app_label}/{meta.model_name}/add/").status_code == 403
        )
