"""The locations module: our CPO sends its locations, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

LOCATIONS = OcpiModule(
    identifier="locations",
    endpoints={
        VERSION: (
            Endpoint(SENDER, "CPO", "cpo/locations"),
            Endpoint(RECEIVER, "EMSP", "emsp/locations"),
        ),
    },
    urls="ocpi.modules.locations.urls",
    objects=StoredObjects(
        model="ocpi_locations.Location",
        store_from_partner="ocpi.modules.locations.services.store_from_partner",
        pull_interval=900,
    ),
)
