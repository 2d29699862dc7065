"""The hubclientinfo module: every party connected to a hub receives ClientInfo, so both our
roles offer the receiver interface."""

from ocpi.endpoints import RECEIVER, VERSION, Endpoint
from ocpi.registry import OcpiModule

SERIALIZERS = "ocpi.modules.hubclientinfo.serializers"

HUBCLIENTINFO = OcpiModule(
    identifier="hubclientinfo",
    endpoints={
        VERSION: (
            Endpoint(RECEIVER, "CPO", "cpo/hubclientinfo"),
            Endpoint(RECEIVER, "EMSP", "emsp/hubclientinfo"),
        ),
    },
    urls="ocpi.modules.hubclientinfo.urls",
    request_bodies={
        "PUT cpo/hubclientinfo/{country_code}/{party_id}": SERIALIZERS + ".ClientInfoIn",
        "PUT emsp/hubclientinfo/{country_code}/{party_id}": SERIALIZERS + ".ClientInfoIn",
    },
)
