"""The module endpoints we offer, for version details: identifier, interface role, our role."""

from dataclasses import dataclass

from django.conf import settings

VERSION = "2.2.1"
SENDER = "SENDER"
RECEIVER = "RECEIVER"

# Every OCPI functional module package under ocpi/modules/ (each declares its own ENDPOINTS).
MODULES = [
    "locations",
    "tariffs",
    "sessions",
    "cdrs",
    "tokens",
    "commands",
    "chargingprofiles",
    "hubclientinfo",
]


@dataclass(frozen=True)
class Endpoint:
    identifier: str  # the OCPI module identifier, e.g. "locations"
    role: str  # the interface role we play: SENDER or RECEIVER
    party_role: str  # which of our party roles offers it: "CPO" or "EMSP"
    path: str  # under /ocpi/2.2.1/, e.g. "cpo/locations"

    def url(self) -> str:
        return f"{settings.OCPI_BASE_URL}/ocpi/{VERSION}/{self.path}"


def versions_url() -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/versions"


def version_details_url() -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/{VERSION}"


def credentials_url() -> str:
    return f"{settings.OCPI_BASE_URL}/ocpi/{VERSION}/credentials"


def all_endpoints() -> list[Endpoint]:
    from importlib import import_module

    found = []
    for module in MODULES:
        found.extend(getattr(import_module(f"ocpi.modules.{module}.urls"), "ENDPOINTS", []))
    return found
