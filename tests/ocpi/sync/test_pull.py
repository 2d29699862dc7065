"""Pulling a partner's objects over HTTP: Link pages, date_from watermark, invalid objects."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from ocpi.client import OcpiClientError
from ocpi.models import Connection
from ocpi.modules.locations.models import Location
from ocpi.sync.models import SyncState
from ocpi.sync.pull import PullNotPossible, module_pull
from ocpi.sync.tasks import pull_partner_module
from tests.support.builders import location
from tests.support.partners import Answer, ocpi_answer

FIRST_RUN = datetime(2026, 3, 1, 12, 0, 30, 250000, tzinfo=UTC)
SECOND_RUN = FIRST_RUN + timedelta(minutes=15)


def serve_pages(partner_server, documents: list, page_size: int = 2, fail_at_offset=None):
    """The partner's locations sender: `page_size` objects per page, Link to the next one."""

    def answer(call):
        offset = int(call.query.get("offset", 0))
        if offset == fail_at_offset:
            return Answer(500, {"error": "database down"})
        headers = {"X-Total-Count": str(len(documents))}
        if offset + page_size < len(documents):
            query = f"offset={offset + page_size}&limit={page_size}"
            if "date_from" in call.query:
                query += f"&date_from={call.query['date_from']}"
            headers["Link"] = f'<{partner_server.url}{call.path}?{query}>; rel="next"'
        return ocpi_answer(documents[offset : offset + page_size], headers=headers)

    partner_server.answer = answer


@pytest.fixture(autouse=True)
def no_client_retries(settings):
    settings.OCPI_CLIENT_RETRIES = 0


def pull_at(moment, connection):
    with time_machine.travel(moment, tick=False):
        return module_pull(connection=connection, module="locations")


def test_a_pull_follows_every_link_page_and_stores_the_objects(remote_partner, partner_server):
    serve_pages(partner_server, [location(f"LOC{i}") for i in range(5)])

    counts = pull_at(FIRST_RUN, remote_partner)

    assert counts == {"received": 5, "created": 5, "updated": 0, "unchanged": 0, "invalid": 0}
    assert [c.query.get("offset", "0") for c in partner_server.calls] == ["0", "2", "4"]
    assert all(c.path == "/cpo/locations" for c in partner_server.calls)
    assert "date_from" not in partner_server.calls[0].query  # the first run asks for everything
    assert set(Location.objects.values_list("ocpi_id", flat=True)) == {f"LOC{i}" for i in range(5)}
    assert {location.source for location in Location.objects.all()} == {remote_partner}
    first = partner_server.calls[0]
    assert (first.headers["OCPI-from-country-code"], first.headers["OCPI-from-party-id"]) == (
        "NL",
        "TME",
    )
    assert (first.headers["OCPI-to-country-code"], first.headers["OCPI-to-party-id"]) == (
        "DE",
        "ABC",
    )


def test_the_next_pull_asks_only_for_changes_since_the_last_run_started(
    remote_partner, partner_server
):
    serve_pages(partner_server, [location("LOC1")])
    pull_at(FIRST_RUN, remote_partner)
    serve_pages(partner_server, [location("LOC1", last_updated="2026-03-01T12:05:00Z")])

    counts = pull_at(SECOND_RUN, remote_partner)

    assert partner_server.calls[-1].query["date_from"] == "2026-03-01T12:00:30Z"
    assert counts["updated"] == 1
    state = SyncState.objects.get(connection=remote_partner, module="locations")
    assert state.watermark == SECOND_RUN
    assert state.last_success_at == SECOND_RUN
    assert state.counts == counts


def test_the_watermark_stays_when_a_pull_fails_so_the_next_run_asks_again(
    remote_partner, partner_server
):
    serve_pages(partner_server, [location("LOC1")])
    pull_at(FIRST_RUN, remote_partner)
    serve_pages(partner_server, [location(f"LOC{i}") for i in range(4)], fail_at_offset=2)

    with pytest.raises(OcpiClientError, match="HTTP 500"):
        pull_at(SECOND_RUN, remote_partner)

    state = SyncState.objects.get(connection=remote_partner, module="locations")
    assert state.watermark == FIRST_RUN
    assert state.last_run_at == SECOND_RUN
    assert state.last_success_at == FIRST_RUN
    assert "HTTP 500" in state.last_error
    assert state.counts["received"] == 2  # the first page was stored all the same

    serve_pages(partner_server, [location(f"LOC{i}") for i in range(4)])
    pull_at(SECOND_RUN + timedelta(minutes=1), remote_partner)

    assert partner_server.calls[-2].query["date_from"] == "2026-03-01T12:00:30Z"
    state.refresh_from_db()
    assert state.last_error == ""
    assert state.watermark == SECOND_RUN + timedelta(minutes=1)


def test_invalid_objects_are_counted_and_the_rest_of_the_page_is_stored(
    remote_partner, partner_server, caplog
):
    documents = [
        location("GOOD1"),
        location("NOADDR", address=None),
        location("OTHER", party_id="XYZ"),  # not a party of this partner
        "not an object",
        location("GOOD2"),
    ]
    serve_pages(partner_server, documents, page_size=5)

    counts = pull_at(FIRST_RUN, remote_partner)

    assert counts == {"received": 5, "created": 2, "updated": 0, "unchanged": 0, "invalid": 3}
    assert set(Location.objects.values_list("ocpi_id", flat=True)) == {"GOOD1", "GOOD2"}
    assert "NOADDR" in caplog.text and "address" in caplog.text
    state = SyncState.objects.get(connection=remote_partner, module="locations")
    assert state.watermark == FIRST_RUN  # invalid objects do not fail the run


def test_an_older_copy_than_the_stored_one_is_counted_unchanged(remote_partner, partner_server):
    serve_pages(partner_server, [location("LOC1", last_updated="2026-02-02T00:00:00Z")])
    pull_at(FIRST_RUN, remote_partner)
    serve_pages(partner_server, [location("LOC1", last_updated="2026-02-01T00:00:00Z")])

    counts = pull_at(SECOND_RUN, remote_partner)

    assert counts["unchanged"] == 1
    assert Location.objects.get().document["last_updated"] == "2026-02-02T00:00:00Z"


def test_a_partner_without_a_sender_endpoint_or_not_registered_is_not_pulled(
    remote_partner, partner_server
):
    remote_partner.endpoints = [e for e in remote_partner.endpoints if e["role"] == "RECEIVER"]
    remote_partner.save()
    with pytest.raises(PullNotPossible, match="no locations SENDER endpoint"):
        module_pull(connection=remote_partner, module="locations")

    remote_partner.status = Connection.Status.SUSPENDED
    remote_partner.save()
    with pytest.raises(PullNotPossible, match="suspended"):
        module_pull(connection=remote_partner, module="locations")
    assert partner_server.calls == []


def test_the_scheduled_pull_task_retries_the_whole_pull_until_it_succeeds(
    remote_partner, partner_server, settings
):
    settings.OCPI_PULL_MAX_RETRIES = 2
    answers = iter([Answer(502, {}), Answer(503, {}), ocpi_answer([location("LOC1")])])
    partner_server.answer = lambda call: next(answers)

    pull_partner_module.apply(args=[remote_partner.pk, "locations"])

    assert len(partner_server.calls) == 3
    state = SyncState.objects.get(connection=remote_partner, module="locations")
    assert state.last_error == ""
    assert state.counts["created"] == 1


def test_the_scheduled_pull_task_gives_up_after_its_retries(
    remote_partner, partner_server, settings
):
    settings.OCPI_PULL_MAX_RETRIES = 1
    partner_server.answer = lambda call: Answer(503, {})

    result = pull_partner_module.apply(args=[remote_partner.pk, "locations"])

    assert isinstance(result.result, OcpiClientError)
    assert len(partner_server.calls) == 2
    state = SyncState.objects.get(connection=remote_partner, module="locations")
    assert state.watermark is None
    assert "HTTP 503" in state.last_error


def test_the_scheduled_pull_task_skips_a_partner_no_longer_registered(
    remote_partner, partner_server
):
    remote_partner.status = Connection.Status.CLOSED
    remote_partner.save()

    assert pull_partner_module.apply(args=[remote_partner.pk, "locations"]).result is None
    assert partner_server.calls == []
