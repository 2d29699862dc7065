"""A driver blocks a lost card: after a confirmation, the card is invalid here and every CPO we
roam with receives it as `valid: false` over HTTP."""

import pytest
from django.urls import reverse

from ocpi.modules.tokens.models import Token
from ocpi.sync.models import PushDelivery
from tests.support.connections import make_connection
from tests.support.driver_seed import seed_driver
from tests.support.partners import PartnerServer, partner_endpoints


@pytest.fixture
def partner_server():
    with PartnerServer() as server:
        yield server


@pytest.fixture
def roaming_cpo(own_parties, partner_server):
    """A registered partner whose CPO receives our tokens on the partner server."""
    return make_connection(
        "Roaming CPO",
        "roaming-token-c",
        [("DE", "ABC", "CPO")],
        endpoints=partner_endpoints(partner_server.url),
    )


@pytest.fixture
def dora(own_parties):
    return seed_driver("dora", "NL-TME-C12345678-X")


def test_blocking_asks_first_and_changes_nothing_until_confirmed(client, dora):
    client.force_login(dora.user)
    card = dora.tokens[0]
    page = client.get(reverse("driver:card-block", args=[card.pk])).content.decode()
    assert "Block this card?" in page and "04DORA0001" in page
    card.refresh_from_db()
    assert card.valid


def test_a_blocked_card_is_pushed_invalid_to_the_cpos_we_roam_with(
    client, dora, roaming_cpo, partner_server, django_capture_on_commit_callbacks
):
    client.force_login(dora.user)
    card = dora.tokens[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("driver:card-block", args=[card.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("driver:cards")
    assert Token.objects.get(pk=card.pk).valid is False
    [call] = partner_server.calls
    assert (call.method, call.path) == ("PUT", "/cpo/tokens/NL/TME/04DORA0001")
    assert call.query == {"type": "RFID"}
    assert call.body["valid"] is False and call.body["uid"] == "04DORA0001"
    delivery = PushDelivery.objects.get(connection=roaming_cpo)
    assert delivery.status == PushDelivery.Status.DELIVERED
    page = client.get(reverse("driver:cards")).content.decode()
    assert "The card is blocked." in page
