"""The hubclientinfo module: every party connected to a hub receives ClientInfo, so both our
roles offer the receiver interface."""

from ocpi.endpoints import RECEIVER, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule

SERIALIZERS = "ocpi.modules.hubclientinfo.serializers"

# 2.3.0 has the same interfaces as 2.2.1.
ENDPOINTS = (
    Endpoint(RECEIVER, "CPO", "cpo/hubclientinfo"),
    Endpoint(RECEIVER, "EMSP", "emsp/hubclientinfo"),
)

HUBCLIENTINFO = OcpiModule(
    identifier="hubclientinfo",
    endpoints={
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    urls="ocpi.modules.hubclientinfo.urls",
    request_bodies={
        "PUT cpo/hubclientinfo/{country_code}/{party_id}": SERIALIZERS + ".ClientInfoIn",
        "PUT emsp/hubclientinfo/{country_code}/{party_id}": SERIALIZERS + ".ClientInfoIn",
    },
)
