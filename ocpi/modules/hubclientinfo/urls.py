from django.urls import re_path

from ocpi.endpoints import VERSION
from ocpi.modules.hubclientinfo.declaration import HUBCLIENTINFO
from ocpi.modules.hubclientinfo.views import ClientInfoView

# One view serves the receiver interface of both our roles.
urlpatterns = [
    re_path(
        endpoint.route(r"/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/?$"),
        ClientInfoView.as_view(),
        name="hubclientinfo",
    )
    for endpoint in HUBCLIENTINFO.endpoints[VERSION]
]
