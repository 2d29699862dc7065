"""OCPI URLs: /ocpi/versions, /ocpi/2.2.1 and each module under /ocpi/2.2.1/{cpo,emsp}/."""

from django.urls import include, path, re_path

from ocpi.credentials.views import CredentialsView
from ocpi.endpoints import MODULES
from ocpi.versions import VersionDetailsView, VersionsView

app_name = "ocpi"

urlpatterns = [
    re_path(r"^versions/?$", VersionsView.as_view(), name="versions"),
    re_path(r"^2\.2\.1/?$", VersionDetailsView.as_view(), name="version-details"),
    re_path(r"^2\.2\.1/credentials/?$", CredentialsView.as_view(), name="credentials"),
    *[path("2.2.1/", include(f"ocpi.modules.{module}.urls")) for module in MODULES],
]
