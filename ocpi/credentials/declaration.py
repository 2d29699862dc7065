"""The credentials module: both interface roles for every party we host, whatever its role."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, VERSION, Endpoint
from ocpi.registry import OcpiModule

SERIALIZERS = "ocpi.credentials.serializers"

CREDENTIALS = OcpiModule(
    identifier="credentials",
    endpoints={
        V2_1_1: (Endpoint(SENDER, None, "credentials"), Endpoint(RECEIVER, None, "credentials")),
        VERSION: (Endpoint(SENDER, None, "credentials"), Endpoint(RECEIVER, None, "credentials")),
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.CREDENTIALS"},
    urls="ocpi.credentials.urls",
    request_bodies={
        "POST credentials": SERIALIZERS + ".CredentialsIn",
        "PUT credentials": SERIALIZERS + ".CredentialsIn",
    },
)
