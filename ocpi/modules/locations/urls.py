from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER, Endpoint
from ocpi.modules.locations import views

ENDPOINTS: list[Endpoint] = [
    Endpoint("locations", SENDER, "CPO", "cpo/locations"),
    Endpoint("locations", RECEIVER, "EMSP", "emsp/locations"),
]

# {location_id}[/{evse_uid}[/{connector_id}]], with or without a trailing slash.
_OBJECT_PATH = r"(?P<location_id>[^/]+)(?:/(?P<evse_uid>[^/]+)(?:/(?P<connector_id>[^/]+))?)?/?$"

urlpatterns = [
    re_path(r"^cpo/locations/?$", views.CpoLocationListView.as_view(), name="cpo-locations"),
    re_path(
        r"^cpo/locations/" + _OBJECT_PATH,
        views.CpoLocationObjectView.as_view(),
        name="cpo-location",
    ),
    re_path(
        r"^emsp/locations/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/" + _OBJECT_PATH,
        views.EmspLocationObjectView.as_view(),
        name="emsp-location",
    ),
]
