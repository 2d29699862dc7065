from django.urls import re_path

from ocpi.endpoints import RECEIVER, Endpoint
from ocpi.modules.hubclientinfo.views import ClientInfoView

# Every party connected to a hub receives ClientInfo, so both our roles offer the interface.
ENDPOINTS = [
    Endpoint("hubclientinfo", RECEIVER, "CPO", "cpo/hubclientinfo"),
    Endpoint("hubclientinfo", RECEIVER, "EMSP", "emsp/hubclientinfo"),
]

PARTY = r"(?P<country_code>[^/]+)/(?P<party_id>[^/]+)"

urlpatterns = [
    re_path(
        rf"^(?:cpo|emsp)/hubclientinfo/{PARTY}/?$",
        ClientInfoView.as_view(),
        name="hubclientinfo",
    ),
]
