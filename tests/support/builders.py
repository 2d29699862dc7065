"""OCPI 2.2.1 documents for tests: small valid objects, each member overridable by keyword.

By default the objects belong to the partner of the `partner` fixture: its CPO DE-ABC (locations,
tariffs, sessions, CDRs) and its eMSP DE-ABE (tokens); sessions and CDRs are charged with a token
of our eMSP NL-TME. `example(name)` returns one of our fuller example documents, written for these
tests, in tests/support/documents/.
"""

import json
from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parent / "documents"
STAMP = "2024-01-01T10:00:00Z"


def example(name: str, *, version: str = "2.2.1") -> dict:
    """A fresh copy of tests/support/documents/<name>.json (2.2.1), or of another version's in
    tests/support/documents/v<version>/ (v2_1_1, v2_3_0)."""
    folder = DOCUMENTS if version == "2.2.1" else DOCUMENTS / f"v{version.replace('.', '_')}"
    return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))


def connector(connector_id: str = "1", last_updated: str = STAMP, **fields) -> dict:
    """An 11 kW Type 2 socket priced by tariff T1."""
    return {
        "id": connector_id,
        "standard": "IEC_62196_T2",
        "format": "SOCKET",
        "power_type": "AC_3_PHASE",
        "max_voltage": 230,
        "max_amperage": 16,
        "tariff_ids": ["T1"],
        "last_updated": last_updated,
        **fields,
    }


def evse(uid: str = "EVSE1", last_updated: str = STAMP, **fields) -> dict:
    """An available EVSE with one `connector()`."""
    return {
        "uid": uid,
        "evse_id": f"DE*ABC*E{uid}",
        "status": "AVAILABLE",
        "connectors": [connector(last_updated=last_updated)],
        "last_updated": last_updated,
        **fields,
    }


def location(
    location_id: str = "LOC1",
    last_updated: str = STAMP,
    country_code: str = "DE",
    party_id: str = "ABC",
    **fields,
) -> dict:
    """A published location in Berlin with one `evse()`."""
    return {
        "country_code": country_code,
        "party_id": party_id,
        "id": location_id,
        "publish": True,
        "address": "Hauptstrasse 1",
        "city": "Berlin",
        "country": "DEU",
        "coordinates": {"latitude": "52.520008", "longitude": "13.404954"},
        "evses": [evse(last_updated=last_updated)],
        "time_zone": "Europe/Berlin",
        "last_updated": last_updated,
        **fields,
    }


def tariff(
    tariff_id: str = "T1",
    last_updated: str = "2024-01-01T00:00:00Z",
    price: float = 0.25,
    country_code: str = "DE",
    party_id: str = "ABC",
    **fields,
) -> dict:
    """A tariff of one element: energy at `price` EUR per kWh, 19 % VAT."""
    return {
        "country_code": country_code,
        "party_id": party_id,
        "id": tariff_id,
        "currency": "EUR",
        "elements": [
            {"price_components": [{"type": "ENERGY", "price": price, "vat": 19.0, "step_size": 1}]}
        ],
        "last_updated": last_updated,
        **fields,
    }


def token(uid: str = "012345678", *, party=("DE", "ABE"), **fields) -> dict:
    """An RFID token of the eMSP `party`, valid and allowed."""
    return {
        "country_code": party[0],
        "party_id": party[1],
        "uid": uid,
        "type": "RFID",
        "contract_id": f"{party[0]}{party[1]}C12345678",
        "issuer": "Test Mobility",
        "valid": True,
        "whitelist": "ALLOWED",
        "last_updated": STAMP,
        **fields,
    }


def cdr_token(token_party=("NL", "TME")) -> dict:
    """The token a session or CDR was charged with: an RFID card of the eMSP `token_party`."""
    return {
        "country_code": token_party[0],
        "party_id": token_party[1],
        "uid": "012345678",
        "type": "RFID",
        "contract_id": f"{token_party[0]}-{token_party[1]}-C12345678-X",
    }


def charging_period(start: str, kwh, **fields) -> dict:
    return {"start_date_time": start, "dimensions": [{"type": "ENERGY", "volume": kwh}], **fields}


def session(
    session_id: str = "S1", *, party=("DE", "ABC"), token_party=("NL", "TME"), **fields
) -> dict:
    """An active session of the CPO `party` at `location()`'s LOC1, EVSE1, connector 1, 1.5 kWh
    into its first charging period."""
    return {
        "country_code": party[0],
        "party_id": party[1],
        "id": session_id,
        "start_date_time": STAMP,
        "kwh": 0,
        "cdr_token": cdr_token(token_party),
        "auth_method": "WHITELIST",
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
        "connector_id": "1",
        "currency": "EUR",
        "charging_periods": [charging_period(STAMP, 1.5)],
        "status": "ACTIVE",
        "last_updated": STAMP,
        **fields,
    }


def cdr(
    cdr_id: str = "CDR1",
    *,
    party=("DE", "ABC"),
    token_party=("NL", "TME"),
    start: str = STAMP,
    end: str = "2024-01-01T11:00:00Z",
    energy: float = 12.5,
    hours: float = 1.0,
    tariff_id: str | None = "T1",
    location_id: str = "LOC1",
    country: str = "DEU",
    **fields,
) -> dict:
    """A CDR of the CPO `party` at `location()`'s connector: one charging period of `energy` kWh
    over `hours` hours, priced by tariff `tariff_id` (None: the period names no tariff); no
    tariff is embedded."""
    period = {
        "start_date_time": start,
        "dimensions": [{"type": "ENERGY", "volume": energy}, {"type": "TIME", "volume": hours}],
    }
    if tariff_id is not None:
        period["tariff_id"] = tariff_id
    return {
        "country_code": party[0],
        "party_id": party[1],
        "id": cdr_id,
        "start_date_time": start,
        "end_date_time": end,
        "session_id": "S1",
        "cdr_token": cdr_token(token_party),
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": location_id,
            "address": "Hauptstrasse 1",
            "city": "Berlin",
            "country": country,
            "coordinates": {"latitude": "52.520008", "longitude": "13.404954"},
            "evse_uid": "EVSE1",
            "evse_id": f"{party[0]}*{party[1]}*EEVSE1",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_3_PHASE",
        },
        "currency": "EUR",
        "charging_periods": [period],
        "total_cost": {"excl_vat": 3.125, "incl_vat": 3.7813},
        "total_energy": energy,
        "total_time": hours,
        "last_updated": end,
        **fields,
    }


def partner_token(**fields) -> dict:
    """A token of the partner's eMSP (DE-ABE): an app user's."""
    app_user = {
        "uid": "APP0001",
        "type": "APP_USER",
        "contract_id": "DE-ABE-C00001-1",
        "issuer": "ABE Mobility",
        "last_updated": "2026-01-01T00:00:00Z",
    }
    return token(**{**app_user, **fields})


def our_location_document() -> dict:
    """Our CPO's (NL-TMC) location LOC1 in Utrecht: one EVSE (EVSE1) with one 11 kW Type 2
    socket (1)."""
    stamp = "2026-01-01T00:00:00Z"
    return location(
        "LOC1",
        stamp,
        country_code="NL",
        party_id="TMC",
        address="Stationsplein 1",
        city="Utrecht",
        country="NLD",
        coordinates={"latitude": "52.08917", "longitude": "5.11012"},
        time_zone="Europe/Amsterdam",
        evses=[
            evse(
                "EVSE1",
                stamp,
                evse_id="NL*TMC*E1",
                connectors=[connector("1", stamp, max_electric_power=11000)],
            )
        ],
    )
