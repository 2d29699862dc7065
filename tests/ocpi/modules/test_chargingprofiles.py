"""Charging profiles: our CPO answers set/get/clear at once and posts the charge point's result
to the response_url (the simulator plays the charge point); our eMSP sends them to a partner CPO
and receives results and pushed profile updates."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from chargepoints import callbacks
from chargepoints.simulator import SimulatorAdapter
from ocpi import tokens
from ocpi.modules.chargingprofiles.models import ActiveChargingProfile, ChargingProfileRequest
from ocpi.modules.chargingprofiles.services import (
    active_charging_profile_get,
    charging_profile_clear,
    charging_profile_requests_expire,
    charging_profile_set,
)
from tests.support.connections import make_connection
from tests.support.partners import envelope, results_received

URL = "/ocpi/2.2.1/cpo/chargingprofiles/{session_id}"
PROFILE = {
    "charging_rate_unit": "A",
    "min_charging_rate": 6.0,
    "charging_profile_period": [
        {"start_period": 0, "limit": 16.0},
        {"start_period": 1800, "limit": 8.1},
    ],
}


class SilentChargePoint(SimulatorAdapter):
    """A charge point that never answers a charging profile request."""

    def set_charging_profile(self, request):
        return None


@pytest.fixture
def session(own_parties, our_location):
    cpo = own_parties["CPO"]
    return callbacks.session_started(
        party=cpo,
        session_id="S1",
        location_id="LOC1",
        evse_uid="EVSE1",
        connector_id="1",
        token={
            "country_code": "DE",
            "party_id": "ABE",
            "uid": "APP0001",
            "type": "APP_USER",
            "contract_id": "DE-ABE-C00001-1",
        },
        started_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
    )


def put_profile(client, emsp, session_id="S1", profile=PROFILE):
    return client.put(
        URL.format(session_id=session_id),
        json.dumps({"charging_profile": profile, "response_url": emsp.result_url}),
        content_type="application/json",
    )


def get_profile(client, emsp, session_id="S1", duration=900):
    return client.get(
        URL.format(session_id=session_id),
        {"duration": duration, "response_url": emsp.result_url},
    )


def clear_profile(client, emsp, session_id="S1"):
    return client.delete(URL.format(session_id=session_id) + f"?response_url={emsp.result_url}")


# Our CPO receives requests.


def test_a_profile_set_on_a_session_is_accepted_and_its_result_posted(
    partner_client, session, emsp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = put_profile(partner_client, emsp)

    assert response.status_code == 200
    assert response.json()["data"] == {"result": "ACCEPTED", "timeout": 30}
    assert results_received(emsp) == [{"result": "ACCEPTED"}]
    stored = ChargingProfileRequest.objects.get()
    assert stored.status == ChargingProfileRequest.Status.COMPLETED
    assert stored.result_delivered_at is not None


def test_get_returns_the_profile_in_force_and_after_clearing_the_evse_maximum(
    partner_client, session, emsp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        put_profile(partner_client, emsp)
        get_profile(partner_client, emsp, session_id="s1")
        clear_profile(partner_client, emsp)
        get_profile(partner_client, emsp, duration=600)
        clear_profile(partner_client, emsp)

    set_result, active, cleared, maximum, nothing_to_clear = results_received(emsp)
    assert set_result == {"result": "ACCEPTED"}
    assert active["result"] == "ACCEPTED"
    assert active["profile"]["charging_profile"] == {**PROFILE, "duration": 900}
    assert cleared == {"result": "ACCEPTED"}
    assert maximum["profile"]["charging_profile"] == {
        "charging_rate_unit": "W",
        "charging_profile_period": [{"start_period": 0, "limit": 11000.0}],
        "duration": 600,
    }
    assert nothing_to_clear == {"result": "UNKNOWN"}


def test_an_unknown_session_is_answered_unknown_session(
    partner_client, session, emsp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = put_profile(partner_client, emsp, session_id="NOPE")

    assert response.json()["data"]["result"] == "UNKNOWN_SESSION"
    assert results_received(emsp) == []


def test_another_emsps_session_is_rejected(partner_client, session, emsp, own_parties):
    make_connection("Other", "other-token-0123456789", [("FR", "OTH", "EMSP")])
    other = Client(
        HTTP_AUTHORIZATION=tokens.authorization_header("other-token-0123456789", plain=False)
    )

    assert put_profile(other, emsp).json()["data"]["result"] == "REJECTED"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda c, e: put_profile(c, e, profile={**PROFILE, "charging_rate_unit": "kW"}),
            "charging_rate_unit",
        ),
        (
            lambda c, e: put_profile(
                c,
                e,
                profile={
                    **PROFILE,
                    "charging_profile_period": [{"start_period": 0, "limit": 8.15}],
                },
            ),
            "charging_profile_period.0.limit",
        ),
        (
            lambda c, e: put_profile(c, e, profile={**PROFILE, "min_charging_rate": 6.05}),
            "min_charging_rate",
        ),
        (lambda c, e: get_profile(c, e, duration=""), "duration"),
        (lambda c, e: c.delete(URL.format(session_id="S1")), "response_url"),
        (
            lambda c, e: c.put(
                URL.format(session_id="S1"), json.dumps([PROFILE]), content_type="application/json"
            ),
            "JSON object",
        ),
    ],
)
def test_an_invalid_request_is_answered_2001_naming_the_field(
    partner_client, session, emsp, call, field
):
    response = call(partner_client, emsp)

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]
    assert not ChargingProfileRequest.objects.exists()


def test_a_request_without_result_times_out(
    partner_client, session, emsp, settings, django_capture_on_commit_callbacks
):
    settings.CHARGEPOINT_ADAPTER = f"{__name__}.SilentChargePoint"
    with django_capture_on_commit_callbacks(execute=True):
        put_profile(partner_client, emsp)

    assert charging_profile_requests_expire(now=timezone.now() + timedelta(seconds=29)) == 0
    assert charging_profile_requests_expire(now=timezone.now() + timedelta(seconds=31)) == 1
    assert ChargingProfileRequest.objects.get().status == ChargingProfileRequest.Status.TIMED_OUT


# Our eMSP sends requests.


class RoutesIgnoringQuery(dict):
    """Routes that match GET and DELETE calls whatever their query string."""

    def get(self, key, default=None):
        method, path = key
        return super().get((method, path.split("?")[0]), default)


@pytest.fixture
def partner_cpo(partner, fake_partner, settings):
    settings.OCPI_BASE_URL = "https://portal.example.com"
    url = f"{fake_partner.url}/ocpi/cpo/2.2.1/chargingprofiles"
    partner.endpoints = [{"identifier": "chargingprofiles", "role": "RECEIVER", "url": url}]
    partner.save()
    fake_partner.routes = RoutesIgnoringQuery(fake_partner.routes)
    accepted = (200, envelope({"result": "ACCEPTED", "timeout": 20}))
    for method in ("PUT", "GET", "DELETE"):
        fake_partner.routes[(method, "/ocpi/cpo/2.2.1/chargingprofiles/S7")] = accepted
    return fake_partner


def post_result(client, request, body):
    return client.post(
        f"/ocpi/2.2.1/emsp/chargingprofiles/{request.uid}",
        json.dumps(body),
        content_type="application/json",
    )


def test_set_puts_the_profile_with_our_response_url_and_takes_the_result(
    partner, partner_cpo, partner_client
):
    request = charging_profile_set(connection=partner, session_id="S7", charging_profile=PROFILE)

    sent = partner_cpo.requests[-1]
    assert (sent["method"], sent["path"]) == ("PUT", "/ocpi/cpo/2.2.1/chargingprofiles/S7")
    assert sent["body"] == {
        "charging_profile": PROFILE,
        "response_url": f"https://portal.example.com/ocpi/2.2.1/emsp/chargingprofiles/{request.uid}",
    }
    assert request.response_result == "ACCEPTED"
    assert request.timeout == 20

    assert (
        post_result(partner_client, request, {"result": "REJECTED"}).json()["status_code"] == 1000
    )
    request.refresh_from_db()
    assert request.status == ChargingProfileRequest.Status.COMPLETED
    assert request.result == "REJECTED"


def test_get_asks_with_duration_and_stores_the_active_profile_it_returns(
    partner, partner_cpo, partner_client
):
    request = active_charging_profile_get(connection=partner, session_id="S7", duration=900)

    sent = partner_cpo.requests[-1]
    query = parse_qs(urlsplit(sent["path"]).query)
    assert sent["method"] == "GET"
    assert query["duration"] == ["900"]
    assert query["response_url"] == [request.response_url]
    active = {
        "start_date_time": "2026-03-02T09:00:00Z",
        "charging_profile": {"charging_rate_unit": "W", "charging_profile_period": []},
    }

    post_result(partner_client, request, {"result": "ACCEPTED", "profile": active})

    assert ActiveChargingProfile.objects.get(session_id="S7").document == active


def test_clear_sends_a_delete_with_the_response_url(partner, partner_cpo):
    request = charging_profile_clear(connection=partner, session_id="S7")

    sent = partner_cpo.requests[-1]
    assert sent["method"] == "DELETE"
    assert parse_qs(urlsplit(sent["path"]).query) == {"response_url": [request.response_url]}
    assert request.status == ChargingProfileRequest.Status.PENDING


def test_a_refused_request_is_not_accepted(partner, partner_cpo):
    partner_cpo.routes[("PUT", "/ocpi/cpo/2.2.1/chargingprofiles/S7")] = (
        200,
        envelope({"result": "UNKNOWN_SESSION", "timeout": 0}),
    )

    request = charging_profile_set(connection=partner, session_id="S7", charging_profile=PROFILE)

    assert request.response_result == "UNKNOWN_SESSION"
    assert request.status == ChargingProfileRequest.Status.NOT_ACCEPTED


@pytest.mark.parametrize("uid", ["6f1c3a52-5b2a-4a8e-9e0e-2b8f1f7a0c11", "not-a-uuid"])
def test_a_result_for_an_unknown_request_is_404(partner, partner_client, uid):
    response = partner_client.post(
        f"/ocpi/2.2.1/emsp/chargingprofiles/{uid}",
        json.dumps({"result": "ACCEPTED"}),
        content_type="application/json",
    )

    assert response.status_code == 404


def test_the_cpo_may_push_a_changed_active_profile(partner, partner_client):
    active = {
        "start_date_time": "2026-03-02T09:00:00Z",
        "charging_profile": {
            "charging_rate_unit": "W",
            "charging_profile_period": [{"start_period": 0, "limit": 7400}],
        },
    }

    response = partner_client.put(
        "/ocpi/2.2.1/emsp/chargingprofiles/s7", json.dumps(active), content_type="application/json"
    )
    invalid = partner_client.put(
        "/ocpi/2.2.1/emsp/chargingprofiles/s7",
        json.dumps({"charging_profile": active["charging_profile"]}),
        content_type="application/json",
    )

    assert response.json()["status_code"] == 1000
    assert ActiveChargingProfile.objects.get(session_id="S7").document == active
    assert invalid.json()["status_code"] == 2001
    assert "start_date_time" in invalid.json()["status_message"]


def test_a_profile_the_station_changes_is_pushed_to_the_emsp_that_set_one(
    partner, partner_client, session, emsp, own_parties, django_capture_on_commit_callbacks
):
    sender_url = f"{emsp.url}/ocpi/emsp/2.2.1/chargingprofiles"
    partner.endpoints = [{"identifier": "chargingprofiles", "role": "SENDER", "url": sender_url}]
    partner.save()
    emsp.routes[("PUT", "/ocpi/emsp/2.2.1/chargingprofiles/S1")] = (200, envelope(None))
    active = {
        "start_date_time": "2026-03-02T09:00:00Z",
        "charging_profile": {
            "charging_rate_unit": "W",
            "charging_profile_period": [{"start_period": 0, "limit": 7400.0}],
        },
    }
    cpo = own_parties["CPO"]

    with django_capture_on_commit_callbacks(execute=True):
        before_any_profile = callbacks.active_charging_profile_changed(
            party=cpo, session_id="S1", profile=active
        )
        put_profile(partner_client, emsp)
        after_a_profile = callbacks.active_charging_profile_changed(
            party=cpo, session_id="S1", profile=active
        )

    assert (before_any_profile, after_a_profile) == (False, True)
    pushed = [r for r in emsp.requests if r["method"] == "PUT"]
    assert [(r["path"], r["body"]) for r in pushed] == [
        ("/ocpi/emsp/2.2.1/chargingprofiles/S1", active)
    ]
