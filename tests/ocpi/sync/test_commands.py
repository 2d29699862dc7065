"""The operations commands: ocpi_sync (pull now), ocpi_dump (stored objects as JSON lines)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ocpi.modules.locations.models import Location
from ocpi.objects import upsert_object
from tests.support.builders import location
from tests.support.partners import Answer, ocpi_answer


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_client_retries(settings):
    settings.OCPI_CLIENT_RETRIES = 0


def test_ocpi_sync_pulls_the_named_partner_now_and_prints_the_counts(
    remote_partner, partner_server
):
    partner_server.answer = lambda call: ocpi_answer([location("LOC1"), location("LOC2")])

    output = run("ocpi_sync", "de-abc", "--module", "locations")

    assert json.loads(output) == {
        "connection": "DE-ABC",
        "modules": {
            "locations": {"received": 2, "created": 2, "updated": 0, "unchanged": 0, "invalid": 0}
        },
    }
    assert Location.objects.count() == 2


def test_ocpi_sync_accepts_the_connection_id_and_reports_a_failed_module(
    remote_partner, partner_server
):
    partner_server.answer = lambda call: Answer(503, {"error": "maintenance"})
    out = StringIO()

    with pytest.raises(CommandError, match="locations"):
        call_command("ocpi_sync", str(remote_partner.pk), "--module", "locations", stdout=out)

    result = json.loads(out.getvalue())["modules"]["locations"]
    assert "HTTP 503" in result["error"]


def test_ocpi_sync_names_an_unknown_partner(remote_partner):
    with pytest.raises(CommandError, match="XX-YYY"):
        run("ocpi_sync", "XX-YYY")


def store(country_code: str, party_id: str, object_id: str, **fields):
    document = {
        **location(object_id),
        "country_code": country_code,
        "party_id": party_id,
        **fields,
    }
    upsert_object(
        Location,
        country_code=country_code,
        party_id=party_id,
        object_id=object_id,
        document=document,
        source=None,
    )
    return document


def test_ocpi_dump_prints_each_stored_document_on_its_own_line(db):
    ours = store("NL", "TMC", "LOC1", last_updated="2026-01-01T00:00:00Z", x_custom={"kept": 1})
    theirs = store("DE", "ABC", "LOC9", last_updated="2026-01-02T00:00:00Z")

    lines = run("ocpi_dump", "locations").splitlines()

    assert [json.loads(line) for line in lines] == [ours, theirs]


def test_ocpi_dump_filters_by_party(db):
    store("NL", "TMC", "LOC1")
    theirs = store("DE", "ABC", "LOC9")

    lines = run("ocpi_dump", "locations", "--party", "de-abc").splitlines()

    assert [json.loads(line) for line in lines] == [theirs]
    with pytest.raises(CommandError, match="CC-PID"):
        run("ocpi_dump", "locations", "--party", "DEABC")


def test_ocpi_sync_pulls_every_module_the_partner_sends_by_default(remote_partner, partner_server):
    partner_server.answer = lambda call: ocpi_answer([])

    modules = json.loads(run("ocpi_sync", "DE-ABC"))["modules"]

    assert list(modules) == ["locations", "tariffs", "sessions", "cdrs", "tokens"]
    assert all(counts["received"] == 0 for counts in modules.values())
    tokens_call = partner_server.calls[-1]
    assert tokens_call.path == "/emsp/tokens"  # their eMSP sends tokens to our CPO
    assert tokens_call.headers["OCPI-from-party-id"] == "TMC"
    assert tokens_call.headers["OCPI-to-party-id"] == "ABE"
