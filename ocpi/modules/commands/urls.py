from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.commands.declaration import COMMANDS
from ocpi.modules.commands.views import CommandReceiverView, CommandResultView

urlpatterns = [
    re_path(
        COMMANDS.endpoint(RECEIVER).route(r"/(?P<command>[^/]+)/?$"),
        CommandReceiverView.as_view(),
        name="commands-receiver",
    ),
    re_path(
        COMMANDS.endpoint(SENDER).route(r"/(?P<command>[^/]+)/(?P<uid>[^/]+)/?$"),
        CommandResultView.as_view(),
        name="commands-result",
    ),
]
