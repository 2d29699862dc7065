"""Push deliveries through a real Celery worker on Redis (tests/support/celery.py), as in
production."""

import pytest

from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.sync.models import PushDelivery
from ocpi.sync.push import object_push
from tests.support.partners import Answer

pytestmark = pytest.mark.django_db(transaction=True)


def push_location(party):
    document = {"country_code": "NL", "party_id": "TMC", "id": "LOC1"}
    object_push(module=LOCATIONS, party=party, method="PUT", document=document, body=document)


def test_a_pushed_change_is_delivered_by_the_worker(
    celery_worker, remote_partner, partner_server, own_parties
):
    push_location(own_parties["CPO"])  # autocommit: queued as soon as it is written

    assert celery_worker.wait_for(1)
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.DELIVERED
    assert [(c.method, c.path) for c in partner_server.calls] == [
        ("PUT", "/emsp/locations/NL/TMC/LOC1")
    ]


def test_a_failing_delivery_is_retried_by_the_worker_then_marked_failed(
    celery_worker, remote_partner, partner_server, own_parties, settings
):
    settings.OCPI_PUSH_MAX_ATTEMPTS = 3
    settings.OCPI_PUSH_BACKOFF_SECONDS = 0.05
    partner_server.answer = lambda call: Answer(503, {"error": "maintenance"})

    push_location(own_parties["CPO"])

    assert celery_worker.wait_for(1)
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert "HTTP 503" in delivery.last_error
    assert len(partner_server.calls) == 3
