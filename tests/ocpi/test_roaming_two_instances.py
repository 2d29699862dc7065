"""Two real instances over loopback HTTP, a CPO (NL-TMC) and an eMSP (DE-EMP): after the
handshake the eMSP pulls the CPO's locations and tariffs over several pages, and the CPO has a
driver's token authorized by the eMSP in real time. (Commands, sessions and CDRs between two
instances: tests/chargepoints/test_chargepoints_two_instances.py.)"""

import json

from tests.support.builders import connector, evse, location, tariff, token
from tests.support.instances import register

LOCATIONS = 230  # more than two pages of 100


def seed_cpo(cpo_instance) -> None:
    """Our CPO's locations and tariffs, stored before any partner exists (nothing is pushed)."""
    stamp = "2026-01-01T00:00:00Z"
    cpo_instance.call(
        "save_own",
        module="tariffs",
        documents=[
            tariff(tariff_id, price=price, country_code="NL", party_id="TMC", last_updated=stamp)
            for tariff_id, price in (("T-DAY", 0.35), ("T-NIGHT", 0.25))
        ],
    )
    cpo_instance.call(
        "save_own",
        module="locations",
        documents=[
            location(
                f"PULL-{index}",
                stamp,
                country_code="NL",
                party_id="TMC",
                evses=[evse(f"E-{index}", stamp, connectors=[connector(tariff_ids=["T-DAY"])])],
            )
            for index in range(LOCATIONS)
        ],
    )


def locations_page_requests(cpo_instance) -> int:
    """How many GETs of our CPO's locations list the CPO answered."""
    return cpo_instance.call(
        "inbound_requests", method="GET", url_prefix="/ocpi/2.3.0/cpo/locations", http_status=200
    )


def dumped_ids(instance, module: str) -> set[str]:
    result = instance.manage("ocpi_dump", module, "--party", "NL-TMC")
    assert result.returncode == 0, result.stderr
    return {json.loads(line)["id"] for line in result.stdout.splitlines() if line.strip()}


def authorize_at_cpo(cpo_instance, token_uid: str) -> dict:
    return cpo_instance.call(
        "authorize_remotely",
        token_uid=token_uid,
        token_type="RFID",
        location={"location_id": "PULL-1"},
    )


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
        emsp_instance.call(
            "save_own",
            module="tokens",
            documents=[
                token(
                    uid,
                    party=("DE", "EMP"),
                    contract_id=f"DE-EMP-C{uid[-2:]}000001-X",
                    valid=valid,
                    last_updated="2026-01-02T00:00:00Z",
                )
                for uid, valid in (("RFID-OK", True), ("RFID-BLOCKED", False))
            ],
        )
        allowed = authorize_at_cpo(cpo_instance, "RFID-OK")
        assert allowed["allowed"] == "ALLOWED", allowed
        assert allowed["token"]["uid"] == "RFID-OK"
        assert authorize_at_cpo(cpo_instance, "RFID-BLOCKED")["allowed"] != "ALLOWED"
        assert authorize_at_cpo(cpo_instance, "RFID-NOBODY") == {"error": 2004}
    finally:
        emsp_instance.unregister_all()
