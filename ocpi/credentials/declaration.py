"""The credentials module: both interface roles for every party we host, whatever its role."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule

SERIALIZERS = "ocpi.credentials.serializers"

CREDENTIALS = OcpiModule(
    identifier="credentials",
    endpoints={
        VERSION: (Endpoint(SENDER, None, "credentials"), Endpoint(RECEIVER, None, "credentials")),
    },
    urls="ocpi.credentials.urls",
    request_bodies={
        "POST credentials": SERIALIZERS + ".CredentialsIn",
        "PUT credentials": SERIALIZERS + ".CredentialsIn",
    },
)
