"""The CDRs module: our CPO sends its CDRs, our eMSP receives partner CPOs'."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.cdrs.serializers"

CDRS = OcpiModule(
    identifier="cdrs",
    endpoints={
        VERSION: (Endpoint(SENDER, "CPO", "cpo/cdrs"), Endpoint(RECEIVER, "EMSP", "emsp/cdrs")),
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
