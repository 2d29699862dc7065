"""The tokens endpoints: our eMSP's sender (GET list, real-time authorize) and our CPO's
receiver (GET/PUT/PATCH)."""

from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.tokens import selectors, services
from ocpi.modules.tokens.declaration import TOKENS
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.serializers import TokenSerializer
from ocpi.objects import document_response, documents_page
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.exceptions import InvalidParameters, UnknownToken
from ocpi.transport.parties import require_partner_party
from ocpi.validation import schema


def token_type_param(request) -> str:
    """The `type` URL parameter: a TokenType (open from 2.3.0 on, as in the body), RFID when
    omitted."""
    token_type = request.GET.get("type") or Token.Type.RFID
    try:
        return schema(TokenSerializer).fields["type"].run_validation(token_type)
    except ValidationError:
        raise InvalidParameters(f"type: {token_type!r} is not a TokenType") from None


class TokenListView(APIView):
    """GET /emsp/tokens: our eMSP's tokens, paginated."""

    def get(self, request):
        party = TOKENS.our_party(request, SENDER)
        return documents_page(request, selectors.own_tokens(party=party))


class TokenAuthorizeView(APIView):
    """POST /emsp/tokens/{token_uid}/authorize[?type=]: real-time authorization of our token."""

    def post(self, request, token_uid):
        info = services.token_authorize(
            token_uid=token_uid,
            token_type=token_type_param(request),
            location_references=services.location_references_from(request.data),
        )
        return ocpi_response(info)


class TokenReceiverView(APIView):
    """/cpo/tokens/{country_code}/{party_id}/{token_uid}[?type=]: a partner eMSP's token."""

    def get(self, request, country_code, party_id, token_uid):
        TOKENS.our_party(request, RECEIVER)
        require_partner_party(request.auth, country_code, party_id)
        token_type = token_type_param(request)
        response = document_response(
            selectors.token_by_key(
                country_code=country_code,
                party_id=party_id,
                token_uid=token_uid,
                token_type=token_type,
            )
        )
        if response is None:
            raise UnknownToken(
                f"Token {token_uid} ({token_type}) of {country_code}-{party_id} is not known"
            )
        return response

    def put(self, request, country_code, party_id, token_uid):
        TOKENS.our_party(request, RECEIVER)
        services.token_put_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            token_uid=token_uid,
            token_type=token_type_param(request) if "type" in request.GET else None,
            document=request.data,
        )
        return ocpi_response()

    def patch(self, request, country_code, party_id, token_uid):
        TOKENS.our_party(request, RECEIVER)
        services.token_patch_from_partner(
            connection=request.auth,
            country_code=country_code,
            party_id=party_id,
            token_uid=token_uid,
            token_type=token_type_param(request),
            patch=request.data,
        )
        return ocpi_response()
