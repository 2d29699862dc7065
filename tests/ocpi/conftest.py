"""Fixtures the OCPI tests share: a partner receiving what our CPO pushes, and one whose
endpoints are a PartnerServer (tests.support.partners)."""

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


@pytest.fixture
def remote_partner(own_parties, partner_server):
    """A registered partner (CPO DE-ABC, eMSP DE-ABE) whose endpoints are the partner server."""
    return make_connection(
        "Remote",
        "remote-token-c",
        [("DE", "ABC", "CPO"), ("DE", "ABE", "EMSP")],
        endpoints=partner_endpoints(partner_server.url),
    )
