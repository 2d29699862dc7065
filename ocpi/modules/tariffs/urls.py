from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER, Endpoint
from ocpi.modules.tariffs import views

ENDPOINTS: list[Endpoint] = [
    Endpoint("tariffs", SENDER, "CPO", "cpo/tariffs"),
    Endpoint("tariffs", RECEIVER, "EMSP", "emsp/tariffs"),
]

urlpatterns = [
    re_path(r"^cpo/tariffs/?$", views.CpoTariffListView.as_view(), name="cpo-tariffs"),
    re_path(
        r"^emsp/tariffs/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<tariff_id>[^/]+)/?$",
        views.EmspTariffObjectView.as_view(),
        name="emsp-tariff",
    ),
]
