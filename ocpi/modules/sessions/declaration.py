"""The sessions module: our CPO sends its sessions, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.sessions.serializers"

# Every version has the same interfaces.
ENDPOINTS = (
    Endpoint(SENDER, "CPO", "cpo/sessions"),
    Endpoint(RECEIVER, "EMSP", "emsp/sessions"),
)

SESSIONS = OcpiModule(
    identifier="sessions",
    endpoints={
        V2_1_1: ENDPOINTS,
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={
        V2_1_1: "ocpi.translations.v2_1_1.SESSIONS",
        V2_3_0: "ocpi.translations.v2_3_0.SESSIONS",
    },
    urls="ocpi.modules.sessions.urls",
    request_bodies={
        "PUT emsp/sessions/{country_code}/{party_id}/{session_id}": SERIALIZERS
        + ".SessionSerializer",
        "PATCH emsp/sessions/{country_code}/{party_id}/{session_id}": SERIALIZERS
        + ".SessionSerializer",
    },
    objects=StoredObjects(
        model="ocpi_sessions.Session",
        store_from_partner="ocpi.modules.sessions.services.store_from_partner",
        recipient_field="cdr_token",  # the eMSP of the driver's token
        pull_interval=600,
    ),
)
