"""Fixtures the OCPI tests share: our CPO's charging location, the partner's eMSP receiving
asynchronous results, and a partner receiving what our CPO pushes."""

import pytest

from ocpi.modules.locations.models import Location
from ocpi.objects import upsert_object
from tests.support.builders import our_location_document
from tests.support.connections import make_connection
from tests.support.partners import RESULT_PATH, envelope, partner_endpoints


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


@pytest.fixture
def emsp(fake_partner):
    """The partner's eMSP side: it accepts results on RESULT_PATH (its `result_url`) and records
    them."""
    fake_partner.routes[("POST", RESULT_PATH)] = (200, envelope(None))
    fake_partner.result_url = fake_partner.url + RESULT_PATH
    return fake_partner


@pytest.fixture
def receiving_partner(own_parties, partner_server):
    """A registered partner with an eMSP whose receivers are the partner server: what our CPO
    saves is pushed there."""
    return make_connection(
        "Receiving eMSP",
        "receiving-token",
        [("DE", "ABE", "EMSP")],
        endpoints=partner_endpoints(partner_server.url),
    )
