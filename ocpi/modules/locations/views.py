"""Locations endpoints: our CPO's sender interface and our eMSP's receiver interface."""

from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.locations import selectors, services
from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.locations.models import Location
from ocpi.objects import document_response, documents_page, object_key
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import UnknownLocation
from ocpi.transport.parties import require_partner_party


def _object_response(locations, location_id: str, evse_uid: str | None, connector_id: str | None):
    """The Location (stored text as is), or the EVSE or Connector inside it; 2003 if unknown."""
    if evse_uid is None:
        response = document_response(locations)
    else:
        location = locations.first()
        part = location and selectors.location_part(location.document, evse_uid, connector_id)
        response = ocpi_response(part) if part else None
    if response is None:
        path = "/".join(p for p in (location_id, evse_uid, connector_id) if p)
        raise UnknownLocation(f"Unknown location object {path}")
    return response


class CpoLocationListView(APIView):
    """GET /cpo/locations: our CPO's locations, paginated, filtered by last_updated."""

    def get(self, request):
        party = LOCATIONS.our_party(request, SENDER)
        return documents_page(request, selectors.own_locations(party=party))


class CpoLocationObjectView(APIView):
    """GET /cpo/locations/{location_id}[/{evse_uid}[/{connector_id}]]."""

    def get(self, request, location_id, evse_uid=None, connector_id=None):
        party = LOCATIONS.our_party(request, SENDER)
        locations = selectors.own_locations(party=party).filter(ocpi_id=location_id.upper())
        return _object_response(locations, location_id, evse_uid, connector_id)


class EmspLocationObjectView(APIView):
    """/emsp/locations/{country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]]:
    GET, PUT and PATCH by the CPO that owns the location."""

    def get(self, request, country_code, party_id, location_id, evse_uid=None, connector_id=None):
        LOCATIONS.our_party(request, RECEIVER)
        require_partner_party(request.auth, country_code, party_id)
        locations = Location.objects.filter(**object_key(country_code, party_id, location_id))
        return _object_response(locations, location_id, evse_uid, connector_id)

    def put(self, request, country_code, party_id, location_id, evse_uid=None, connector_id=None):
        LOCATIONS.our_party(request, RECEIVER)
        services.location_put_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            location_id=location_id,
            evse_uid=evse_uid,
            connector_id=connector_id,
            document=request.data,
        )
        return ocpi_response()

    def patch(self, request, country_code, party_id, location_id, evse_uid=None, connector_id=None):
        LOCATIONS.our_party(request, RECEIVER)
        services.location_patch_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            location_id=location_id,
            evse_uid=evse_uid,
            connector_id=connector_id,
            patch=request.data,
        )
        return ocpi_response()
