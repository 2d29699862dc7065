"""The tokens module: our eMSP sends its tokens (and authorizes them), our CPO receives partner
eMSPs'."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

TOKENS = OcpiModule(
    identifier="tokens",
    endpoints={
        VERSION: (Endpoint(SENDER, "EMSP", "emsp/tokens"), Endpoint(RECEIVER, "CPO", "cpo/tokens")),
    },
    urls="ocpi.modules.tokens.urls",
    objects=StoredObjects(
        model="ocpi_tokens.Token",
        store_from_partner="ocpi.modules.tokens.services.store_from_partner",
        pull_interval=3600,
        id_field="uid",
        url_parameters=("type",),  # one uid may name a token of each type
    ),
)
