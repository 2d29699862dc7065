"""Pushing our changes to partners: delivered, in order per object, retried, failed, never twice."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from ocpi.models import Connection
from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.tariffs.declaration import TARIFFS
from ocpi.sync.models import PushDelivery
from ocpi.sync.push import (
    BUSY_RETRY_SECONDS,
    object_push,
    push_deliveries_queue_due,
    push_deliveries_retry,
    push_delivery_send,
)
from ocpi.sync.selectors import recent_push_deliveries
from tests.support.connections import make_connection
from tests.support.partners import Answer, ocpi_answer

LOCATION = {"country_code": "NL", "party_id": "TMC", "id": "LOC1", "name": "Depot"}


def push_location(party, name="Depot", location_id="LOC1"):
    document = {**LOCATION, "id": location_id, "name": name}
    object_push(module=LOCATIONS, party=party, method="PUT", document=document, body=document)


def later(seconds):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


@pytest.fixture
def fast_retries(settings):
    settings.OCPI_PUSH_MAX_ATTEMPTS = 3
    settings.OCPI_PUSH_BACKOFF_SECONDS = 1
    return settings


def test_a_change_is_delivered_to_the_partners_receiver_on_commit(
    remote_partner, partner_server, own_parties, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        push_location(own_parties["CPO"])
        assert partner_server.calls == []  # nothing leaves before the commit

    [call] = partner_server.calls
    assert (call.method, call.path) == ("PUT", "/emsp/locations/NL/TMC/LOC1")
    assert call.body == LOCATION
    assert call.headers["OCPI-from-country-code"] == "NL"
    assert call.headers["OCPI-from-party-id"] == "TMC"
    assert (call.headers["OCPI-to-country-code"], call.headers["OCPI-to-party-id"]) == (
        "DE",
        "ABE",
    )
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.delivered_at is not None
    assert list(recent_push_deliveries(connection=remote_partner)) == [delivery]


def test_registered_and_suspended_partners_with_a_receiver_for_the_module_get_the_change(
    remote_partner, partner_server, own_parties
):
    suspended = make_connection(
        "Suspended", "t-suspended", [("BE", "SUS", "EMSP")], endpoints=remote_partner.endpoints
    )
    suspended.status = Connection.Status.SUSPENDED
    suspended.save()
    make_connection(
        "No receiver",
        "t-none",
        [("FR", "NOR", "EMSP")],
        endpoints=[
            e
            for e in remote_partner.endpoints
            if (e["identifier"], e["role"]) != ("locations", "RECEIVER")
        ],
    )

    push_location(own_parties["CPO"])

    # The suspended partner's copy is held for its resume (tests/ocpi/faults/test_suspended.py).
    assert {d.connection for d in PushDelivery.objects.all()} == {remote_partner, suspended}


def test_a_failed_attempt_waits_for_its_backoff_then_is_retried(
    remote_partner, partner_server, own_parties, fast_retries
):
    push_location(own_parties["CPO"])
    delivery = PushDelivery.objects.get()
    partner_server.answer = lambda call: Answer(503, {"error": "busy"})

    wait = push_delivery_send(delivery_id=delivery.pk)

    assert wait == pytest.approx(2, abs=0.5)  # backoff 1 s * 2**1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (PushDelivery.Status.PENDING, 1)
    assert "503" in delivery.last_error
    # Not due yet: nothing is sent.
    assert push_delivery_send(delivery_id=delivery.pk) > 0
    assert len(partner_server.calls) == 1

    partner_server.answer = lambda call: ocpi_answer()
    with later(3):
        assert push_delivery_send(delivery_id=delivery.pk) is None

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (PushDelivery.Status.DELIVERED, 2)
    assert delivery.last_error == ""
    assert len(partner_server.calls) == 2


def test_after_the_last_attempt_the_delivery_fails_with_the_last_error(
    remote_partner, partner_server, own_parties, fast_retries
):
    push_location(own_parties["CPO"])
    delivery = PushDelivery.objects.get()
    partner_server.answer = lambda call: Answer(502, {"error": "bad gateway"})

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(3):
            push_delivery_send(delivery_id=delivery.pk)
            clock.shift(timedelta(minutes=1))
        assert push_delivery_send(delivery_id=delivery.pk) is None

    delivery.refresh_from_db()
    assert delivery.status == PushDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert "HTTP 502" in delivery.last_error
    assert len(partner_server.calls) == 3


def test_an_ocpi_error_status_is_a_failure_with_the_partners_message(
    remote_partner, partner_server, own_parties, fast_retries
):
    push_location(own_parties["CPO"])
    delivery = PushDelivery.objects.get()
    partner_server.answer = lambda call: ocpi_answer(status_code=2001, message="name: too long")

    push_delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == PushDelivery.Status.PENDING
    assert delivery.last_error == "HTTP 200, OCPI status 2001: name: too long"


def test_changes_of_one_object_arrive_in_the_order_they_were_made(
    remote_partner, partner_server, own_parties, fast_retries
):
    push_location(own_parties["CPO"], name="first")
    push_location(own_parties["CPO"], name="second")
    _first, second = PushDelivery.objects.order_by("id")
    partner_server.answer = lambda call: Answer(503, {})

    # The task of the newer change runs first: it must send the older one, and stop there.
    push_delivery_send(delivery_id=second.pk)
    assert [c.body["name"] for c in partner_server.calls] == ["first"]

    partner_server.answer = lambda call: ocpi_answer()
    with later(10):
        push_delivery_send(delivery_id=second.pk)

    assert [c.body["name"] for c in partner_server.calls] == ["first", "first", "second"]
    assert set(PushDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_failed_delivery_does_not_block_the_next_change_of_the_object(
    remote_partner, partner_server, own_parties, fast_retries
):
    fast_retries.OCPI_PUSH_MAX_ATTEMPTS = 1
    push_location(own_parties["CPO"], name="first")
    push_location(own_parties["CPO"], name="second")
    first, second = PushDelivery.objects.order_by("id")
    partner_server.answer = lambda call: (
        Answer(503, {}) if call.body["name"] == "first" else ocpi_answer()
    )

    assert push_delivery_send(delivery_id=first.pk) is None

    assert PushDelivery.objects.get(pk=first.pk).status == PushDelivery.Status.FAILED
    assert PushDelivery.objects.get(pk=second.pk).status == PushDelivery.Status.DELIVERED


def test_other_objects_are_not_held_up_by_a_failing_one(
    remote_partner, partner_server, own_parties, fast_retries
):
    push_location(own_parties["CPO"], location_id="LOC1")
    push_location(own_parties["CPO"], location_id="LOC2")
    first, other = PushDelivery.objects.order_by("id")
    partner_server.answer = lambda call: Answer(503, {})
    push_delivery_send(delivery_id=first.pk)

    partner_server.answer = lambda call: ocpi_answer()
    assert push_delivery_send(delivery_id=other.pk) is None

    assert PushDelivery.objects.get(pk=other.pk).status == PushDelivery.Status.DELIVERED


def test_a_delivered_change_is_not_sent_again(remote_partner, partner_server, own_parties):
    push_location(own_parties["CPO"])
    delivery = PushDelivery.objects.get()
    push_delivery_send(delivery_id=delivery.pk)

    assert push_delivery_send(delivery_id=delivery.pk) is None

    assert len(partner_server.calls) == 1


def test_the_sweep_queues_due_deliveries_left_pending(
    remote_partner, partner_server, own_parties, django_capture_on_commit_callbacks
):
    push_location(own_parties["CPO"])  # outside a commit capture: its task never ran

    assert push_deliveries_queue_due(older_than=timedelta(minutes=1)) == 0  # too young
    with later(120), django_capture_on_commit_callbacks(execute=True):
        assert push_deliveries_queue_due(older_than=timedelta(minutes=1)) == 1

    assert PushDelivery.objects.get().status == PushDelivery.Status.DELIVERED
    assert len(partner_server.calls) == 1


def test_a_failed_delivery_can_be_sent_again_unless_a_later_change_overtook_it(
    remote_partner, partner_server, own_parties, fast_retries, django_capture_on_commit_callbacks
):
    fast_retries.OCPI_PUSH_MAX_ATTEMPTS = 1
    push_location(own_parties["CPO"], name="first", location_id="LOC1")
    push_location(own_parties["CPO"], name="second", location_id="LOC1")
    push_location(own_parties["CPO"], name="alone", location_id="LOC2")
    first, second, alone = PushDelivery.objects.order_by("id")
    partner_server.answer = lambda call: (
        ocpi_answer() if call.body["name"] == "second" else Answer(503, {})
    )
    push_delivery_send(delivery_id=first.pk)
    push_delivery_send(delivery_id=alone.pk)
    partner_server.answer = lambda call: ocpi_answer()

    with django_capture_on_commit_callbacks(execute=True):
        assert push_deliveries_retry(delivery_ids=[first.pk, second.pk, alone.pk]) == 1

    assert PushDelivery.objects.get(pk=first.pk).status == PushDelivery.Status.FAILED
    alone.refresh_from_db()
    assert (alone.status, alone.attempts) == (PushDelivery.Status.DELIVERED, 1)


@pytest.mark.django_db(transaction=True)
def test_an_object_another_worker_is_delivering_is_left_to_it(
    remote_partner, partner_server, own_parties
):
    delivery = PushDelivery.objects.create(  # not queued: this test plays the workers
        connection=remote_partner,
        party=own_parties["CPO"],
        module="locations",
        method="PUT",
        url=f"{partner_server.url}/emsp/locations/NL/TMC/LOC1",
        body=LOCATION,
        object_key=LOCATIONS.push_key(LOCATION),
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        # Holds the row lock as a worker does while it sends the delivery.
        try:
            with transaction.atomic():
                PushDelivery.objects.select_for_update().get(pk=delivery.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            db_connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert push_delivery_send(delivery_id=delivery.pk) == BUSY_RETRY_SECONDS
    finally:
        release.set()
        thread.join()

    assert partner_server.calls == []
    assert push_delivery_send(delivery_id=delivery.pk) is None
    assert len(partner_server.calls) == 1


def test_a_delete_is_sent_without_a_body(remote_partner, partner_server, own_parties):
    tariff = {"country_code": "NL", "party_id": "TMC", "id": "T1"}
    object_push(module=TARIFFS, party=own_parties["CPO"], method="DELETE", document=tariff, body={})

    push_delivery_send(delivery_id=PushDelivery.objects.get().pk)

    [call] = partner_server.calls
    assert (call.method, call.path, call.body) == ("DELETE", "/emsp/tariffs/NL/TMC/T1", None)
    assert "Content-Type" not in call.headers
