from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.cdrs import views
from ocpi.modules.cdrs.declaration import CDRS

receiver = CDRS.endpoint(RECEIVER)

urlpatterns = [
    re_path(CDRS.endpoint(SENDER).route(r"/?$"), views.CdrListView.as_view(), name="cdrs-sender"),
    re_path(receiver.route(r"/?$"), views.CdrReceiverView.as_view(), name="cdrs-receiver"),
    re_path(
        receiver.route(r"/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<cdr_id>[^/]+)/?$"),
        views.CdrObjectView.as_view(),
        name="cdrs-receiver-object",
    ),
]
