from django.urls import re_path

from ocpi.modules.sessions import views

ENDPOINTS = [views.CPO_SENDER, views.EMSP_RECEIVER]

urlpatterns = [
    re_path(r"^cpo/sessions/?$", views.SessionListView.as_view(), name="sessions-sender"),
    re_path(
        r"^emsp/sessions/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<session_id>[^/]+)/?$",
        views.SessionReceiverView.as_view(),
        name="sessions-receiver",
    ),
]
