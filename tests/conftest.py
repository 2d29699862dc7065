"""Shared fixtures: our parties, a registered partner connection, an authenticated client and
our CPO's charging location."""

import pytest
from django.test import Client

from ocpi import tokens
from ocpi.models import OwnParty
from ocpi.modules.locations.models import Location
from ocpi.objects import upsert_object
from tests.support.builders import our_location_document
from tests.support.connections import PARTNER_TOKEN, make_connection

# Partner platforms on loopback (partner_server, fake_partner), two real instances
# (cpo_instance, emsp_instance) for end-to-end tests over HTTP, and a Celery worker on Redis.
pytest_plugins = ["tests.support.partners", "tests.support.instances", "tests.support.celery"]


@pytest.fixture
def own_parties(db):
    return {
        "CPO": OwnParty.objects.create(
            country_code="NL", party_id="TMC", role="CPO", name="Test Mobility CPO"
        ),
        "EMSP": OwnParty.objects.create(
            country_code="NL", party_id="TME", role="EMSP", name="Test Mobility eMSP"
        ),
    }


@pytest.fixture
def partner(own_parties):
    """A registered partner platform with a CPO (DE-ABC) and an eMSP (DE-ABE) party."""
    return make_connection("Partner", PARTNER_TOKEN, [("DE", "ABC", "CPO"), ("DE", "ABE", "EMSP")])


@pytest.fixture
def partner_client(partner):
    """An HTTP client that authenticates as the partner (base64 token, as 2.2.1 wants)."""
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(PARTNER_TOKEN, plain=False))


@pytest.fixture
def our_location(own_parties) -> Location:
    """our_location_document() stored as our CPO's own location."""
    return upsert_object(
        Location,
        country_code="NL",
        party_id="TMC",
        object_id="LOC1",
        document=our_location_document(),
        source=None,
    ).instance
