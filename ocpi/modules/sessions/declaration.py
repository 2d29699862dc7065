"""The sessions module: our CPO sends its sessions, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SESSIONS = OcpiModule(
    identifier="sessions",
    endpoints={
        V2_1_1: (
            Endpoint(SENDER, "CPO", "cpo/sessions"),
            Endpoint(RECEIVER, "EMSP", "emsp/sessions"),
        ),
        VERSION: (
            Endpoint(SENDER, "CPO", "cpo/sessions"),
            Endpoint(RECEIVER, "EMSP", "emsp/sessions"),
        ),
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.SESSIONS"},
    urls="ocpi.modules.sessions.urls",
    objects=StoredObjects(
        model="ocpi_sessions.Session",
        store_from_partner="ocpi.modules.sessions.services.store_from_partner",
        pull_interval=600,
    ),
)
