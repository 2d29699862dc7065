"""OCPI URLs: /ocpi/versions, /ocpi/<version> and, under it, the endpoints of every module that
version has (every version we implement is routed; OCPI_VERSIONS decides which are answered)."""

import re

from django.urls import include, path, re_path

from ocpi import registry
from ocpi.endpoints import VERSION, VERSIONS
from ocpi.openapi import openapi_view
from ocpi.versions import VersionDetailsView, VersionsView

app_name = "ocpi"

urlpatterns = [
    re_path(r"^openapi\.json$", openapi_view, name="openapi"),
    re_path(r"^versions/?$", VersionsView.as_view(), name="versions"),
    re_path(
        rf"^(?P<version>{'|'.join(re.escape(v) for v in VERSIONS)})/?$",
        VersionDetailsView.as_view(),
        name="version-details",
    ),
    *[path(f"{VERSION}/", include(module.urls)) for module in registry.modules()],
    # The other versions: the same views, reached through their translation (ocpi.translations).
    *[
        path(f"{version}/", include((module.urls, f"{module.identifier}-{version}")))
        for version in VERSIONS
        if version != VERSION
        for module in registry.modules_in(version)
    ],
]
