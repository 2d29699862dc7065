from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER, Endpoint
from ocpi.modules.commands.views import CommandReceiverView, CommandResultView

ENDPOINTS = [
    Endpoint("commands", RECEIVER, "CPO", "cpo/commands"),
    Endpoint("commands", SENDER, "EMSP", "emsp/commands"),
]

urlpatterns = [
    re_path(
        r"^cpo/commands/(?P<command>[^/]+)/?$",
        CommandReceiverView.as_view(),
        name="commands-receiver",
    ),
    re_path(
        r"^emsp/commands/(?P<command>[^/]+)/(?P<uid>[^/]+)/?$",
        CommandResultView.as_view(),
        name="commands-result",
    ),
]
