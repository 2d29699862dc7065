"""A partner platform speaking OCPI 2.1.1 (one party, DE-OLD, as 2.1.1 connects one party to
one party) and the project's own 2.1.1 example documents."""

import json
from pathlib import Path

import pytest
from django.test import Client

from ocpi import tokens
from ocpi.models import Connection, ConnectionParty

DOCUMENTS = Path(__file__).parent / "documents"
OLD_TOKEN = "old-partner-token-0123456789"


def document_2_1_1(name: str) -> dict:
    return json.loads((DOCUMENTS / f"{name}.json").read_text())


def connection_on(version: str, name: str, token: str, party: tuple[str, str, str], **fields):
    connection = Connection(
        name=name, status=Connection.Status.REGISTERED, version=version, **fields
    )
    connection.set_inbound_token(token)
    connection.outbound_token = f"our-token-for-{name}"
    connection.save()
    ConnectionParty.objects.create(
        connection=connection, country_code=party[0], party_id=party[1], role=party[2]
    )
    return connection


@pytest.fixture
def old_partner(own_parties):
    """A registered partner on 2.1.1: DE-OLD."""
    return connection_on("2.1.1", "Old Partner", OLD_TOKEN, ("DE", "OLD", "CPO"))


@pytest.fixture
def old_client(old_partner):
    """A client of the 2.1.1 partner: plain token, no routing headers."""
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(OLD_TOKEN, plain=True))


def put(client, url: str, document) -> dict:
    response = client.put(url, json.dumps(document), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()
