"""The sessions endpoints: our CPO's sender (GET list) and our eMSP's receiver (GET/PUT/PATCH)."""

from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.sessions import selectors, services
from ocpi.modules.sessions.declaration import SESSIONS
from ocpi.objects import document_response, documents_page
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import UnknownObject
from ocpi.transport.parties import require_partner_party


class SessionListView(APIView):
    """GET /cpo/sessions: our CPO's sessions of the partner's drivers, paginated."""

    def get(self, request):
        party = SESSIONS.our_party(request, SENDER)
        return documents_page(
            request, selectors.sessions_for_partner(party=party, connection=request.auth)
        )


class SessionReceiverView(APIView):
    """/emsp/sessions/{country_code}/{party_id}/{session_id}: a partner CPO's session."""

    def get(self, request, country_code, party_id, session_id):
        SESSIONS.our_party(request, RECEIVER)
        require_partner_party(request.auth, country_code, party_id)
        response = document_response(
            selectors.session_by_key(
                country_code=country_code, party_id=party_id, session_id=session_id
            )
        )
        if response is None:
            raise UnknownObject(f"Session {session_id} of {country_code}-{party_id} is not known")
        return response

    def put(self, request, country_code, party_id, session_id):
        SESSIONS.our_party(request, RECEIVER)
        services.session_put_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            session_id=session_id,
            document=request.data,
        )
        return ocpi_response()

    def patch(self, request, country_code, party_id, session_id):
        SESSIONS.our_party(request, RECEIVER)
        services.session_patch_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            session_id=session_id,
            patch=request.data,
        )
        return ocpi_response()
