"""The hottest OCPI calls as production runs them: outside any test transaction, each
statement committing on its own, traffic logged from the background writer under gunicorn. The
statements each call sends are pinned: every one is a round trip on the request's path."""

from decimal import Decimal

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from ocpi import traffic
from ocpi.models import TrafficLog
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.cdrs.signals import cdr_stored
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from tests.support import builders
from tests.support.builders import cdr as cdr_document
from tests.support.requests import put

CDRS_RECEIVER = "/ocpi/2.2.1/emsp/cdrs"


def post(client, document):
    return client.post(CDRS_RECEIVER, document, content_type="application/json")


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def without_billing():
    """Billing prices a stored CDR in-process in tests; these tests count the OCPI side only."""
    from billing.signals import price_stored_cdr

    cdr_stored.disconnect(dispatch_uid="billing.price_stored_cdr")
    yield
    cdr_stored.connect(price_stored_cdr, dispatch_uid="billing.price_stored_cdr")


@pytest.fixture
def background_writer():
    traffic.start_background_writer()
    yield
    traffic.stop_background_writer()


def test_a_cdr_post_commits_with_its_insert_before_billing_hears_of_it(
    partner_client, without_billing
):
    statements = []  # (SQL, inside a transaction?) as the database receives them
    seen = []

    def watch(execute, sql, params, many, context):
        statements.append((sql.split(" (")[0], db_connection.in_atomic_block))
        return execute(sql, params, many, context)

    def receiver(sender, cdr, **kwargs):
        seen.append((cdr.ocpi_id, db_connection.in_atomic_block, Cdr.objects.filter(pk=cdr.pk)))

    cdr_stored.connect(receiver)
    try:
        with db_connection.execute_wrapper(watch):
            response = post(partner_client, cdr_document())
    finally:
        cdr_stored.disconnect(receiver)

    assert response.status_code == 200
    ((cdr_id, in_transaction, stored),) = seen
    assert (cdr_id, in_transaction, stored.exists()) == ("CDR1", False, True)
    # Authentication (the connection with its parties and ours), the INSERT committing on its own
    # (no BEGIN and COMMIT around it), the traffic log line.
    assert len(statements) == 3
    assert ('INSERT INTO "ocpi_cdrs_cdr"', False) in statements


def test_a_second_delivery_of_the_same_cdr_outside_a_transaction_is_harmless(
    partner_client, without_billing
):
    first = post(partner_client, cdr_document())
    again = post(partner_client, cdr_document())

    assert (first.status_code, again.status_code) == (200, 200)
    assert Cdr.objects.count() == 1


def test_the_background_writer_logs_every_call_by_the_time_it_stops(partner_client):
    traffic.start_background_writer()
    try:
        for number in range(25):
            post(partner_client, cdr_document(f"CDR{number}"))
        partner_client.get("/ocpi/2.2.1/cpo/locations")
    finally:
        traffic.stop_background_writer()

    lines = TrafficLog.objects.filter(direction=TrafficLog.Direction.INBOUND)
    assert lines.filter(method="POST", http_status=200, ocpi_status=1000).count() == 25
    assert lines.filter(method="GET", url="/ocpi/2.2.1/cpo/locations").count() == 1


def test_without_the_background_writer_the_line_is_written_before_the_answer(partner_client):
    partner_client.get("/ocpi/2.2.1/cpo/locations")

    assert TrafficLog.objects.filter(url="/ocpi/2.2.1/cpo/locations").count() == 1


def test_a_page_of_locations_and_its_total_take_one_query(partner_client, background_writer):
    with CaptureQueriesContext(db_connection) as queries:
        response = partner_client.get("/ocpi/2.2.1/cpo/locations?limit=10")

    assert response.status_code == 200
    assert response["X-Total-Count"] == "0"
    # Authentication (the connection with its parties and ours), the page with its total.
    assert len(queries.captured_queries) == 2


def test_a_full_background_queue_makes_callers_write_their_own_line(
    partner_client, background_writer, monkeypatch
):
    monkeypatch.setattr(traffic.BackgroundWriter, "MAX_QUEUED", 0)

    partner_client.get("/ocpi/2.2.1/cpo/locations")

    # Written before the answer, not queued: already there while the writer still runs.
    assert TrafficLog.objects.filter(url="/ocpi/2.2.1/cpo/locations").count() == 1


EVSE_URL = "/ocpi/2.2.1/emsp/locations/DE/ABC/LOC1/EVSE1"
SESSION_URL = "/ocpi/2.2.1/emsp/sessions/DE/ABC/S1"


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def sql_of(queries) -> list[str]:
    return [query["sql"].split(" ")[0] for query in queries.captured_queries]


def test_an_evse_patch_reads_and_writes_its_location_in_two_statements(
    partner_client, background_writer
):
    put(partner_client, "/ocpi/2.2.1/emsp/locations/DE/ABC/LOC1", builders.location())

    with CaptureQueriesContext(db_connection) as queries:
        response = patch(
            partner_client, EVSE_URL, {"status": "CHARGING", "last_updated": "2024-02-01T00:00:00Z"}
        )

    assert response.status_code == 200
    # Authentication (the connection with its parties and ours), the location, its UPDATE: each
    # committing by itself, no BEGIN, row lock or COMMIT.
    assert sql_of(queries) == ["SELECT", "SELECT", "UPDATE"]
    stored = Location.objects.get(ocpi_id="LOC1").document
    assert stored["evses"][0]["status"] == "CHARGING"


def test_a_session_patch_reads_and_writes_its_session_in_two_statements(
    partner_client, background_writer
):
    put(partner_client, SESSION_URL, builders.session())
    period = builders.charging_period("2024-01-01T10:30:00Z", 1.0)

    with CaptureQueriesContext(db_connection) as queries:
        response = patch(
            partner_client,
            SESSION_URL,
            {"kwh": 2.5, "charging_periods": [period], "last_updated": "2024-02-01T00:00:00Z"},
        )

    assert response.status_code == 200
    assert sql_of(queries) == ["SELECT", "SELECT", "UPDATE"]
    stored = Session.objects.get(ocpi_id="S1")
    assert (stored.kwh, len(stored.document["charging_periods"])) == (Decimal("2.5"), 2)


def test_a_stale_session_patch_writes_nothing(partner_client, background_writer):
    put(partner_client, SESSION_URL, builders.session(last_updated="2024-03-01T00:00:00Z"))

    with CaptureQueriesContext(db_connection) as queries:
        response = patch(
            partner_client, SESSION_URL, {"kwh": 9, "last_updated": "2024-02-01T00:00:00Z"}
        )

    assert response.status_code == 200
    assert sql_of(queries) == ["SELECT", "SELECT"]
    assert Session.objects.get(ocpi_id="S1").kwh == 0
