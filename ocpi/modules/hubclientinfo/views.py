"""Receiver interface of hubclientinfo: the hub pushes (PUT) and checks (GET) ClientInfo."""

from rest_framework.views import APIView

from ocpi.modules.hubclientinfo.selectors import client_info_for_party
from ocpi.modules.hubclientinfo.services import client_info_store
from ocpi.objects import document_response
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import UnknownObject
from ocpi.transport.parties import require_reportable_party


class ClientInfoView(APIView):
    def get(self, request, country_code: str, party_id: str):
        require_reportable_party(request.auth, country_code, party_id)
        # With one party in two roles, the URL cannot tell them apart: the latest one answers.
        response = document_response(
            client_info_for_party(country_code=country_code, party_id=party_id)
        )
        if response is None:
            raise UnknownObject(f"No ClientInfo for {country_code}-{party_id}")
        return response

    def put(self, request, country_code: str, party_id: str):
        client_info_store(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            document=request.data,
        )
        return ocpi_response()
