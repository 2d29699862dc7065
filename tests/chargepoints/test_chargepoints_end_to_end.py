"""End to end over real HTTP: our eMSP starts and stops a session at our CPO, whose charge point
is the simulator. The live server plays both sides; the connection between them is a loopback
connection whose token is the same in both directions."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command

from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.commands.models import Command
from ocpi.modules.sessions.models import Session
from tests.support.connections import make_connection

LOOPBACK_TOKEN = "loopback-token-0123456789"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def loopback(live_server):
    connection = make_connection(
        "Loopback", LOOPBACK_TOKEN, [("NL", "TMC", "CPO"), ("NL", "TME", "EMSP")]
    )
    connection.outbound_token = LOOPBACK_TOKEN
    connection.endpoints = [
        {
            "identifier": "commands",
            "role": "RECEIVER",
            "url": f"{live_server.url}/ocpi/2.2.1/cpo/commands",
        }
    ]
    connection.save()
    return connection


def ocpi_command(*args) -> dict:
    out = StringIO()
    call_command("ocpi_command", "NL-TMC", *args, stdout=out)
    return json.loads(out.getvalue())


def test_start_and_stop_session_across_the_wire(
    transactional_db, own_parties, our_location, live_server, settings
):
    settings.OCPI_BASE_URL = live_server.url
    loopback(live_server)

    with time_machine.travel(T0):
        started = ocpi_command(
            "START_SESSION", "--location", "LOC1", "--evse", "EVSE1", "--token", "APP0001"
        )
    assert started["response"]["result"] == "ACCEPTED"
    assert started["request"]["response_url"].startswith(
        f"{live_server.url}/ocpi/2.2.1/emsp/commands/START_SESSION/"
    )
    session = Session.objects.get()
    assert session.status == "ACTIVE"
    assert session.document["cdr_token"]["uid"] == "APP0001"

    with time_machine.travel(T0 + timedelta(hours=1)):
        stopped = ocpi_command("STOP_SESSION", "--session", session.ocpi_id)
    assert stopped["response"]["result"] == "ACCEPTED"

    sent = Command.objects.filter(direction=Command.Direction.SENT).order_by("pk")
    assert [(c.command, c.status, c.result) for c in sent] == [
        ("START_SESSION", "completed", "ACCEPTED"),
        ("STOP_SESSION", "completed", "ACCEPTED"),
    ]
    session.refresh_from_db()
    assert session.status == "COMPLETED"
    cdr = Cdr.objects.get().document
    assert cdr["session_id"] == session.document["id"]
    assert 10.9 <= cdr["total_energy"] <= 11.1
