"""Commands: our CPO answers at once and reports the charge point's result to the eMSP's
response_url; our eMSP sends commands to a partner CPO and receives their results.

The charge point here is a scripted adapter (the simulator has its own tests), so each test
decides what the charge point does.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from ocpi.chargepoint_port import ChargePointAdapter, Outcome
from ocpi.modules.commands.models import Command
from ocpi.modules.commands.services import command_execute, command_send, commands_expire
from tests.support.builders import partner_token
from tests.support.partners import RESULT_PATH, envelope, results_received


class ScriptedAdapter(ChargePointAdapter):
    """A charge point that answers every command with `outcome` and remembers what it got."""

    outcome: Outcome | None = Outcome("ACCEPTED")
    executed: list = []  # reset by the fixture for each test

    def _run(self, command):
        self.executed.append((command.command, command.request))
        return self.outcome

    start_session = stop_session = reserve_now = cancel_reservation = unlock_connector = _run
    set_charging_profile = get_active_charging_profile = clear_charging_profile = _run


class NothingSupportedAdapter(ScriptedAdapter):
    supported_commands = frozenset()


@pytest.fixture
def adapter(settings):
    settings.CHARGEPOINT_ADAPTER = f"{__name__}.ScriptedAdapter"
    ScriptedAdapter.outcome = Outcome("ACCEPTED")
    ScriptedAdapter.executed = []
    return ScriptedAdapter


def start_session(response_url, **overrides):
    return {
        "response_url": response_url,
        "token": partner_token(),
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
        "connector_id": "1",
        **overrides,
    }


def post_command(client, command, body):
    return client.post(
        f"/ocpi/2.2.1/cpo/commands/{command}", json.dumps(body), content_type="application/json"
    )


# Our CPO receives commands.


def test_start_session_is_accepted_at_once_and_its_result_posted_to_the_response_url(
    partner_client, adapter, our_location, emsp, django_capture_on_commit_callbacks
):
    body = start_session(emsp.result_url, authorization_reference="AUTH-1")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_command(partner_client, "START_SESSION", body)

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    assert response.json()["data"] == {"result": "ACCEPTED", "timeout": 60}
    assert adapter.executed == [("START_SESSION", body)]
    assert results_received(emsp) == [{"result": "ACCEPTED"}]
    delivery = emsp.requests[-1]
    assert delivery["authorization"] == "Token " + "b3VyLXRva2VuLWItUGFydG5lcg=="  # token B
    command = Command.objects.get()
    assert command.direction == Command.Direction.RECEIVED
    assert command.status == Command.Status.COMPLETED
    assert command.result_delivered_at is not None


def test_the_response_is_sent_before_the_charge_point_is_asked(
    partner_client, adapter, our_location, emsp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_command(partner_client, "START_SESSION", start_session(emsp.result_url))

    assert response.json()["data"]["result"] == "ACCEPTED"
    assert adapter.executed == []
    assert len(callbacks) == 1  # the execution, queued for after the commit


@pytest.mark.parametrize(
    ("command", "body", "field"),
    [
        ("START_SESSION", start_session("https://emsp.example.com/r", token=None), "token"),
        ("START_SESSION", start_session("not a url"), "response_url"),
        (
            "START_SESSION",
            start_session("https://emsp.example.com/r", token=partner_token(uid=None)),
            "token.uid",
        ),
        (
            "START_SESSION",
            start_session("https://emsp.example.com/r", evse_uid=None),
            "evse_uid",
        ),
        ("STOP_SESSION", {"response_url": "https://emsp.example.com/r"}, "session_id"),
        (
            "RESERVE_NOW",
            {
                "response_url": "https://emsp.example.com/r",
                "token": partner_token(),
                "expiry_date": "tomorrow",
                "reservation_id": "R1",
                "location_id": "LOC1",
            },
            "expiry_date",
        ),
        ("CANCEL_RESERVATION", {"response_url": "https://emsp.example.com/r"}, "reservation_id"),
        (
            "UNLOCK_CONNECTOR",
            {"response_url": "https://emsp.example.com/r", "location_id": "LOC1"},
            "evse_uid",
        ),
    ],
)
def test_an_invalid_command_is_answered_2001_naming_the_field(
    partner_client, adapter, our_location, command, body, field
):
    response = post_command(partner_client, command, body)

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]
    assert not Command.objects.exists()


def test_a_body_that_is_not_a_json_object_is_answered_2001(partner_client, adapter):
    response = post_command(partner_client, "START_SESSION", [{"location_id": "LOC1"}])

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "JSON object" in response.json()["status_message"]
    assert not Command.objects.exists()


def test_an_unknown_command_is_a_404_in_the_envelope(partner_client, adapter):
    response = post_command(partner_client, "SELF_DESTRUCT", {})

    assert response.status_code == 404
    assert response.json()["status_code"] == 2000
    assert "SELF_DESTRUCT" in response.json()["status_message"]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"location_id": "NOWHERE"}, "NOWHERE"),
        ({"evse_uid": "EVSE9"}, "EVSE9"),
        ({"connector_id": "7"}, "7"),
    ],
)
def test_an_unknown_location_is_rejected_with_status_2003(
    partner_client,
    adapter,
    our_location,
    emsp,
    django_capture_on_commit_callbacks,
    overrides,
    named,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_command(
            partner_client, "START_SESSION", start_session(emsp.result_url, **overrides)
        )

    assert response.status_code == 404
    assert response.json()["status_code"] == 2003
    assert response.json()["data"]["result"] == "REJECTED"
    assert named in response.json()["status_message"]
    assert adapter.executed == []
    assert results_received(emsp) == []
    assert Command.objects.get().status == Command.Status.NOT_ACCEPTED


def test_a_token_of_another_emsp_is_rejected(partner_client, adapter, our_location, emsp):
    body = start_session(emsp.result_url, token=partner_token(country_code="FR", party_id="OTH"))

    response = post_command(partner_client, "START_SESSION", body)

    assert response.json()["status_code"] == 1000
    assert response.json()["data"]["result"] == "REJECTED"
    assert adapter.executed == []


def test_a_command_the_charge_point_cannot_do_is_not_supported(
    partner_client, adapter, settings, our_location, emsp
):
    settings.CHARGEPOINT_ADAPTER = f"{__name__}.NothingSupportedAdapter"

    response = post_command(
        partner_client,
        "UNLOCK_CONNECTOR",
        {
            "response_url": emsp.result_url,
            "location_id": "LOC1",
            "evse_uid": "EVSE1",
            "connector_id": "1",
        },
    )

    assert response.json()["data"]["result"] == "NOT_SUPPORTED"


def test_the_charge_point_result_is_reported_as_is(
    partner_client, adapter, our_location, emsp, django_capture_on_commit_callbacks
):
    adapter.outcome = Outcome("EVSE_OCCUPIED", "Another session is ongoing")

    with django_capture_on_commit_callbacks(execute=True):
        post_command(partner_client, "START_SESSION", start_session(emsp.result_url))

    assert results_received(emsp) == [
        {
            "result": "EVSE_OCCUPIED",
            "message": [{"language": "en", "text": "Another session is ongoing"}],
        }
    ]


def test_a_charge_point_that_never_answers_is_reported_timeout_after_the_timeout(
    partner_client, adapter, our_location, emsp, django_capture_on_commit_callbacks
):
    adapter.outcome = None  # the back end would report later, and never does
    with django_capture_on_commit_callbacks(execute=True):
        post_command(partner_client, "START_SESSION", start_session(emsp.result_url))
    assert results_received(emsp) == []

    with django_capture_on_commit_callbacks(execute=True):
        assert commands_expire(now=timezone.now() + timedelta(seconds=30)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert commands_expire(now=timezone.now() + timedelta(seconds=61)) == 1

    assert [r["result"] for r in results_received(emsp)] == ["TIMEOUT"]
    assert Command.objects.get().status == Command.Status.TIMED_OUT


def test_a_result_the_emsp_does_not_take_stays_undelivered_and_is_recorded(
    partner_client, adapter, our_location, emsp, django_capture_on_commit_callbacks
):
    emsp.routes[("POST", RESULT_PATH)] = (400, envelope(None, 2001, "no thanks"))

    with django_capture_on_commit_callbacks(execute=True):
        post_command(partner_client, "START_SESSION", start_session(emsp.result_url))

    command = Command.objects.get()
    assert command.result == "ACCEPTED"
    assert command.result_delivered_at is None
    assert "no thanks" in command.error
    assert len(results_received(emsp)) > 1  # retried


# Our eMSP sends commands.


@pytest.fixture
def partner_cpo(partner, fake_partner):
    """The partner's CPO side on loopback: its commands receiver answers ACCEPTED."""
    commands_url = f"{fake_partner.url}/ocpi/cpo/2.2.1/commands"
    partner.endpoints = [{"identifier": "commands", "role": "RECEIVER", "url": commands_url}]
    partner.save()
    fake_partner.routes[("POST", "/ocpi/cpo/2.2.1/commands/START_SESSION")] = (
        200,
        envelope({"result": "ACCEPTED", "timeout": 30}),
    )
    return fake_partner


def our_start_session(**overrides):
    body = start_session("unused", token=partner_token(country_code="NL", party_id="TME"))
    del body["response_url"]
    return {**body, **overrides}


def test_send_command_posts_with_our_response_url_and_stores_the_response(
    partner, partner_cpo, settings
):
    settings.OCPI_BASE_URL = "https://portal.example.com"

    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    sent = partner_cpo.requests[-1]
    assert sent["method"] == "POST"
    assert sent["path"] == "/ocpi/cpo/2.2.1/commands/START_SESSION"
    assert sent["body"]["response_url"] == (
        f"https://portal.example.com/ocpi/2.2.1/emsp/commands/START_SESSION/{command.uid}"
    )
    assert sent["body"]["token"]["uid"] == "APP0001"
    assert command.direction == Command.Direction.SENT
    assert command.party.party_id == "TME"
    assert command.response_result == "ACCEPTED"
    assert command.timeout == 30
    assert command.status == Command.Status.PENDING


def test_the_result_posted_by_the_cpo_completes_the_command(partner, partner_cpo, partner_client):
    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    response = partner_client.post(
        f"/ocpi/2.2.1/emsp/commands/START_SESSION/{command.uid}/",
        json.dumps({"result": "ACCEPTED", "message": [{"language": "en", "text": "Go"}]}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    command.refresh_from_db()
    assert command.status == Command.Status.COMPLETED
    assert command.result == "ACCEPTED"
    assert command.result_message == [{"language": "en", "text": "Go"}]


@pytest.mark.parametrize(
    "path",
    [
        "/ocpi/2.2.1/emsp/commands/START_SESSION/{unknown}",
        "/ocpi/2.2.1/emsp/commands/START_SESSION/not-a-uuid",
        "/ocpi/2.2.1/emsp/commands/STOP_SESSION/{uid}",
    ],
)
def test_a_result_for_a_command_we_did_not_send_is_404(partner, partner_cpo, partner_client, path):
    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    response = partner_client.post(
        path.format(uid=command.uid, unknown="6f1c3a52-5b2a-4a8e-9e0e-2b8f1f7a0c11"),
        json.dumps({"result": "ACCEPTED"}),
        content_type="application/json",
    )

    assert response.status_code == 404
    assert response.json()["status_code"] == 2000


def test_an_invalid_result_is_answered_2001(partner, partner_cpo, partner_client):
    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    response = partner_client.post(
        f"/ocpi/2.2.1/emsp/commands/START_SESSION/{command.uid}",
        json.dumps({"result": "MAYBE"}),
        content_type="application/json",
    )

    assert response.json()["status_code"] == 2001
    assert "result" in response.json()["status_message"]


def test_a_result_that_is_not_a_json_object_is_answered_2001(partner, partner_cpo, partner_client):
    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    response = partner_client.post(
        f"/ocpi/2.2.1/emsp/commands/START_SESSION/{command.uid}",
        json.dumps(["ACCEPTED"]),
        content_type="application/json",
    )

    assert response.json()["status_code"] == 2001
    assert "JSON object" in response.json()["status_message"]
    command.refresh_from_db()
    assert command.result == ""


def test_an_unknown_location_answer_leaves_the_command_not_accepted(partner, partner_cpo):
    partner_cpo.routes[("POST", "/ocpi/cpo/2.2.1/commands/START_SESSION")] = (
        404,
        envelope({"result": "REJECTED", "timeout": 30}, 2003, "Unknown location"),
    )

    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    assert command.response_result == "REJECTED"
    assert command.response_ocpi_status == 2003
    assert command.status == Command.Status.NOT_ACCEPTED


def test_a_sent_command_without_result_times_out(partner, partner_cpo):
    command = command_send(connection=partner, command="START_SESSION", body=our_start_session())

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert commands_expire() == 1

    command.refresh_from_db()
    assert command.status == Command.Status.TIMED_OUT
    assert command.result == "TIMEOUT"


class BrokenAdapter(ScriptedAdapter):
    def _run(self, command):
        raise ConnectionError("central system unreachable")

    start_session = _run


def test_a_command_reaches_the_charge_point_once_and_a_failure_is_reported(
    partner_client, adapter, settings, our_location, emsp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_command(partner_client, "START_SESSION", start_session(emsp.result_url))
    command = Command.objects.get()
    command_execute(command_id=command.pk)  # a redelivered task
    assert len(adapter.executed) == 1

    settings.CHARGEPOINT_ADAPTER = f"{__name__}.BrokenAdapter"
    with django_capture_on_commit_callbacks(execute=True):
        post_command(partner_client, "START_SESSION", start_session(emsp.result_url))

    assert results_received(emsp)[-1] == {
        "result": "FAILED",
        "message": [{"language": "en", "text": "ConnectionError: central system unreachable"}],
    }
