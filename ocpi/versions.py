"""GET versions and version details (the first calls of every handshake; token A allowed)."""

from rest_framework.views import APIView

from ocpi.endpoints import (
    RECEIVER,
    SENDER,
    VERSION,
    all_endpoints,
    credentials_url,
    version_details_url,
)
from ocpi.models import OwnParty
from ocpi.transport.envelope import ocpi_response


class VersionsView(APIView):
    allow_pending_connection = True

    def get(self, request):
        return ocpi_response([{"version": VERSION, "url": version_details_url()}])


class VersionDetailsView(APIView):
    allow_pending_connection = True

    def get(self, request):
        our_roles = set(OwnParty.objects.values_list("role", flat=True))
        endpoints = [
            {"identifier": "credentials", "role": role, "url": credentials_url()}
            for role in (SENDER, RECEIVER)
        ]
        seen = set()
        for endpoint in all_endpoints():
            key = (endpoint.identifier, endpoint.role)
            if endpoint.party_role in our_roles and key not in seen:
                seen.add(key)
                endpoints.append(
                    {
                        "identifier": endpoint.identifier,
                        "role": endpoint.role,
                        "url": endpoint.url(),
                    }
                )
        return ocpi_response({"version": VERSION, "endpoints": endpoints})
