"""The locations module: our CPO sends its locations, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.locations.serializers"
# A partner CPO's location, and its EVSEs and connectors below it, as our eMSP receives them.
RECEIVED = "emsp/locations/{country_code}/{party_id}/{location_id}"

# Every version has the same interfaces.
ENDPOINTS = (
    Endpoint(SENDER, "CPO", "cpo/locations"),
    Endpoint(RECEIVER, "EMSP", "emsp/locations"),
)

LOCATIONS = OcpiModule(
    identifier="locations",
    endpoints={
        V2_1_1: ENDPOINTS,
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.LOCATIONS"},
    urls="ocpi.modules.locations.urls",
    request_bodies={
        f"{method} {RECEIVED}{part}": f"{SERIALIZERS}.{serializer}"
        for method in ("PUT", "PATCH")
        for part, serializer in (
            ("", "LocationSerializer"),
            ("/{evse_uid}", "EvseSerializer"),
            ("/{evse_uid}/{connector_id}", "ConnectorSerializer"),
        )
    },
    objects=StoredObjects(
        model="ocpi_locations.Location",
        store_from_partner="ocpi.modules.locations.services.store_from_partner",
        pull_interval=900,
    ),
)
