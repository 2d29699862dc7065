"""Reading CDRs."""

from django.db.models import Q, QuerySet

from ocpi.models import Connection, OwnParty
from ocpi.modules.cdrs.models import Cdr
from ocpi.objects import object_key


def token_owned_by(connection: Connection) -> Q:
    """Sessions and CDRs whose token belongs to one of the partner's parties: a CPO shows an
    eMSP only its own drivers' charging (transport_and_format: not every CDR belongs to every
    client). Uses the connection's prefetched parties: no query."""
    parties = [(p.country_code.upper(), p.party_id.upper()) for p in connection.parties.all()]
    if not parties:
        return Q(pk__in=[])
    condition = Q()
    for country_code, party_id in parties:
        condition |= Q(token_country_code=country_code, token_party_id=party_id)
    return condition


def cdrs_for_partner(*, party: OwnParty, connection: Connection) -> QuerySet[Cdr]:
    """Our party's CDRs that the partner may read (its drivers' charging)."""
    return Cdr.objects.filter(
        source__isnull=True,
        country_code=party.country_code.upper(),
        party_id=party.party_id.upper(),
    ).filter(token_owned_by(connection))


def cdr_by_key(*, country_code: str, party_id: str, cdr_id: str) -> QuerySet[Cdr]:
    return Cdr.objects.filter(**object_key(country_code, party_id, cdr_id))
