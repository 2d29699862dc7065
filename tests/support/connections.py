"""Partner connections stored directly, as a completed credentials handshake leaves them."""

from ocpi.models import Connection, ConnectionParty

# The token the `partner` fixture's platform authenticates with.
PARTNER_TOKEN = "partner-token-c-0123456789"


def make_connection(
    name: str, token: str, parties: list[tuple[str, str, str]], *, version="2.2.1", **fields
):
    """A registered connection on OCPI `version` that authenticates with `token`, acting for
    `parties` ((country_code, party_id, role) each)."""
    connection = Connection(
        name=name, status=Connection.Status.REGISTERED, version=version, **fields
    )
    connection.set_inbound_token(token)
    connection.outbound_token = "our-token-b-" + name
    connection.save()
    for country_code, party_id, role in parties:
        ConnectionParty.objects.create(
            connection=connection, country_code=country_code, party_id=party_id, role=role
        )
    return connection
