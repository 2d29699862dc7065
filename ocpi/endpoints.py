"""An endpoint we offer (one interface of one module) and the URLs we advertise to partners."""

import re
from dataclasses import dataclass

from django.conf import settings

# The OCPI version we speak; modules declare their endpoints per version.
VERSION = "2.2.1"
SENDER = "SENDER"
RECEIVER = "RECEIVER"


@dataclass(frozen=True)
class Endpoint:
    role: str  # the interface role we implement: SENDER or RECEIVER
    # Which of our party roles offers it ("CPO" or "EMSP"); None: every party, whatever its role.
    party_role: str | None
    path: str  # under /ocpi/<version>/, e.g. "cpo/locations"

    def url(self, version: str = VERSION) -> str:
        return f"{settings.OCPI_BASE_URL}/ocpi/{version}/{self.path}"

    def route(self, rest: str) -> str:
        """The URL pattern of the endpoint followed by `rest` (a regular expression)."""
        return "^" + re.escape(self.path) + rest


def versions_url() -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/versions"


def version_details_url(version: str = VERSION) -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/{version}"
