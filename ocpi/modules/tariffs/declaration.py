"""The tariffs module: our CPO sends its tariffs, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.tariffs.serializers"

# Every version has the same interfaces.
ENDPOINTS = (
    Endpoint(SENDER, "CPO", "cpo/tariffs"),
    Endpoint(RECEIVER, "EMSP", "emsp/tariffs"),
)

TARIFFS = OcpiModule(
    identifier="tariffs",
    endpoints={
        V2_1_1: ENDPOINTS,
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={
        V2_1_1: "ocpi.translations.v2_1_1.TARIFFS",
        V2_3_0: "ocpi.translations.v2_3_0.TARIFFS",
    },
    urls="ocpi.modules.tariffs.urls",
    request_bodies={
        "PUT emsp/tariffs/{country_code}/{party_id}/{tariff_id}": SERIALIZERS + ".TariffSerializer",
    },
    objects=StoredObjects(
        model="ocpi_tariffs.Tariff",
        store_from_partner="ocpi.modules.tariffs.services.store_from_partner",
        pull_interval=3600,
    ),
)
