from django.urls import re_path

from ocpi.credentials.declaration import CREDENTIALS
from ocpi.credentials.views import CredentialsView
from ocpi.endpoints import SENDER

# Both interface roles share one URL.
urlpatterns = [
    re_path(
        CREDENTIALS.endpoint(SENDER).route(r"/?$"), CredentialsView.as_view(), name="credentials"
    ),
]
