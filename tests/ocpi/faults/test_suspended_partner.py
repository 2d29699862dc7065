"""Changes made while a partner is suspended are held, then delivered in order on resume."""

from datetime import timedelta

from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.sync.models import PushDelivery
from ocpi.sync.push import object_push, push_deliveries_queue_due, push_delivery_send
from portal.web.services import connection_resume, connection_suspend


def push_location(party, name):
    document = {"country_code": "NL", "party_id": "TMC", "id": "LOC1", "name": name}
    object_push(module=LOCATIONS, party=party, method="PUT", document=document, body=document)


def test_changes_for_a_suspended_partner_are_held_and_delivered_in_order_after_resume(
    remote_partner, partner_server, own_parties, django_capture_on_commit_callbacks
):
    connection_suspend(connection=remote_partner)
    with django_capture_on_commit_callbacks(execute=True):
        push_location(own_parties["CPO"], "First")
        push_location(own_parties["CPO"], "Second")
    # Neither the queued task nor the sweep sends anything while the partner is suspended.
    for delivery in PushDelivery.objects.all():
        assert push_delivery_send(delivery_id=delivery.pk) is None
    assert push_deliveries_queue_due(older_than=timedelta(0)) == 0

    assert partner_server.calls == []
    assert set(PushDelivery.objects.values_list("status", "attempts")) == {
        (PushDelivery.Status.PENDING, 0)
    }

    with django_capture_on_commit_callbacks(execute=True):
        connection_resume(connection=remote_partner)

    assert [call.body["name"] for call in partner_server.calls] == ["First", "Second"]
    assert set(PushDelivery.objects.values_list("status", flat=True)) == {
        PushDelivery.Status.DELIVERED
    }
