"""The CDRs module: our CPO sends its CDRs, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.cdrs.serializers"

# Every version has the same interfaces.
ENDPOINTS = (Endpoint(SENDER, "CPO", "cpo/cdrs"), Endpoint(RECEIVER, "EMSP", "emsp/cdrs"))

CDRS = OcpiModule(
    identifier="cdrs",
    endpoints={
        V2_1_1: ENDPOINTS,
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={
        V2_1_1: "ocpi.translations.v2_1_1.CDRS",
        V2_3_0: "ocpi.translations.v2_3_0.CDRS",
    },
    urls="ocpi.modules.cdrs.urls",
    request_bodies={"POST emsp/cdrs": SERIALIZERS + ".CdrSerializer"},
    objects=StoredObjects(
        model="ocpi_cdrs.Cdr",
        store_from_partner="ocpi.modules.cdrs.services.store_from_partner",
        recipient_field="cdr_token",  # the eMSP of the driver's token
        pull_interval=1800,
        posted_to_endpoint=True,  # a CDR never changes: it is POSTed once, to the bare endpoint
    ),
)
