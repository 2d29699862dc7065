"""A partner that is down, too slow or answering 5xx for a while, then recovers: with a real
Celery worker on Redis, every change reaches it, none twice, and in order per object.

"None twice" is exact where the partner never accepted an attempt (down, 5xx). A slow partner
may have stored an attempt we gave up on (our timeout, OCPI_CLIENT_TIMEOUT), so we send it again:
that duplicate is harmless by natural key (the same version PUT again to the same object URL),
and no older version ever reaches the partner after a newer one.
"""

import threading

import pytest

from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.sync.models import PushDelivery
from ocpi.sync.push import object_push
from tests.support.celery import wait_until
from tests.support.connections import make_connection
from tests.support.partners import Answer, PartnerServer, free_port, ocpi_answer, partner_endpoints

pytestmark = pytest.mark.django_db(transaction=True)

# Two objects, changed several times each: (location id, version).
CHANGES = [("LOC1", 1), ("LOC2", 1), ("LOC1", 2), ("LOC1", 3), ("LOC2", 2)]


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.OCPI_PUSH_MAX_ATTEMPTS = 30
    settings.OCPI_PUSH_BACKOFF_SECONDS = 0.01
    settings.OCPI_CLIENT_TIMEOUT = 0.5


class Accepting:
    """The partner's answers: it records what it accepted, and can fail or hang until told."""

    def __init__(self):
        self.accepted: list[tuple[str, int]] = []
        self.failing = False
        self.hanging = threading.Event()  # set: calls hang until `released`
        self.released = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, call):
        if self.failing:
            return Answer(503, {"error": "maintenance"})
        if self.hanging.is_set():
            self.released.wait(timeout=10)
        with self.lock:
            self.accepted.append((call.body["id"], call.body["version"]))
        return ocpi_answer()


def push_changes(party):
    for location_id, version in CHANGES:
        document = {"country_code": "NL", "party_id": "TMC", "id": location_id}
        body = {**document, "version": version}
        object_push(module=LOCATIONS, party=party, method="PUT", document=document, body=body)


def all_delivered() -> bool:
    statuses = set(PushDelivery.objects.values_list("status", flat=True))
    return statuses == {PushDelivery.Status.DELIVERED}


def per_object(received: list[tuple[str, int]]) -> dict[str, list[int]]:
    versions: dict[str, list[int]] = {}
    for location_id, version in received:
        versions.setdefault(location_id, []).append(version)
    return versions


def attempted_at_least(times: int) -> bool:
    return PushDelivery.objects.filter(attempts__gte=times).exists()


def test_a_partner_answering_5xx_for_a_while_gets_every_change_once_in_order(
    celery_worker, remote_partner, partner_server, own_parties
):
    partner = Accepting()
    partner.failing = True
    partner_server.answer = partner

    push_changes(own_parties["CPO"])
    wait_until(lambda: attempted_at_least(3), what="three failed attempts")
    partner.failing = False
    wait_until(all_delivered, what="every delivery")

    assert per_object(partner.accepted) == {"LOC1": [1, 2, 3], "LOC2": [1, 2]}


def test_a_partner_that_is_down_for_a_while_gets_every_change_once_in_order(
    celery_worker, own_parties
):
    port = free_port()  # nothing listens there yet: connection refused
    make_connection(
        "Down",
        "down-token",
        [("DE", "ABE", "EMSP")],
        endpoints=partner_endpoints(f"http://127.0.0.1:{port}"),
    )
    push_changes(own_parties["CPO"])
    wait_until(lambda: attempted_at_least(3), what="three refused attempts")
    assert "ConnectionError" in PushDelivery.objects.filter(attempts__gte=1).first().last_error

    partner = Accepting()
    with PartnerServer(port) as server:
        server.answer = partner
        wait_until(all_delivered, what="every delivery")

    assert per_object(partner.accepted) == {"LOC1": [1, 2, 3], "LOC2": [1, 2]}


def test_a_partner_slower_than_our_timeout_gets_every_change_in_order(
    celery_worker, remote_partner, partner_server, own_parties
):
    partner = Accepting()
    partner.hanging.set()
    partner_server.answer = partner

    push_changes(own_parties["CPO"])
    wait_until(lambda: attempted_at_least(2), what="two timed-out attempts")
    assert "Timeout" in PushDelivery.objects.filter(attempts__gte=2).first().last_error
    partner.hanging.clear()
    partner.released.set()
    wait_until(all_delivered, what="every delivery")

    received = per_object(partner.accepted)
    # Every version arrived; repeats only of a version already sent, never one going back.
    assert {k: sorted(set(v)) for k, v in received.items()} == {"LOC1": [1, 2, 3], "LOC2": [1, 2]}
    assert all(v == sorted(v) for v in received.values())
    assert {k: v[-1] for k, v in received.items()} == {"LOC1": 3, "LOC2": 2}
