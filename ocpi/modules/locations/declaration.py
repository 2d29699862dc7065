"""The locations module: our CPO sends its locations, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

LOCATIONS = OcpiModule(
    identifier="locations",
    endpoints={
        V2_1_1: (
            Endpoint(SENDER, "CPO", "cpo/locations"),
            Endpoint(RECEIVER, "EMSP", "emsp/locations"),
        ),
        VERSION: (
            Endpoint(SENDER, "CPO", "cpo/locations"),
            Endpoint(RECEIVER, "EMSP", "emsp/locations"),
        ),
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.LOCATIONS"},
    urls="ocpi.modules.locations.urls",
    objects=StoredObjects(
        model="ocpi_locations.Location",
        store_from_partner="ocpi.modules.locations.services.store_from_partner",
        pull_interval=900,
    ),
)
