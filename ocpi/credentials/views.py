from rest_framework.views import APIView


class CredentialsView(APIView):
    allow_pending_connection = True
