"""The credentials module: both interface roles for every party we host, whatever its role."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule

SERIALIZERS = "ocpi.credentials.serializers"

# Every version has the same interfaces.
ENDPOINTS = (Endpoint(SENDER, None, "credentials"), Endpoint(RECEIVER, None, "credentials"))

CREDENTIALS = OcpiModule(
    identifier="credentials",
    endpoints={
        V2_1_1: ENDPOINTS,
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.CREDENTIALS"},
    urls="ocpi.credentials.urls",
    request_bodies={
        "POST credentials": SERIALIZERS + ".CredentialsIn",
        "PUT credentials": SERIALIZERS + ".CredentialsIn",
    },
)
