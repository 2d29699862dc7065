"""GET versions and version details (the first calls of every handshake; token A allowed)."""

from rest_framework.views import APIView

from ocpi import registry
from ocpi.endpoints import VERSION, version_details_url
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
            {"identifier": identifier, "role": endpoint.role, "url": endpoint.url()}
            for identifier, endpoint in registry.offered_endpoints(our_roles=our_roles)
        ]
        return ocpi_response({"version": VERSION, "endpoints": endpoints})
