"""Fixtures the OCPI tests share: a partner receiving what our CPO pushes."""

import pytest

from tests.support.connections import make_connection
from tests.support.partners import partner_endpoints


@pytest.fixture
def receiving_partner(own_parties, partner_server):
    """A registered partner with an eMSP (its own, DE-RCV: a party belongs to one connection)
    whose receivers are the partner server: what our CPO saves is pushed there."""
    return make_connection(
        "Receiving eMSP",
        "receiving-token",
        [("DE", "RCV", "EMSP")],
        endpoints=partner_endpoints(partner_server.url),
    )
