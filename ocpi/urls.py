"""OCPI URLs: /ocpi/versions, /ocpi/2.2.1 and, under it, the endpoints of every declared module."""

import re

from django.urls import include, path, re_path

from ocpi import registry
from ocpi.endpoints import VERSION
from ocpi.openapi import openapi_view
from ocpi.versions import VersionDetailsView, VersionsView

app_name = "ocpi"

urlpatterns = [
    re_path(r"^openapi\.json$", openapi_view, name="openapi"),
    re_path(r"^versions/?$", VersionsView.as_view(), name="versions"),
    re_path(rf"^{re.escape(VERSION)}/?$", VersionDetailsView.as_view(), name="version-details"),
    *[path(f"{VERSION}/", include(module.urls)) for module in registry.modules()],
]
