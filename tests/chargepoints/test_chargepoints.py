"""The charge point simulator behind our CPO: remote start and stop produce a session, its
charging periods and a priced CDR, with the EVSE status following along."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from chargepoints import callbacks
from chargepoints.simulator import SimulatorAdapter
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.commands.models import Command
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from ocpi.modules.tariffs.services import tariff_save_own
from ocpi.objects import upsert_object
from tests.support.builders import connector, evse, partner_token
from tests.support.instances import COMMAND_TIMEOUT_SECONDS, PROJECT_DIR
from tests.support.partners import results_received

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def our_evse(uid: str, status: str = "AVAILABLE") -> dict:
    """An EVSE of our CPO NL-TMC: one 11 kW Type 2 socket priced by T1."""
    return evse(
        uid,
        "2026-01-01T00:00:00Z",
        evse_id=f"NL*TMC*E{uid}",
        status=status,
        connectors=[connector(last_updated="2026-01-01T00:00:00Z", max_electric_power=11000)],
    )


@pytest.fixture
def cpo(own_parties):
    party = own_parties["CPO"]
    tariff_save_own(
        party=party,
        document={
            "country_code": "NL",
            "party_id": "TMC",
            "id": "T1",
            "currency": "EUR",
            "elements": [
                {
                    "price_components": [
                        {"type": "ENERGY", "price": 0.30, "step_size": 1},
                        {"type": "PARKING_TIME", "price": 2.00, "step_size": 60},
                    ]
                }
            ],
            "last_updated": "2026-01-01T00:00:00Z",
        },
    )
    document = {
        "country_code": "NL",
        "party_id": "TMC",
        "id": "LOC1",
        "publish": True,
        "name": "Station Square",
        "address": "Stationsplein 1",
        "city": "Utrecht",
        "postal_code": "3511ED",
        "country": "NLD",
        "coordinates": {"latitude": "52.08917", "longitude": "5.11012"},
        "time_zone": "Europe/Amsterdam",
        "evses": [our_evse("EVSE1"), our_evse("EVSE2", status="OUTOFORDER")],
        "last_updated": "2026-01-01T00:00:00Z",
    }
    upsert_object(
        Location,
        country_code="NL",
        party_id="TMC",
        object_id="LOC1",
        document=document,
        source=None,
    )
    return party


def command(client, name, body, capture):
    with capture(execute=True):
        response = client.post(
            f"/ocpi/2.2.1/cpo/commands/{name}", json.dumps(body), content_type="application/json"
        )
    assert response.json()["status_code"] == 1000, response.json()
    return response.json()["data"]


def results(fake_partner):
    return [body["result"] for body in results_received(fake_partner)]


def evse_status(uid):
    location = Location.objects.get(ocpi_id="LOC1")
    return next(e["status"] for e in location.document["evses"] if e["uid"] == uid)


def start(client, emsp, capture, **overrides):
    body = {
        "response_url": emsp.result_url,
        "token": partner_token(),
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
        "authorization_reference": "AUTH-7",
        **overrides,
    }
    return command(client, "START_SESSION", body, capture)


def test_remote_start_and_stop_produce_a_session_and_a_priced_cdr(
    partner_client, cpo, emsp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(T0, tick=False):
        assert start(partner_client, emsp, capture)["result"] == "ACCEPTED"

    session = Session.objects.get()
    assert session.status == "ACTIVE"
    assert session.start_date_time == T0
    assert session.document["cdr_token"]["uid"] == "APP0001"
    assert session.document["auth_method"] == "COMMAND"
    assert session.document["authorization_reference"] == "AUTH-7"
    assert session.document["currency"] == "EUR"
    assert evse_status("EVSE1") == "CHARGING"

    # 30 kWh at 11 kW: full after 9818 s, then parked until the stop at 4 hours.
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        stop = {"response_url": emsp.result_url, "session_id": session.ocpi_id.lower()}
        assert command(partner_client, "STOP_SESSION", stop, capture)["result"] == "ACCEPTED"

    assert results(emsp) == ["ACCEPTED", "ACCEPTED"]
    session.refresh_from_db()
    assert session.status == "COMPLETED"
    assert session.kwh == Decimal("30")
    assert evse_status("EVSE1") == "AVAILABLE"

    cdr = Cdr.objects.get().document
    assert cdr["session_id"] == session.document["id"]
    assert cdr["start_date_time"] == "2026-03-02T08:00:00Z"
    assert cdr["end_date_time"] == "2026-03-02T12:00:00Z"
    assert cdr["authorization_reference"] == "AUTH-7"
    # The settlement statement of our CPO to the eMSP for the month the session ended in.
    assert cdr["invoice_reference_id"] == "NL-TMC-DE-ABE-2026-03"
    assert cdr["charging_periods"] == [
        {
            "start_date_time": "2026-03-02T08:00:00Z",
            "dimensions": [
                {"type": "ENERGY", "volume": 30.0},
                {"type": "TIME", "volume": 2.7272},
            ],
        },
        {
            "start_date_time": "2026-03-02T10:43:38Z",
            "dimensions": [{"type": "PARKING_TIME", "volume": 1.2728}],
        },
    ]
    assert cdr["total_energy"] == 30.0
    assert cdr["total_time"] == 4.0
    assert cdr["total_parking_time"] == 1.2728
    assert cdr["cdr_location"]["evse_id"] == "NL*TMC*EEVSE1"
    assert cdr["cdr_location"]["connector_standard"] == "IEC_62196_T2"
    assert [t["id"] for t in cdr["tariffs"]] == ["T1"]
    # 30 kWh at 0.30 plus 77 started minutes of parking (step 60 s) at 2.00 an hour.
    assert cdr["total_energy_cost"]["excl_vat"] == 9.0
    assert cdr["total_parking_cost"]["excl_vat"] == 2.5667
    assert cdr["total_cost"]["excl_vat"] == 11.5667


def test_a_running_session_reports_charging_periods_as_time_passes(cpo, partner):
    adapter = SimulatorAdapter(clock=lambda: T0)
    callbacks.session_started(
        party=cpo,
        session_id="S1",
        location_id="LOC1",
        evse_uid="EVSE1",
        connector_id="1",
        token=partner_token(),
        started_at=T0,
    )

    adapter.clock = lambda: T0 + timedelta(hours=1)
    adapter.update_session(cpo, "S1")
    adapter.clock = lambda: T0 + timedelta(hours=3)
    adapter.update_session(cpo, "S1")

    session = Session.objects.get()
    assert session.kwh == Decimal("30")
    assert [
        (p["start_date_time"], [(d["type"], d["volume"]) for d in p["dimensions"]])
        for p in session.document["charging_periods"]
    ] == [
        ("2026-03-02T08:00:00Z", [("ENERGY", 11.0), ("TIME", 1.0)]),
        ("2026-03-02T09:00:00Z", [("ENERGY", 19.0), ("TIME", 1.7272)]),
        ("2026-03-02T10:43:38Z", [("PARKING_TIME", 0.2728)]),
    ]


@pytest.fixture
def broker(monkeypatch):
    """Celery as with a broker: tasks are queued, here into a list, instead of run at once."""
    from celery import current_app

    from chargepoints import tasks

    queued = []
    monkeypatch.setattr(
        tasks.simulator_session_update_task,
        "apply_async",
        lambda args, countdown: queued.append((args, countdown)),
    )
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    yield queued
    current_app.conf.task_always_eager = eager


def test_with_a_broker_each_update_schedules_the_next(
    cpo, partner, broker, django_capture_on_commit_callbacks
):
    callbacks.session_started(
        party=cpo,
        session_id="S1",
        location_id="LOC1",
        evse_uid="EVSE1",
        connector_id="1",
        token=partner_token(),
        started_at=T0,
    )
    adapter = SimulatorAdapter(clock=lambda: T0 + timedelta(minutes=15))

    with django_capture_on_commit_callbacks(execute=True):
        adapter.update_session(cpo, "S1")

    assert broker == [((cpo.pk, "S1"), 900)]
    assert Session.objects.get().kwh == Decimal("2.75")


def test_a_worker_finds_the_simulator_task_among_the_installed_apps():
    """The worker (`celery -A portal worker`) registers what Celery discovers; a fresh process,
    since this one has imported the task already."""
    listing = subprocess.run(
        [
            sys.executable,
            "-c",
            "from portal.celery import app\n"
            "app.loader.import_default_modules()\n"
            "print('\\n'.join(app.tasks))",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )

    assert "chargepoints.tasks.simulator_session_update_task" in listing.stdout.split()


def test_an_occupied_or_broken_evse_is_reported(
    partner_client, cpo, emsp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    start(partner_client, emsp, capture)
    start(partner_client, emsp, capture)
    start(partner_client, emsp, capture, evse_uid="EVSE2")

    assert results(emsp) == ["ACCEPTED", "EVSE_OCCUPIED", "EVSE_INOPERATIVE"]
    assert Session.objects.count() == 1


def test_stopping_an_unknown_session_is_unknown_session(partner_client, cpo, emsp):
    response = partner_client.post(
        "/ocpi/2.2.1/cpo/commands/STOP_SESSION",
        json.dumps({"response_url": emsp.result_url, "session_id": "NOPE"}),
        content_type="application/json",
    )

    assert response.json()["data"]["result"] == "UNKNOWN_SESSION"
    assert Command.objects.get().status == Command.Status.NOT_ACCEPTED


def test_stopping_another_emsps_session_is_rejected(
    partner_client, cpo, emsp, django_capture_on_commit_callbacks
):
    other = dict(partner_token(), country_code="FR", party_id="OTH")
    callbacks.session_started(
        party=cpo,
        session_id="S9",
        location_id="LOC1",
        evse_uid="EVSE1",
        connector_id="1",
        token=other,
        started_at=T0,
    )

    response = partner_client.post(
        "/ocpi/2.2.1/cpo/commands/STOP_SESSION",
        json.dumps({"response_url": emsp.result_url, "session_id": "S9"}),
        content_type="application/json",
    )

    assert response.json()["data"]["result"] == "REJECTED"
    assert Session.objects.get().status == "ACTIVE"


def test_a_reservation_can_be_cancelled_once(
    partner_client, cpo, emsp, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    reserve = {
        "response_url": emsp.result_url,
        "token": partner_token(),
        "expiry_date": "2099-01-01T00:00:00Z",
        "reservation_id": "R-1",
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
    }
    cancel = {"response_url": emsp.result_url, "reservation_id": "r-1"}

    command(partner_client, "RESERVE_NOW", reserve, capture)
    command(partner_client, "CANCEL_RESERVATION", cancel, capture)
    command(partner_client, "CANCEL_RESERVATION", cancel, capture)

    assert results(emsp) == ["ACCEPTED", "ACCEPTED", "UNKNOWN_RESERVATION"]


def test_unlock_connector_is_accepted(
    partner_client, cpo, emsp, django_capture_on_commit_callbacks
):
    body = {
        "response_url": emsp.result_url,
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
        "connector_id": "1",
    }

    command(partner_client, "UNLOCK_CONNECTOR", body, django_capture_on_commit_callbacks)

    assert results(emsp) == ["ACCEPTED"]
