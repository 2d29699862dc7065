"""The tokens module: our eMSP sends its tokens (and authorizes them), our CPO receives partner
eMSPs'."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, StoredObjects

SERIALIZERS = "ocpi.modules.tokens.serializers"

# Every version has the same interfaces.
ENDPOINTS = (Endpoint(SENDER, "EMSP", "emsp/tokens"), Endpoint(RECEIVER, "CPO", "cpo/tokens"))

TOKENS = OcpiModule(
    identifier="tokens",
    endpoints={
        V2_1_1: ENDPOINTS,
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.TOKENS"},
    urls="ocpi.modules.tokens.urls",
    request_bodies={
        "PUT cpo/tokens/{country_code}/{party_id}/{token_uid}": SERIALIZERS + ".TokenSerializer",
        "PATCH cpo/tokens/{country_code}/{party_id}/{token_uid}": SERIALIZERS + ".TokenSerializer",
        "POST emsp/tokens/{token_uid}/authorize": SERIALIZERS + ".LocationReferencesSerializer",
    },
    objects=StoredObjects(
        model="ocpi_tokens.Token",
        store_from_partner="ocpi.modules.tokens.services.store_from_partner",
        pull_interval=3600,
        id_field="uid",
        url_parameters=("type",),  # one uid may name a token of each type
    ),
)
