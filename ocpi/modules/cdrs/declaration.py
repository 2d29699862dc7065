"""The CDRs module: our CPO sends its CDRs, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.cdrs.serializers"

CDRS = OcpiModule(
    identifier="cdrs",
    endpoints={
        V2_1_1: (Endpoint(SENDER, "CPO", "cpo/cdrs"), Endpoint(RECEIVER, "EMSP", "emsp/cdrs")),
        VERSION: (Endpoint(SENDER, "CPO", "cpo/cdrs"), Endpoint(RECEIVER, "EMSP", "emsp/cdrs")),
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.CDRS"},
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
