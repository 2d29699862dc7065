"""A registered partner whose endpoints are a PartnerServer (tests.support.partners)."""

import pytest

from tests.support.connections import make_connection
from tests.support.partners import partner_endpoints


@pytest.fixture
def remote_partner(own_parties, partner_server):
    """A registered partner (CPO DE-ABC, eMSP DE-ABE) whose endpoints are the partner server."""
    return make_connection(
        "Remote",
        "remote-token-c",
        [("DE", "ABC", "CPO"), ("DE", "ABE", "EMSP")],
        endpoints=partner_endpoints(partner_server.url),
    )
