from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.sessions import views
from ocpi.modules.sessions.declaration import SESSIONS

urlpatterns = [
    re_path(
        SESSIONS.endpoint(SENDER).route(r"/?$"),
        views.SessionListView.as_view(),
        name="sessions-sender",
    ),
    re_path(
        SESSIONS.endpoint(RECEIVER).route(
            r"/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<session_id>[^/]+)/?$"
        ),
        views.SessionReceiverView.as_view(),
        name="sessions-receiver",
    ),
]
