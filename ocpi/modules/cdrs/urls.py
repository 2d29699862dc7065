from django.urls import re_path

from ocpi.modules.cdrs import views

ENDPOINTS = [views.CPO_SENDER, views.EMSP_RECEIVER]

urlpatterns = [
    re_path(r"^cpo/cdrs/?$", views.CdrListView.as_view(), name="cdrs-sender"),
    re_path(r"^emsp/cdrs/?$", views.CdrReceiverView.as_view(), name="cdrs-receiver"),
    re_path(
        r"^emsp/cdrs/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<cdr_id>[^/]+)/?$",
        views.CdrObjectView.as_view(),
        name="cdrs-receiver-object",
    ),
]
