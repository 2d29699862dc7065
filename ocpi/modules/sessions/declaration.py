"""The sessions module: our CPO sends its sessions, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.sessions.serializers"

SESSIONS = OcpiModule(
    identifier="sessions",
    endpoints={
        VERSION: (
            Endpoint(SENDER, "CPO", "cpo/sessions"),
            Endpoint(RECEIVER, "EMSP", "emsp/sessions"),
        ),
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
