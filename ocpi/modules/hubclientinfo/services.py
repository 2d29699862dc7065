"""Writing ClientInfo objects pushed by a hub."""

from django.db import transaction

from ocpi.models import Connection
from ocpi.modules.hubclientinfo.models import ClientInfo
from ocpi.modules.hubclientinfo.serializers import ClientInfoIn
from ocpi.objects import UpsertResult, upsert_object
from ocpi.transport.parties import require_reportable_party
from ocpi.validation import checked_put, validate_document


@transaction.atomic
def client_info_store(
    *, connection: Connection, country_code: str, party_id: str, document: dict
) -> UpsertResult:
    """Store a ClientInfo as received. The party it describes is not the sender's own: a hub
    reports on the other parties it connects us to, but never on ours or another connection's."""
    require_reportable_party(connection, country_code, party_id)
    checked_put(document, country_code=country_code, party_id=party_id)
    client_info = validate_document(ClientInfoIn, document)
    return upsert_object(
        ClientInfo,
        country_code=country_code,
        party_id=party_id,
        object_id=client_info["role"],
        document=document,
        source=connection,
        extra={"status": client_info["status"]},
    )
