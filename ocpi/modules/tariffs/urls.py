from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.tariffs import views
from ocpi.modules.tariffs.declaration import TARIFFS

urlpatterns = [
    re_path(
        TARIFFS.endpoint(SENDER).route(r"/?$"),
        views.CpoTariffListView.as_view(),
        name="cpo-tariffs",
    ),
    re_path(
        TARIFFS.endpoint(RECEIVER).route(
            r"/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<tariff_id>[^/]+)/?$"
        ),
        views.EmspTariffObjectView.as_view(),
        name="emsp-tariff",
    ),
]
