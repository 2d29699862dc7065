"""Tariffs endpoints: our CPO's sender interface and our eMSP's receiver interface."""

from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.tariffs import selectors, services
from ocpi.modules.tariffs.declaration import TARIFFS
from ocpi.objects import document_response, documents_page
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import UnknownObject
from ocpi.transport.parties import require_partner_party


class CpoTariffListView(APIView):
    """GET /cpo/tariffs: our CPO's tariffs, paginated, filtered by last_updated."""

    def get(self, request):
        party = TARIFFS.our_party(request, SENDER)
        return documents_page(request, selectors.own_tariffs(party=party))


class EmspTariffObjectView(APIView):
    """/emsp/tariffs/{country_code}/{party_id}/{tariff_id}: GET, PUT and DELETE by the CPO
    that owns the tariff."""

    def get(self, request, country_code, party_id, tariff_id):
        TARIFFS.our_party(request, RECEIVER)
        require_partner_party(request.auth, country_code, party_id)
        response = document_response(
            selectors.current_tariffs(
                country_code=country_code, party_id=party_id, tariff_id=tariff_id
            )
        )
        if response is None:
            raise UnknownObject(f"Unknown tariff {country_code}-{party_id} {tariff_id}")
        return response

    def put(self, request, country_code, party_id, tariff_id):
        TARIFFS.our_party(request, RECEIVER)
        services.tariff_put_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            tariff_id=tariff_id,
            document=request.data,
        )
        return ocpi_response()

    def delete(self, request, country_code, party_id, tariff_id):
        TARIFFS.our_party(request, RECEIVER)
        services.tariff_delete_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            tariff_id=tariff_id,
        )
        return ocpi_response()
