"""Fixtures the OCPI tests share: our CPO's charging location, the partner's eMSP receiving
asynchronous results, its driver's token, and any JSON a partner may send."""

import pytest
from hypothesis import strategies as st

from ocpi.modules.locations.models import Location
from ocpi.objects import upsert_object
from tests.instances import envelope

# Where the partner's eMSP (fake_partner) wants the results of its commands and requests.
RESULT_PATH = "/emsp/results/1"


def our_location_document() -> dict:
    """Our CPO's (NL-TMC) location LOC1: one EVSE (EVSE1) with one 11 kW Type 2 socket (1)."""
    return {
        "country_code": "NL",
        "party_id": "TMC",
        "id": "LOC1",
        "publish": True,
        "address": "Stationsplein 1",
        "city": "Utrecht",
        "country": "NLD",
        "coordinates": {"latitude": "52.08917", "longitude": "5.11012"},
        "time_zone": "Europe/Amsterdam",
        "evses": [
            {
                "uid": "EVSE1",
                "evse_id": "NL*TMC*E1",
                "status": "AVAILABLE",
                "connectors": [
                    {
                        "id": "1",
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 230,
                        "max_amperage": 16,
                        "max_electric_power": 11000,
                        "last_updated": "2026-01-01T00:00:00Z",
                    }
                ],
                "last_updated": "2026-01-01T00:00:00Z",
            }
        ],
        "last_updated": "2026-01-01T00:00:00Z",
    }


@pytest.fixture
def our_location(own_parties) -> Location:
    """our_location_document() stored as our CPO's own location."""
    return upsert_object(
        Location,
        country_code="NL",
        party_id="TMC",
        object_id="LOC1",
        document=our_location_document(),
        source=None,
    ).instance


@pytest.fixture
def emsp(fake_partner):
    """The partner's eMSP side: it accepts results on RESULT_PATH (its `result_url`) and records
    them."""
    fake_partner.routes[("POST", RESULT_PATH)] = (200, envelope(None))
    fake_partner.result_url = fake_partner.url + RESULT_PATH
    return fake_partner


def results_received(fake_partner) -> list[dict]:
    """The bodies of the results POSTed to the partner's eMSP, in order."""
    return [r["body"] for r in fake_partner.requests if r["path"] == RESULT_PATH]


def partner_token(**overrides) -> dict:
    """A token of the partner's eMSP (DE-ABE): an app user's."""
    return {
        "country_code": "DE",
        "party_id": "ABE",
        "uid": "APP0001",
        "type": "APP_USER",
        "contract_id": "DE-ABE-C00001-1",
        "issuer": "ABE Mobility",
        "valid": True,
        "whitelist": "ALLOWED",
        "last_updated": "2026-01-01T00:00:00Z",
        **overrides,
    }


# Any JSON value, nested a little: what a careless or hostile partner may put in a field.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=60),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
