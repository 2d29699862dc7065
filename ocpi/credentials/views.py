"""/ocpi/2.2.1/credentials: partners register (POST), rotate (PUT), read (GET) and end (DELETE)."""

from rest_framework.views import APIView

from ocpi import tokens
from ocpi.credentials import services
from ocpi.transport.envelope import ocpi_response
from ocpi.transport.parsers import version_and_path


def presented_token(request) -> tuple[str, bool]:
    """The token the caller authenticated with, and whether it came plain (not base64)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    _, _, credential = header.strip().partition(" ")
    credential = credential.strip()
    for candidate in tokens.token_candidates(header):
        if tokens.token_matches(candidate, request.auth.inbound_token_hash):
            return candidate, candidate == credential
    return credential, False


class CredentialsView(APIView):
    # Token A (a pending connection) may register; everything else needs a registration.
    allow_pending_connection = True

    def get(self, request):
        # We keep only a hash of the token we issued; the caller just showed it to us.
        token, _ = presented_token(request)
        return ocpi_response(services.our_credentials(token=token))

    def post(self, request):
        _, plain = presented_token(request)
        credentials = services.credentials_registration_accept(
            connection=request.auth,
            document=request.data,
            plain_token=plain,
            version=version_and_path(request.path)[0],
        )
        return ocpi_response(credentials)

    def put(self, request):
        _, plain = presented_token(request)
        credentials = services.credentials_update_accept(
            connection=request.auth,
            document=request.data,
            plain_token=plain,
            version=version_and_path(request.path)[0],
        )
        return ocpi_response(credentials)

    def delete(self, request):
        services.credentials_unregistration_accept(connection=request.auth)
        return ocpi_response()
