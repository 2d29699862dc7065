from django.db.models import QuerySet

from ocpi.modules.hubclientinfo.models import ClientInfo


def client_info_for_party(*, country_code: str, party_id: str) -> QuerySet[ClientInfo]:
    """The ClientInfo objects of one party, the most recently updated first."""
    return ClientInfo.objects.filter(
        country_code=country_code.upper(), party_id=party_id.upper()
    ).order_by("-last_updated", "-pk")
