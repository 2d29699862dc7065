from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.chargingprofiles.declaration import CHARGINGPROFILES
from ocpi.modules.chargingprofiles.views import (
    ChargingProfileReceiverView,
    ChargingProfileSenderView,
)

urlpatterns = [
    re_path(
        CHARGINGPROFILES.endpoint(RECEIVER).route(r"/(?P<session_id>[^/]+)/?$"),
        ChargingProfileReceiverView.as_view(),
        name="chargingprofiles-receiver",
    ),
    re_path(
        CHARGINGPROFILES.endpoint(SENDER).route(r"/(?P<identifier>[^/]+)/?$"),
        ChargingProfileSenderView.as_view(),
        name="chargingprofiles-sender",
    ),
]
