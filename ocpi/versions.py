"""GET versions and version details (the first calls of every handshake; token A allowed)."""

from rest_framework.views import APIView

from ocpi import registry
from ocpi.endpoints import VERSION, has_roles, offered_versions, version_details_url
from ocpi.models import OwnParty
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import UnsupportedVersion


class VersionsView(APIView):
    allow_pending_connection = True

    def get(self, request):
        return ocpi_response(
            [{"version": v, "url": version_details_url(v)} for v in offered_versions()]
        )


class VersionDetailsView(APIView):
    """Each version's endpoints. 2.1.1 knows no roles: its details list one endpoint per module,
    those of the party that speaks 2.1.1 (see ocpi.translations.party_speaking_2_1_1)."""

    allow_pending_connection = True

    def get(self, request, version=VERSION):
        if version not in offered_versions():
            raise UnsupportedVersion(f"OCPI {version} is not offered here")
        if has_roles(version):
            our_roles = set(OwnParty.objects.values_list("role", flat=True))
        else:
            from ocpi.translations import party_speaking_2_1_1

            party = party_speaking_2_1_1()
            our_roles = {party.role} if party else set()
        endpoints = []
        offered = registry.offered_endpoints(our_roles=our_roles, version=version)
        for identifier, endpoint in offered:
            listed = {"identifier": identifier, "url": endpoint.url(version)}
            if has_roles(version):
                listed["role"] = endpoint.role
            elif any(e["identifier"] == identifier for e in endpoints):
                continue  # one endpoint per module
            endpoints.append(listed)
        return ocpi_response({"version": version, "endpoints": endpoints})
