"""A partner platform speaking OCPI 2.1.1 (one party, DE-OLD, as 2.1.1 connects one party to
one party)."""

import pytest
from django.test import Client

from ocpi import tokens
from tests.support.connections import make_connection

OLD_TOKEN = "old-partner-token-0123456789"


@pytest.fixture
def old_partner(own_parties):
    """A registered partner on 2.1.1: DE-OLD."""
    return make_connection("Old Partner", OLD_TOKEN, [("DE", "OLD", "CPO")], version="2.1.1")


@pytest.fixture
def old_client(old_partner):
    """A client of the 2.1.1 partner: plain token, no routing headers."""
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(OLD_TOKEN, plain=True))
