from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER, Endpoint
from ocpi.modules.chargingprofiles.views import (
    ChargingProfileReceiverView,
    ChargingProfileSenderView,
)

ENDPOINTS = [
    Endpoint("chargingprofiles", RECEIVER, "CPO", "cpo/chargingprofiles"),
    Endpoint("chargingprofiles", SENDER, "EMSP", "emsp/chargingprofiles"),
]

urlpatterns = [
    re_path(
        r"^cpo/chargingprofiles/(?P<session_id>[^/]+)/?$",
        ChargingProfileReceiverView.as_view(),
        name="chargingprofiles-receiver",
    ),
    re_path(
        r"^emsp/chargingprofiles/(?P<identifier>[^/]+)/?$",
        ChargingProfileSenderView.as_view(),
        name="chargingprofiles-sender",
    ),
]
