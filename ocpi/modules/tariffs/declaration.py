"""The tariffs module: our CPO sends its tariffs, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

TARIFFS = OcpiModule(
    identifier="tariffs",
    endpoints={
        VERSION: (
            Endpoint(SENDER, "CPO", "cpo/tariffs"),
            Endpoint(RECEIVER, "EMSP", "emsp/tariffs"),
        ),
    },
    urls="ocpi.modules.tariffs.urls",
    objects=StoredObjects(
        model="ocpi_tariffs.Tariff",
        store_from_partner="ocpi.modules.tariffs.services.store_from_partner",
        pull_interval=3600,
    ),
)
