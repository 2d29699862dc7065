"""Two real instances over loopback HTTP: the eMSP starts and stops a session at the CPO with
`ocpi_command`; the CPO's simulated charge point produces the session and the CDR, which reach
the eMSP through the CPO's pushes."""

from tests.support.instances import register

LOCATION = {
    "country_code": "NL",
    "party_id": "TMC",
    "id": "LOC-E2E",
    "publish": True,
    "address": "Stationsplein 1",
    "city": "Utrecht",
    "country": "NLD",
    "coordinates": {"latitude": "52.08917", "longitude": "5.11012"},
    "time_zone": "Europe/Amsterdam",
    "evses": [
        {
            "uid": "EVSE-E2E",
            "evse_id": "NL*TMC*EE2E",
            "status": "AVAILABLE",
            "connectors": [
                {
                    "id": "1",
                    "standard": "IEC_62196_T2",
                    "format": "SOCKET",
                    "power_type": "AC_3_PHASE",
                    "max_voltage": 230,
                    "max_amperage": 16,
                    "last_updated": "2026-01-01T00:00:00Z",
                }
            ],
            "last_updated": "2026-01-01T00:00:00Z",
        }
    ],
    "last_updated": "2026-01-01T00:00:00Z",
}


def store_location(cpo_instance) -> None:
    cpo_instance.call("store_own_location", document=LOCATION)


def active_session_id(cpo_instance) -> str:
    return cpo_instance.call("active_session_id", location_id="LOC-E2E")


def sessions_and_cdrs(instance, session_id: str) -> dict:
    return instance.call("sessions_and_cdrs", session_id=session_id)


def test_remote_start_and_stop_between_two_instances(cpo_instance, emsp_instance):
    cpo_instance.unregister_all()
    emsp_instance.unregister_all()
    register(cpo_instance, emsp_instance)
    store_location(cpo_instance)
    try:
        started = emsp_instance.manage_json(
            "ocpi_command",
            "NL-TMC",
            "START_SESSION",
            "--location",
            "LOC-E2E",
            "--evse",
            "EVSE-E2E",
            "--token",
            "APP-E2E",
        )
        assert started["response"]["result"] == "ACCEPTED", started
        # The CPO executed the command while answering: the result came back on our uid.
        assert started["result"]["result"] == "ACCEPTED", started
        session_id = active_session_id(cpo_instance)
        assert sessions_and_cdrs(emsp_instance, session_id) == {"sessions": ["ACTIVE"], "cdrs": []}

        stopped = emsp_instance.manage_json(
            "ocpi_command", "NL-TMC", "STOP_SESSION", "--session", session_id
        )
        assert stopped["response"]["result"] == "ACCEPTED", stopped

        at_cpo = sessions_and_cdrs(cpo_instance, session_id)
        at_emsp = sessions_and_cdrs(emsp_instance, session_id)
        assert at_cpo["sessions"] == ["COMPLETED"]
        assert at_emsp == at_cpo
        assert len(at_emsp["cdrs"]) == 1
    finally:
        cpo_instance.unregister_all()
