"""Two real instances over loopback HTTP, one limited to OCPI 2.1.1 (OCPI_VERSIONS=2.1.1, a CPO,
NL-OLD) and one offering every version (the eMSP DE-EMP): they register with each other in both
directions on 2.1.1 and roam fully: pull, push, real-time authorization, commands and their
results, sessions and CDRs."""

import json

import pytest

from tests.support.instances import register, running_instance

STAMP = "2026-01-01T00:00:00Z"
LOCATION = {
    "country_code": "NL",
    "party_id": "OLD",
    "id": "LOC-OLD",
    "publish": True,
    "parking_type": "ON_STREET",
    "address": "Oudegracht 1",
    "city": "Utrecht",
    "postal_code": "3511AA",
    "country": "NLD",
    "coordinates": {"latitude": "52.09074", "longitude": "5.12142"},
    "time_zone": "Europe/Amsterdam",
    "last_updated": STAMP,
    "evses": [
        {
            "uid": "EVSE-OLD",
            "evse_id": "NL*OLD*E1",
            "status": "AVAILABLE",
            "capabilities": ["REMOTE_START_STOP_CAPABLE", "RFID_READER"],
            "last_updated": STAMP,
            "connectors": [
                {
                    "id": "1",
                    "standard": "IEC_62196_T2",
                    "format": "SOCKET",
                    "power_type": "AC_3_PHASE",
                    "max_voltage": 230,
                    "max_amperage": 16,
                    "tariff_ids": ["T-OLD"],
                    "last_updated": STAMP,
                }
            ],
        }
    ],
}
TARIFF = {
    "country_code": "NL",
    "party_id": "OLD",
    "id": "T-OLD",
    "currency": "EUR",
    "elements": [{"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}],
    "last_updated": STAMP,
}


@pytest.fixture(scope="module")
def old_cpo(tmp_path_factory, migrated_template_database):
    """A CPO instance that offers OCPI 2.1.1 only, for this module's tests."""
    with running_instance(
        "cpo211",
        "NL-OLD:CPO",
        tmp_path_factory.mktemp("cpo211"),
        template=migrated_template_database,
        versions="2.1.1",
    ) as instance:
        yield instance


def save_own(instance, module: str, document: dict) -> None:
    """Our party's own object, saved and pushed as our back office saves it."""
    instance.call("save_own", module=module, documents=[document])


def stored(instance, model: str, object_id: str) -> dict | None:
    found = instance.call("stored_documents", model=model, ocpi_id=object_id.upper())
    return found[0] if found else None


def authorize_at(cpo, token_uid: str) -> dict:
    return cpo.call(
        "authorize_remotely",
        token_uid=token_uid,
        token_type="RFID",
        location={"location_id": "LOC-OLD"},
    )


def test_the_versions_offered_follow_the_setting(old_cpo, emsp_instance):
    import requests

    issued = old_cpo.manage_json("ocpi_token_a")
    header = {"Authorization": f"Token {issued['token']}"}
    versions = requests.get(old_cpo.versions_url, headers=header, timeout=10).json()["data"]
    assert [v["version"] for v in versions] == ["2.1.1"]
    details = requests.get(versions[0]["url"], headers=header, timeout=10).json()["data"]
    assert {e["identifier"] for e in details["endpoints"]} == {
        "credentials",
        "locations",
        "sessions",
        "cdrs",
        "tariffs",
        "tokens",
        "commands",
    }
    assert all("role" not in e for e in details["endpoints"])  # 2.1.1 has no roles
    refused = requests.get(f"{old_cpo.url}/ocpi/2.2.1", headers=header, timeout=10)
    assert refused.status_code == 404


def test_an_emsp_on_every_version_roams_with_a_2_1_1_cpo(old_cpo, emsp_instance):
    emsp_instance.unregister_all()
    old_cpo.unregister_all()
    at_emsp, at_cpo = register(emsp_instance, old_cpo)
    try:
        assert (at_emsp["version"], at_cpo["version"]) == ("2.1.1", "2.1.1")
        assert at_emsp["parties"] == ["NL-OLD"] and at_cpo["parties"] == ["DE-EMP"]

        # Push: the CPO's tariff and location reach the eMSP in 2.1.1 and are stored as 2.2.1.
        save_own(old_cpo, "tariffs", TARIFF)
        save_own(old_cpo, "locations", LOCATION)
        location = stored(emsp_instance, "ocpi_locations.Location", "LOC-OLD")
        assert location["country_code"] == "NL" and location["parking_type"] == "ON_STREET"
        connector = location["evses"][0]["connectors"][0]
        assert (connector["max_voltage"], connector["tariff_ids"]) == (230, ["T-OLD"])
        assert (
            stored(emsp_instance, "ocpi_tariffs.Tariff", "T-OLD")["elements"]
            == (TARIFF["elements"])
        )

        # Pull: the eMSP asks the CPO's sender endpoints for everything.
        counts = emsp_instance.manage_json(
            "ocpi_sync", "NL-OLD", "--module", "locations", "--module", "tariffs"
        )
        assert "invalid" not in json.dumps(counts) or '"invalid": 0' in json.dumps(counts)

        # Tokens: pushed by the eMSP, pulled by the CPO, authorized in real time.
        save_own(
            emsp_instance,
            "tokens",
            {
                "country_code": "DE",
                "party_id": "EMP",
                "uid": "RFID-OLD",
                "type": "RFID",
                "contract_id": "DE-EMP-C00000001-X",
                "issuer": "E-Mobility Partner",
                "valid": True,
                "whitelist": "ALLOWED",
                "last_updated": STAMP,
            },
        )
        token = stored(old_cpo, "ocpi_tokens.Token", "RFID-OLD")
        assert (token["contract_id"], token["country_code"]) == ("DE-EMP-C00000001-X", "DE")
        old_cpo.manage_json("ocpi_sync", "DE-EMP", "--module", "tokens")
        allowed = authorize_at(old_cpo, "RFID-OLD")
        assert allowed["allowed"] == "ALLOWED", allowed
        assert allowed["token"]["uid"] == "RFID-OLD"
        assert authorize_at(old_cpo, "RFID-NOBODY") == {"error": 2004}

        # Commands: START and STOP, answered at once and with a result later.
        started = emsp_instance.manage_json(
            "ocpi_command",
            "NL-OLD",
            "START_SESSION",
            "--location",
            "LOC-OLD",
            "--evse",
            "EVSE-OLD",
            "--token",
            "RFID-OLD",
            "--token-type",
            "RFID",
        )
        assert started["response"]["result"] == "ACCEPTED", started
        assert started["result"]["result"] == "ACCEPTED", started
        session_id = old_cpo.call("active_session_id", location_id="LOC-OLD")
        session = stored(emsp_instance, "ocpi_sessions.Session", session_id)
        assert session["status"] == "ACTIVE" and session["location_id"] == "LOC-OLD"
        assert session["cdr_token"]["contract_id"] == "DE-EMP-C00000001-X"

        stopped = emsp_instance.manage_json(
            "ocpi_command", "NL-OLD", "STOP_SESSION", "--session", session_id
        )
        assert stopped["response"]["result"] == "ACCEPTED", stopped
        assert stored(emsp_instance, "ocpi_sessions.Session", session_id)["status"] == "COMPLETED"
        cdrs = emsp_instance.manage_json(
            "ocpi_sync", "NL-OLD", "--module", "sessions", "--module", "cdrs"
        )
        assert cdrs, cdrs
        [cdr] = emsp_instance.call(
            "stored_documents", model="ocpi_cdrs.Cdr", country_code="NL", party_id="OLD"
        )
        assert cdr["cdr_location"]["evse_uid"] == "EVSE-OLD"
        assert "excl_vat" in cdr["total_cost"]

        # Every module call the CPO answered went to its 2.1.1 endpoints.
        paths = old_cpo.call("inbound_paths")
        assert "/ocpi/2.1.1/cpo/commands/START_SESSION" in paths
        assert not any(p.startswith("/ocpi/2.2.1/") for p in paths), paths
    finally:
        emsp_instance.unregister_all()
        old_cpo.unregister_all()


def test_a_2_1_1_cpo_registers_with_an_emsp_on_every_version(old_cpo, emsp_instance):
    emsp_instance.unregister_all()
    old_cpo.unregister_all()
    at_cpo, at_emsp = register(old_cpo, emsp_instance)
    try:
        assert (at_cpo["version"], at_emsp["version"]) == ("2.1.1", "2.1.1")
        assert at_cpo["parties"] == ["DE-EMP"] and at_emsp["parties"] == ["NL-OLD"]
        save_own(old_cpo, "locations", {**LOCATION, "id": "LOC-BACK"})
        assert stored(emsp_instance, "ocpi_locations.Location", "LOC-BACK")["city"] == "Utrecht"
        save_own(
            emsp_instance,
            "tokens",
            {
                "country_code": "DE",
                "party_id": "EMP",
                "uid": "RFID-BACK",
                "type": "RFID",
                "contract_id": "DE-EMP-C00000002-X",
                "issuer": "E-Mobility Partner",
                "valid": True,
                "whitelist": "ALLOWED",
                "last_updated": STAMP,
            },
        )
        assert authorize_at(old_cpo, "RFID-BACK")["allowed"] == "ALLOWED"
    finally:
        emsp_instance.unregister_all()
        old_cpo.unregister_all()
