from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.locations import views
from ocpi.modules.locations.declaration import LOCATIONS

sender = LOCATIONS.endpoint(SENDER)
receiver = LOCATIONS.endpoint(RECEIVER)

# /{location_id}[/{evse_uid}[/{connector_id}]], with or without a trailing slash.
_OBJECT_PATH = r"/(?P<location_id>[^/]+)(?:/(?P<evse_uid>[^/]+)(?:/(?P<connector_id>[^/]+))?)?/?$"

urlpatterns = [
    re_path(sender.route(r"/?$"), views.CpoLocationListView.as_view(), name="cpo-locations"),
    re_path(sender.route(_OBJECT_PATH), views.CpoLocationObjectView.as_view(), name="cpo-location"),
    re_path(
        receiver.route(r"/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)" + _OBJECT_PATH),
        views.EmspLocationObjectView.as_view(),
        name="emsp-location",
    ),
]
