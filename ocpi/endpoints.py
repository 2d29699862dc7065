"""An endpoint we offer (one interface of one module) and the URLs we advertise to partners."""

import re
from dataclasses import dataclass

from django.conf import settings

# The OCPI version our stored documents follow; modules declare their endpoints per version,
# and a translation converts the other versions at the edge (ocpi/translations/).
VERSION = "2.2.1"
V2_1_1 = "2.1.1"
V2_3_0 = "2.3.0"
# Every version we implement, oldest first; OCPI_VERSIONS limits which of them an instance offers.
VERSIONS = (V2_1_1, VERSION, V2_3_0)
SENDER = "SENDER"
RECEIVER = "RECEIVER"


@dataclass(frozen=True)
class Endpoint:
    role: str  # the interface role we implement: SENDER or RECEIVER
    # Which of our party roles offers it ("CPO" or "EMSP"); None: every party, whatever its role.
    party_role: str | None
    path: str  # under /ocpi/<version>/, e.g. "cpo/locations"
    # False: served but not listed in version details (2.1.1 has no eMSP commands interface, yet
    # a 2.1.1 CPO posts command results to the response_url we gave it).
    listed: bool = True

    def url(self, version: str = VERSION) -> str:
        return f"{settings.OCPI_BASE_URL}/ocpi/{version}/{self.path}"

    def route(self, rest: str) -> str:
        """The URL pattern of the endpoint followed by `rest` (a regular expression)."""
        return "^" + re.escape(self.path) + rest


def offered_versions() -> tuple[str, ...]:
    """The versions this instance offers partners, oldest first (OCPI_VERSIONS)."""
    return tuple(v for v in VERSIONS if v in settings.OCPI_VERSIONS)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def has_roles(version: str) -> bool:
    """Whether the version names interface and party roles (2.2 onwards; 2.1.1 does not)."""
    return version != V2_1_1


def versions_url() -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/versions"


def version_details_url(version: str = VERSION) -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/{version}"
