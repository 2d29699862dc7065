"""The CDRs endpoints: our CPO's sender (GET list) and our eMSP's receiver (POST, GET one)."""

from urllib.parse import quote

from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.cdrs import selectors, services
from ocpi.modules.cdrs.declaration import CDRS
from ocpi.objects import document_response, documents_page
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import UnknownObject
from ocpi.transport.parties import require_partner_party


def stored_cdr_url(country_code, party_id, cdr_id) -> str:
    """Where a partner GETs a CDR it POSTed (the Location header of the POST's answer).

    The values are the partner's spelling; a partner may send a number where a string belongs.
    """
    segments = "/".join(quote(str(value), safe="") for value in (country_code, party_id, cdr_id))
    return f"{CDRS.endpoint(RECEIVER).url()}/{segments}"


class CdrListView(APIView):
    """GET /cpo/cdrs: our CPO's CDRs of the partner's drivers, paginated, by last_updated."""

    def get(self, request):
        party = CDRS.our_party(request, SENDER)
        return documents_page(
            request, selectors.cdrs_for_partner(party=party, connection=request.auth)
        )


class CdrReceiverView(APIView):
    """POST /emsp/cdrs: a partner CPO delivers a CDR to our eMSP."""

    def post(self, request):
        CDRS.our_party(request, RECEIVER)
        result = services.store_from_partner(connection=request.auth, document=request.data)
        document = result.instance.document
        location = stored_cdr_url(document["country_code"], document["party_id"], document["id"])
        return ocpi_response(headers={"Location": location})


class CdrObjectView(APIView):
    """GET /emsp/cdrs/{country_code}/{party_id}/{cdr_id}: a CDR the partner delivered to us."""

    def get(self, request, country_code, party_id, cdr_id):
        CDRS.our_party(request, RECEIVER)
        require_partner_party(request.auth, country_code, party_id)
        response = document_response(
            selectors.cdr_by_key(country_code=country_code, party_id=party_id, cdr_id=cdr_id)
        )
        if response is None:
            raise UnknownObject(f"CDR {cdr_id} of {country_code}-{party_id} is not known")
        return response
