"""Two real instances over loopback HTTP, a CPO (NL-TMC) and an eMSP (DE-EMP): after the
handshake the eMSP pulls the CPO's locations and tariffs over several pages, and the CPO has a
driver's token authorized by the eMSP in real time. (Commands, sessions and CDRs between two
instances: tests/chargepoints/test_chargepoints_two_instances.py.)"""

import json

from tests.instances import register

LOCATIONS = 230  # more than two pages of 100


def seed_cpo(cpo_instance) -> None:
    """Our CPO's locations and tariffs, stored before any partner exists (nothing is pushed)."""
    cpo_instance.shell(
        "from ocpi.models import OwnParty\n"
        "from ocpi.modules.locations.services import location_save_own\n"
        "from ocpi.modules.tariffs.services import tariff_save_own\n"
        "party = OwnParty.objects.get(role='CPO')\n"
        "stamp = '2026-01-01T00:00:00Z'\n"
        "for tariff_id, price in (('T-DAY', 0.35), ('T-NIGHT', 0.25)):\n"
        "    tariff_save_own(party=party, document={'country_code': 'NL', 'party_id': 'TMC',"
        " 'id': tariff_id, 'currency': 'EUR', 'elements': [{'price_components': [{'type':"
        " 'ENERGY', 'price': price, 'vat': 21.0, 'step_size': 1}]}], 'last_updated': stamp})\n"
        f"for index in range({LOCATIONS}):\n"
        "    location_save_own(party=party, document={'country_code': 'NL', 'party_id': 'TMC',"
        " 'id': f'PULL-{index}', 'publish': True, 'address': 'Markt 1', 'city': 'Utrecht',"
        " 'country': 'NLD', 'coordinates': {'latitude': '52.09074', 'longitude': '5.12142'},"
        " 'time_zone': 'Europe/Amsterdam', 'last_updated': stamp, 'evses': [{'uid': f'E-{index}',"
        " 'status': 'AVAILABLE', 'last_updated': stamp, 'connectors': [{'id': '1', 'standard':"
        " 'IEC_62196_T2', 'format': 'SOCKET', 'power_type': 'AC_3_PHASE', 'max_voltage': 230,"
        " 'max_amperage': 32, 'tariff_ids': ['T-DAY'], 'last_updated': stamp}]}]})\n"
    )


def locations_page_requests(cpo_instance) -> int:
    """How many GETs of our CPO's locations list the CPO answered."""
    return int(
        cpo_instance.shell(
            "from ocpi.models import TrafficLog\n"
            "print(TrafficLog.objects.filter(direction='in', method='GET',"
            " url__startswith='/ocpi/2.2.1/cpo/locations', http_status=200).count())\n"
        )
    )


def dumped_ids(instance, module: str) -> set[str]:
    result = instance.manage("ocpi_dump", module, "--party", "NL-TMC")
    assert result.returncode == 0, result.stderr
    return {json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()}


def authorize_at_cpo(cpo_instance, token_uid: str) -> dict:
    output = cpo_instance.shell(
        "import json\n"
        "from ocpi.modules.tokens.services import token_authorize_remotely\n"
        "from ocpi.transport.exceptions import OcpiError\n"
        "try:\n"
        f"    info = token_authorize_remotely(token_uid={token_uid!r}, token_type='RFID',"
        " location={'location_id': 'PULL-1'})\n"
        "except OcpiError as error:\n"
        "    info = {'error': error.ocpi_status}\n"
        "print(json.dumps(info))\n"
    )
    return json.loads(output)


def test_emsp_pulls_pages_and_cpo_authorizes_tokens_in_real_time(cpo_instance, emsp_instance):
    cpo_instance.unregister_all()
    emsp_instance.unregister_all()
    seed_cpo(cpo_instance)
    register(emsp_instance, cpo_instance)
    try:
        before = locations_page_requests(cpo_instance)
        counts = emsp_instance.manage_json(
            "ocpi_sync", "NL-TMC", "--module", "locations", "--module", "tariffs"
        )
        assert locations_page_requests(cpo_instance) - before == 3, counts
        pulled = dumped_ids(emsp_instance, "locations")
        assert {f"PULL-{index}" for index in range(LOCATIONS)} <= pulled
        assert {"T-DAY", "T-NIGHT"} <= dumped_ids(emsp_instance, "tariffs")

        # Nothing changed since: the next run asks only for what changed and gets nothing new.
        again = emsp_instance.manage_json("ocpi_sync", "NL-TMC", "--module", "locations")
        assert locations_page_requests(cpo_instance) - before == 4, again

        # The eMSP issues tokens; they reach the CPO's tokens receiver by push.
        emsp_instance.shell(
            "from ocpi.models import OwnParty\n"
            "from ocpi.modules.tokens.services import token_save_own\n"
            "party = OwnParty.objects.get(role='EMSP')\n"
            "for uid, valid in (('RFID-OK', True), ('RFID-BLOCKED', False)):\n"
            "    token_save_own(party=party, document={'country_code': 'DE', 'party_id': 'EMP',"
            " 'uid': uid, 'type': 'RFID', 'contract_id': f'DE-EMP-C{uid[-2:]}000001-X',"
            " 'issuer': 'E-Mobility Partner', 'valid': valid, 'whitelist': 'ALLOWED',"
            " 'last_updated': '2026-01-02T00:00:00Z'})\n"
        )
        allowed = authorize_at_cpo(cpo_instance, "RFID-OK")
        assert allowed["allowed"] == "ALLOWED", allowed
        assert allowed["token"]["uid"] == "RFID-OK"
        assert authorize_at_cpo(cpo_instance, "RFID-BLOCKED")["allowed"] != "ALLOWED"
        assert authorize_at_cpo(cpo_instance, "RFID-NOBODY") == {"error": 2004}
    finally:
        emsp_instance.unregister_all()
